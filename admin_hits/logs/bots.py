"""Which user agents are bots, and which bot: the crawler-user-agents dataset, AI crawlers,
generic words, and the site's own patterns.

The dataset (https://github.com/monperrus/crawler-user-agents, MIT) is ~1,500 regexes, nearly
all of them plain words. Python's ``re`` tries every branch of a large alternation at every
position of the text, ~140 µs per user agent; the words are therefore compiled into one trie
regex (a branch per first letter, shared prefixes), ~15x faster, and the few real regexes into a
second one. Callers cache the verdict per distinct user agent anyway (``BotClassifier.name``
keeps a bounded cache), so a busy log pays for each user agent once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from admin_hits.exceptions import ConfigurationError

NO_USER_AGENT = "(no user agent)"
# Crawlers that feed AI models or answer engines, by their published user-agent tokens; the
# dataset has most of them, these make sure of it (and give them their usual spelling).
AI_CRAWLERS: tuple[str, ...] = (
    "GPTBot", "ChatGPT-User", "OAI-SearchBot", "ClaudeBot", "Claude-Web", "Claude-User",
    "Claude-SearchBot", "anthropic-ai", "CCBot", "PerplexityBot", "Perplexity-User",
    "Google-Extended", "GoogleOther", "Google-CloudVertexBot", "Bytespider", "Amazonbot",
    "Applebot-Extended", "Applebot", "meta-externalagent", "meta-externalfetcher", "FacebookBot",
    "cohere-ai", "cohere-training-data-crawler", "Diffbot", "YouBot", "Timpibot", "ImagesiftBot",
    "PetalBot", "DuckAssistBot", "MistralAI-User", "AI2Bot", "img2dataset", "Kangaroo Bot",
    "PanguBot", "Webzio-Extended", "ICC-Crawler", "iaskspider", "DeepSeekBot", "TikTokSpider",
)  # fmt: skip
# Words only programs put in a user agent, matched in the lowercased text after the device
# names below are taken out (a Cubot phone is no bot); then a few regexes.
GENERIC_WORDS: tuple[str, ...] = (
    "bot", "crawl", "spider", "scrap", "slurp", "feed", "fetch", "monitor", "checker",
    "validator", "preview", "archiv", "httpclient", "http-client", "http_client", "httpx",
    "favicon", "curl", "wget", "python", "java/", "go-http", "okhttp", "axios", "node-fetch",
    "ruby", "headless", "phantomjs", "lighthouse", "zgrab", "nmap", "masscan", "scanner",
    "linkcheck", "link check", "sleuth", "indy library",
)  # fmt: skip
# A link (bots sign with "+http://their.site/bot.html"; browsers never carry one), a contact
# e-mail address ("help@moz.com"; a domain, not just an "@": Ecosia's apps end their user
# agents with "(Ecosia ios@11.5.2.2615)"), a lone product token ("portscout/0.8.1": a browser
# always describes its platform), a bare or empty "Mozilla" (what scripts send to look like a
# browser).
GENERIC_REGEX = (
    r"https?://|\w@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b|^[\w.!-]+/[\w.-]+$|\brss\b|\bperl\b"
    r"|\bphp\b|^mozilla/\d\.\d$|^mozilla/4\.0 \(compatible;\)$"
    # No product/version token at all ("Zeno", "Report Runner"): every browser sends one
    # (RFC 9110's product = token "/" version), unless it says it is a browser.
    r"|^(?!.*browser)[^/()]+$"
    # Characters no browser puts in its user agent: template and injection payloads.
    r"|[{}<>$]"
    # "Mozilla/5.0" and then one word or one word in brackets: a script, not a platform.
    r"|^mozilla/\d\.\d (?:[\w.-]+(?:/[\w.-]+)?|\([\w.-]+(?:/[\w.-]+)?\))$"
    # Google's own fetchers name themselves Google-Something (Google-Site-Verification).
    r"|\bgoogle-[a-z]"
)
DEVICE_NAMES = (
    r"cubot|; [mb] bot|; id ?bot|; power bot|htc_botdugls|octopus-core|super/\d+/android/\d+"
)
# Where a bot's name is not: links and e-mail addresses in the user agent.
_URL = re.compile(r"\+?(?:https?://|www\.)\S*|[\w.+-]+@[\w.-]+")
# Words that make a good bot name when the matched text does not.
_BOTTISH = re.compile(r"bot|spider|crawl|fetch|feed|slurp|archiv|scan|preview|check|rss", re.I)
_NOT_NAMES = frozenset(
    ("mozilla", "compatible", "khtml", "like", "gecko", "applewebkit", "safari", "chrome",
     "windows", "linux", "macintosh", "x11", "u", "en", "msie", "trident", "intel", "mac", "os",
     "x64", "x86_64", "wow64", "nt")
)  # fmt: skip
# Longest bot name stored (the model's field).
NAME_LENGTH = 100
_CACHE_LIMIT = 50_000
# uap-core's rules are written for RE2 (linear time); with ``re`` their ``.{0,300}`` steps
# cost more on a long user agent: they read its first 512 characters.
MAX_SPIDER_TEXT = 512
_WORD = re.compile(r"[A-Za-z][\w.!+-]*(?: [A-Z][\w-]*)*")


def _literal(pattern: str) -> str | None:
    """The text ``pattern`` matches when it is a plain word with escapes, else ``None``."""
    text = re.sub(r"\\(.)", r"\1", pattern)
    if any(c in text for c in "[](){}|*+?^$") or re.search(r"\\[dswDSWbB]", pattern):
        return None
    return text if re.fullmatch(pattern, text) else None


def trie_regex(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, shaped as a trie: at each position ``re`` tests
    one character per branch instead of every word."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


@lru_cache(maxsize=1)
def dataset_patterns() -> tuple[str, ...]:
    """The dataset's regexes (loaded from the installed ``crawler-user-agents`` package)."""
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    return tuple(entry["pattern"] for entry in CRAWLER_USER_AGENTS_DATA)


