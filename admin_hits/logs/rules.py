"""What counts as a page view: request line and target splitting, and the view rules.

Everything here works on the text as logged (percent-escapes and Apache's backslash escapes
kept); resolving a path to an object decodes later.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs.bots import check_patterns
from admin_hits.logs.clients import networks

DEFAULT_ASSET_EXTENSIONS: tuple[str, ...] = (
    ".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg",
    ".ico", ".bmp", ".tif", ".tiff", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4",
    ".webm", ".ogg", ".wav", ".zip", ".gz", ".tgz", ".bz2", ".7z", ".rar", ".txt", ".xml",
    ".json", ".rss", ".atom", ".pdf", ".csv", ".wasm", ".swf",
)  # fmt: skip

# Files whose requests are downloads, not views (``ViewRules.download_extensions``): documents,
# archives, audio, video, e-books, installers. Images, scripts, styles and fonts stay assets.
DEFAULT_DOWNLOAD_EXTENSIONS: tuple[str, ...] = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
    ".csv", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".7z", ".rar", ".mp3", ".m4a",
    ".ogg", ".oga", ".opus", ".flac", ".wav", ".aac", ".mp4", ".m4v", ".webm", ".mov", ".mkv",
    ".avi", ".epub", ".mobi", ".azw3", ".dmg", ".exe", ".msi", ".apk", ".iso", ".deb", ".rpm",
)  # fmt: skip
# A download is a request that got the file or a part of it, or was told it has it (304).
DOWNLOAD_STATUSES = frozenset({200, 206, 304})

# Protocol suffixes of a request line ("HTTP/1.1", "HTTP/2.0"); a line without one is
# HTTP/0.9 ("GET /x") or junk.
_PROTOCOL_PREFIX = "HTTP/"


def split_request(request: str) -> tuple[str, str]:
    """``(method, target)`` of a logged request line (``%r``).

    - ``"GET /a?b HTTP/1.1"`` gives ``("GET", "/a?b")``; HTTP/0.9's ``"GET /x"`` (no protocol)
      gives ``("GET", "/x")``.
    - ``"-"`` (Apache logs it when no request line arrived, e.g. a timeout) and ``""`` give
      ``("", "")``.
    - Anything else keeps its first word as the method: a TLS handshake sent to a plain HTTP
      port (logged as ``"\\x16\\x03\\x01..."``) has that junk as its method and never is a view.
    """
    parts = request.split(" ")
    if len(parts) == 3 and parts[2].startswith(_PROTOCOL_PREFIX):  # nearly every line
        return parts[0], parts[1]
    if request == "-" or not request:
        return "", ""
    method, _, rest = request.partition(" ")
    head, sep, last = rest.rpartition(" ")
    if sep and last.startswith(_PROTOCOL_PREFIX):
        return method, head
    return method, rest


def split_target(target: str) -> tuple[str, str]:
    """``(path, query)`` of a request target; the fragment, if a client sent one, is dropped.

    - origin-form ``"/a/b?x=1"`` gives ``("/a/b", "x=1")``.
    - absolute-form ``"http://example.com/a?b"`` (sent to proxies, and by some bots) gives
      ``("/a", "b")``; ``"http://example.com"`` gives ``("/", "")``.
    - asterisk-form ``"*"`` (``OPTIONS *``), authority-form ``"example.com:443"``
      (``CONNECT``), ``"-"``, ``""`` and any other target not starting with ``/`` give
      ``("", "")``.
    """
    if not target.startswith("/"):
        scheme, sep, rest = target.partition("://")
        if not sep or not scheme.isalpha():
            return "", ""
        # The authority ends at the first "/", "?" or "#"; an empty path means "/".
        cut = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
        rest = rest[cut:]
        target = rest if rest.startswith("/") else "/" + rest
    path, _, query = target.partition("?")
    if "#" in path:
        return path.partition("#")[0], ""
    return path, query.partition("#")[0]


def path_pattern(pattern: str) -> re.Pattern[str]:
    """The regex of an excluded-path pattern, for ``.match`` against the path: ``^...`` is a
    regex, anchored at the path's start; anything else a glob over the whole path, as
    ``fnmatch`` reads it (``*`` crosses ``/``: ``/api/*`` is not ``/docs/api/intro/``)."""
    # fnmatch.translate anchors only the end (\Z): .match, not .search, anchors the start.
    try:
        return re.compile(pattern if pattern.startswith("^") else fnmatch.translate(pattern))
    except re.error as exc:
        raise ConfigurationError(
            f"ADMIN_HITS_EXCLUDE_PATHS: {pattern!r} is no regex: {exc}"
        ) from exc


def _extensions(entries: Iterable[str]) -> tuple[str, ...]:
    """Extensions as ``.ext`` in lower case, empty entries left out."""
    return tuple(("" if e.startswith(".") else ".") + e.lower() for e in entries if e.strip("."))


class Suffixes:
    """``ends(lower)``: whether a lower-case path ends in one of ``extensions`` (each starting
    with a dot), as ``str.endswith(extensions)`` says, by a set look-up per dot among its last
    characters rather than a comparison per extension (dozens of them, for every distinct
    request of a run)."""

    def __init__(self, extensions: tuple[str, ...]) -> None:
        self.extensions = frozenset(extensions)
        self.longest = max(map(len, extensions), default=0)

    def ends(self, lower: str) -> bool:
        start = len(lower) - self.longest
        dot = lower.rfind(".", start if start > 0 else 0)
        while dot >= 0:
            if lower[dot:] in self.extensions:
                return True
            dot = lower.rfind(".", start if start > 0 else 0, dot)
        return False


@dataclass(frozen=True)
class ViewRules:
    """Which requests are page views, and whose views are counted at all.

    A view is a request whose method is in ``methods`` (case-sensitive, as HTTP methods are),
    whose status is 2xx or 304 and not in ``excluded_statuses``, whose path is not under one of
    ``excluded_prefixes`` nor matched by one of ``excluded_patterns`` (``path_pattern``) and
    whose last path segment does not end in one of ``asset_extensions`` (case-insensitive).

    The rest is about who sent it: requests from ``excluded_networks`` (IP addresses or CIDR
    networks) are not counted at all; ``bot_patterns`` and ``human_patterns`` (regexes,
    case-insensitive) extend the bot list (``bots.BotClassifier``); referrers from
    ``own_hosts`` (exact names, or ``.example.com`` for the domain and its subdomains) are the
    site's own pages, not traffic sources. A visitor's views ``visit_gap`` minutes or more
    apart are two visits (``visits.py``). A request for a file under one of
    ``download_prefixes`` or ending in one of ``download_extensions`` (but for those under an
    excluded path) is a download, not a view, when its status is 200, 206 or 304.
    """

    excluded_prefixes: tuple[str, ...] = ()
    asset_extensions: tuple[str, ...] = DEFAULT_ASSET_EXTENSIONS
    methods: frozenset[str] = frozenset({"GET"})
    excluded_patterns: tuple[str, ...] = ()
    excluded_statuses: frozenset[int] = frozenset()
    excluded_networks: tuple[str, ...] = ()
    bot_patterns: tuple[str, ...] = ()
    human_patterns: tuple[str, ...] = ()
    own_hosts: tuple[str, ...] = ()
    visit_gap: int = 30  # minutes: a visitor's views further apart are two visits
    download_extensions: tuple[str, ...] = DEFAULT_DOWNLOAD_EXTENSIONS
    download_prefixes: tuple[str, ...] = ()  # MEDIA_URL: every file under it is a download
    _downloads: Suffixes = field(init=False, repr=False, compare=False)
    geoip_database: str = ""  # a MaxMind-format database for countries ("": iptocc's)
    referrer_spam: tuple[str, ...] = ()  # hosts of referrer spam beyond the shipped list
    _extensions: Suffixes = field(init=False, repr=False, compare=False)
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalised once: "PNG" and "png" in a setting both mean ".png".
        extensions = _extensions(self.asset_extensions)
        for name in ("excluded_prefixes", "excluded_patterns", "excluded_networks",
                     "bot_patterns", "human_patterns", "own_hosts", "referrer_spam"):  # fmt: skip
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "methods", frozenset(self.methods))
        object.__setattr__(self, "excluded_statuses", frozenset(self.excluded_statuses))
        object.__setattr__(self, "_extensions", Suffixes(extensions))
        object.__setattr__(self, "_downloads", Suffixes(_extensions(self.download_extensions)))
        object.__setattr__(self, "download_prefixes", tuple(self.download_prefixes))
        object.__setattr__(self, "_patterns", tuple(map(path_pattern, self.excluded_patterns)))
        # The other entries are used further on (by the bot classifier, the network filter):
        # checked here as well, so that a bad one is the same clear error wherever rules are
        # made, in the system checks, at the pipe's start and at parse_log's.
        networks(self.excluded_networks)
        check_patterns(self.bot_patterns, "ADMIN_HITS_BOT_PATTERNS")
        check_patterns(self.human_patterns, "ADMIN_HITS_HUMAN_PATTERNS")
        gap = self.visit_gap
        if isinstance(gap, bool) or not isinstance(gap, int) or gap < 1:
            raise ConfigurationError(
                f"ADMIN_HITS_VISIT_GAP must be a whole number of minutes, 1 or more, not {gap!r}"
            )

    def reason(self, method: str, path: str, status: int) -> str:
        """Why a request is not a view (``"method"``, ``"download"`` for a file, ``"status"``,
        ``"target"`` for a request without a usable path, ``"excluded"``, ``"asset"``), or
        ``""`` when it is one.

        Who sent it is judged apart (``"client"``: an excluded network)."""
        if method not in self.methods:
            return "method"
        lower = path.lower()  # (once: every distinct request of a run comes here)
        if path and self._is_download(path, lower):
            return "download" if status in DOWNLOAD_STATUSES else "status"
        if not (200 <= status < 300 or status == 304) or status in self.excluded_statuses:
            return "status"
        if not path:
            return "target"
        if self._excluded(path):
            return "excluded"
        if self._extensions.ends(lower):
            return "asset"
        return ""

    def _excluded(self, path: str) -> bool:
        if self.excluded_prefixes and path.startswith(self.excluded_prefixes):
            return True
        return bool(self._patterns) and any(pattern.match(path) for pattern in self._patterns)

    def _is_download(self, path: str, lower: str) -> bool:
        if self.download_prefixes and path.startswith(self.download_prefixes):
            return True
        return self._downloads.ends(lower) and not self._excluded(path)

    def is_view(self, method: str, path: str, status: int) -> bool:
        """Whether the request counts as a page view (see the class docstring)."""
        return not self.reason(method, path, status)
