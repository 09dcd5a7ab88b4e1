"""Browsers, operating systems and device classes from a user agent, with ua-parser.

ua-parser (Apache-2.0) reads the user agent with uap-core's rules (the ``ua-parser-builtins``
package); with ``ua-parser-rs`` installed (the ``fast-agents`` extra) it matches them in Rust,
else in Python. Parsing costs tens of microseconds: ``AgentClasses`` parses each distinct user
agent once per run (a bounded cache), so a day of a million lines from a few thousand user
agents parses a few thousand times.

Only the first ``MAX_AGENT_LENGTH`` characters are read: real user agents are a few hundred
characters, and a hostile 10 kB one then costs what a long real one does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

MAX_AGENT_LENGTH = 1024
OTHER = "Other"
DEVICE_CLASSES = ("desktop", "mobile", "tablet", "other")
_CACHE_LIMIT = 25_000
_NAME_LENGTH = 60
_DESKTOP_SYSTEMS = frozenset({
    "Windows", "Mac OS X", "Linux", "Ubuntu", "Chrome OS", "Fedora", "FreeBSD", "OpenBSD",
    "NetBSD", "Debian", "Red Hat", "SUSE", "Gentoo", "Mint", "Arch Linux", "Solaris",
    "Windows 95", "Windows 98", "Windows XP", "Windows Vista", "Windows 7", "Windows 8",
    "Windows 8.1", "Windows 10", "Windows NT", "Windows 2000", "Windows ME", "CentOS",
    "Slackware", "Mandriva", "Kubuntu", "Xubuntu", "macOS", "ChromeOS", "Haiku", "BeOS",
})  # fmt: skip
_MOBILE_SYSTEMS = frozenset({
    "iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS", "Symbian OS", "Firefox OS",
    "Tizen", "Sailfish", "webOS", "Bada", "HarmonyOS", "Windows Mobile", "Ubuntu Touch",
    "Symbian^3", "Symbian^3 Anna", "Symbian^3 Belle", "MeeGo", "Maemo", "BlackBerry Tablet OS",
})  # fmt: skip
_TABLET_WORDS = ("ipad", "tablet", "kindle", "silk/", "playbook", "nexus 7", "nexus 9",
                 "nexus 10", "sm-t", "sm-x", "tab ")  # fmt: skip
_OTHER_DEVICES = ("smart-tv", "smarttv", "tizen tv", "web0s", "playstation", "xbox",
                  "nintendo", "crkey", "appletv", "hbbtv", "roku")  # fmt: skip


class AgentClass(NamedTuple):
    """What a user agent says of its browser, system and device."""

    browser: str  # family: "Chrome", "Firefox", "Mobile Safari", ... or "Other"
    version: str  # family and major version: "Chrome 131" (the family alone without one)
    os: str  # family: "Windows", "iOS", "Android", ... or "Other"
    device: str  # one of DEVICE_CLASSES
    spider: bool  # uap-core's device family "Spider": a crawler by its rules


UNKNOWN = AgentClass(OTHER, OTHER, OTHER, "other", False)


@lru_cache(maxsize=1)
def _parser() -> Any:
    # The global parser picks the fastest resolver installed (ua-parser-rs, re2, else pure
    # Python) and loads the rules on first use (~1 s): imported late, so that the log core
    # costs nothing to import where no user agent is classified. Kept here: ua-parser 1.0.0
    # makes a new parser (its rules loaded again) each time ``ua_parser.parser`` is read.
    from ua_parser import parser

    return parser


def classify(user_agent: str) -> AgentClass:
    """The browser, system and device class of ``user_agent`` (a ``User-Agent`` header)."""
    agent = user_agent[:MAX_AGENT_LENGTH]
    if not agent or agent == "-":
        return UNKNOWN
    from ua_parser import Domain

    result = _parser()(agent, Domain.ALL)
    # Families are the rules' own words, but some rules copy text of the user agent: cut.
    browser = result.user_agent.family[:_NAME_LENGTH] if result.user_agent else OTHER
    major = (result.user_agent.major or "")[:10] if result.user_agent else None
    system = result.os.family[:_NAME_LENGTH] if result.os else OTHER
    spider = result.device is not None and result.device.family == "Spider"
    return AgentClass(
        browser=browser,
        version=f"{browser} {major}" if major and browser != OTHER else browser,
        os=system,
        device=device_class(agent, system, result.device.family if result.device else "", spider),
        spider=spider,
    )


def device_class(agent: str, system: str, device: str, spider: bool = False) -> str:
    """``desktop``, ``mobile``, ``tablet`` or ``other`` (crawlers, TVs, consoles, unknown).

    uap-core names devices (``iPhone``, ``Samsung SM-T870``), not classes: the class follows
    the usual rules: iPads, Kindles and Android devices without the ``Mobile`` token are
    tablets (Google's guidance for Android browsers), other phones' systems are mobile."""
    lower = agent.lower()
    if spider or any(word in lower for word in _OTHER_DEVICES):
        return "other"
    device = device.lower()
    if "ipad" in device or "tablet" in device or any(w in lower for w in _TABLET_WORDS):
        return "tablet"
    if system == "Android" and "mobile" not in lower:
        return "tablet"
    if system in _MOBILE_SYSTEMS or "mobi" in lower:
        return "mobile"
    if system in _DESKTOP_SYSTEMS or system.startswith("Windows"):
        return "desktop"
    return "other"


class AgentClasses:
    """``of(raw user agent)``: its ``AgentClass``, parsed once per distinct value (bytes as
    logged, or text; bounded: past the limit the cache starts over)."""

    def __init__(self, limit: int = _CACHE_LIMIT) -> None:
        self.limit = limit
        self.known: dict[Any, AgentClass] = {}

    def of(self, raw: bytes | str | None) -> AgentClass:
        found = self.known.get(raw)
        if found is None:
            if len(self.known) >= self.limit:
                self.known.clear()
            found = self.known[raw] = self._classify(raw)
        return found

    @staticmethod
    def _classify(raw: bytes | str | None) -> AgentClass:
        if raw is None:
            return UNKNOWN
        if isinstance(raw, bytes):
            raw = raw[: MAX_AGENT_LENGTH * 4].decode("utf-8", "replace")
        return classify(raw)