@lru_cache(maxsize=1)
def _dataset_regexes() -> tuple[re.Pattern[str], ...]:
    """The dataset and the AI crawlers as regexes, quickest first: the plain words as a trie,
    the patterns anchored at the start, the other patterns."""
    words = list(AI_CRAWLERS)
    anchored: list[str] = []
    others: list[str] = []
    for pattern in dataset_patterns():
        word = _literal(pattern)
        if word:
            words.append(word)
        else:
            (anchored if pattern.startswith("^") else others).append(pattern)
    return tuple(
        re.compile(regex)
        for regex in (trie_regex(words), _joined(anchored), _joined(others))
        if regex
    )


@lru_cache(maxsize=1)
def _generic_regexes() -> tuple[re.Pattern[str], ...]:
    """The generic words (a trie) and regexes, for lowercased text."""
    return re.compile(trie_regex(GENERIC_WORDS)), re.compile(GENERIC_REGEX)


def check_patterns(patterns: Iterable[str], setting: str) -> None:
    """A ``ConfigurationError`` naming the first of ``patterns`` that is no regex."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise ConfigurationError(f"{setting}: {pattern!r} is no regex: {exc}") from exc


def _compiled(patterns: tuple[str, ...], setting: str) -> re.Pattern[str] | None:
    """The site's patterns as one case-insensitive regex; a bad one is a ConfigurationError."""
    check_patterns(patterns, setting)
    joined = _joined(patterns)
    return re.compile(joined, re.IGNORECASE) if joined else None


def _joined(patterns: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns if p)


@lru_cache(maxsize=1)
def spider_regexes() -> tuple[re.Pattern[str], ...]:
    """uap-core's device rules (from ``ua-parser-builtins``) that make a device a "Spider"
    before any other device rule is tried: a second, independently kept list of crawlers.
    Its catch-all spider rule comes after the devices' rules (a Kindle's "Silk" is no
    spider), so it is left to the generic words; the rest of the rules is not loaded (the
    realtime pipe stays small)."""
    from ua_parser import load_lazy_builtins

    first = []
    rule: Any
    for rule in load_lazy_builtins()[2]:  # device matchers: uap-core's rules, as data
        if rule.family != "Spider":
            break
        first.append(re.compile(rule.regex, re.IGNORECASE if rule.regex_flag == "i" else 0))
    return tuple(first)


def is_spider(user_agent: str) -> bool:
    """Whether uap-core's first device rules make ``user_agent`` a spider (``spider_regexes``)."""
    agent = user_agent[:MAX_SPIDER_TEXT]
    return any(regex.search(agent) for regex in spider_regexes())


class BotClassifier:
    """``name(user_agent)``: the bot's name, or ``None`` for a human.

    In order: no user agent (``""`` or ``"-"``) is a bot; ``human_patterns`` (regexes,
    case-insensitive) make a human; ``bot_patterns`` (the same) make a bot; then the AI
    crawlers, the dataset, the generic words and uap-core's spiders (``is_spider``). A bot's
    name is the text that matched (``Googlebot``, ``GPTBot``), or when that is a generic word
    or part of a link, the product token that looks most like a name (``UniversalFeedParser``,
    ``YandexBot``).
    """

    def __init__(self, bot_patterns: Iterable[str] = (), human_patterns: Iterable[str] = ()):
        self.bot_patterns = tuple(bot_patterns)
        self.human_patterns = tuple(human_patterns)
        self._humans = _compiled(self.human_patterns, "ADMIN_HITS_HUMAN_PATTERNS")
        self._bots = _compiled(self.bot_patterns, "ADMIN_HITS_BOT_PATTERNS")
        self._dataset = _dataset_regexes()
        self._generic = _generic_regexes()
        self._devices = re.compile(DEVICE_NAMES, re.IGNORECASE)
        self._cache: dict[str, str | None] = {}

    def name(self, user_agent: str) -> str | None:
        """The bot's name, or ``None`` when ``user_agent`` is a person's browser."""
        cached = self._cache.get(user_agent, False)
        if cached is not False:
            return cached  # type: ignore[return-value]  # False is only the default of a miss
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        name = self._cache[user_agent] = self._judge(user_agent)
        return name

    def is_bot(self, user_agent: str) -> bool:
        return self.name(user_agent) is not None

    def _judge(self, user_agent: str) -> str | None:
        agent = user_agent.strip()
        if not agent or agent == "-":
            return NO_USER_AGENT
        if self._humans is not None and self._humans.search(agent):
            return None
        if self._bots is not None and (found := self._bots.search(agent)):
            return bot_name(agent, found.start(), found.group())
        for regex in self._dataset:
            if found := regex.search(agent):
                return bot_name(agent, found.start(), found.group())
        cleaned = self._devices.sub(" ", agent.lower())
        for regex in self._generic:
            if found := regex.search(cleaned):
                return bot_name(agent, -1, found.group())
        if is_spider(agent):
            return bot_name(agent, -1, agent)
        return None


def bot_name(agent: str, start: int, matched: str) -> str:
    """A readable name for the bot ``agent``, in which ``matched`` was found at ``start``
    (``-1``: a generic word, which is no name). Only the first ``MAX_SPIDER_TEXT`` characters
    are read: a name is near the start, and the link and word patterns take quadratic time on
    a long run of letters (a hostile 10 kB user agent)."""
    agent = agent[:MAX_SPIDER_TEXT]
    links = [m.span() for m in _URL.finditer(agent)]

    def in_link(i: int) -> bool:
        return any(a <= i < b for a, b in links)

    if start >= 0 and not in_link(start) and len(matched.strip()) >= 3:
        return _trim(matched)
    words = [w.group() for w in _WORD.finditer(agent) if not in_link(w.start())]
    for word in words:
        if _BOTTISH.search(word) and not word.lower().startswith("mozilla"):
            return _trim(word)
    for word in words:
        if word.lower() not in _NOT_NAMES:
            return _trim(word)
    return _trim(matched if start >= 0 else agent)


def _trim(name: str) -> str:
    name = name.strip(" /;:()[]+,.'\"\\-_").split("/")[0].strip()
    return name[:NAME_LENGTH] or "bot"
