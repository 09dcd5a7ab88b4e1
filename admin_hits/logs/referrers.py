"""Where a view came from: the referrer's host and URL, the search engine and its keyword, and
the campaign (``utm_*``) of the request's own query string.

All of it comes from visitors and bots and is hostile: nothing here raises, every string is
cut to the length its column holds, and keywords are decoded and normalised the same way
whatever the input (the property tests feed it junk).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

URL_LENGTH = 1000
HOST_LENGTH = 255
KEYWORD_LENGTH = 200
CAMPAIGN_LENGTH = 100
# Longer query strings are not read for keywords or campaigns (a real one is far shorter).
_QUERY_LENGTH = 4096
_SCHEMES = ("http", "https", "android-app")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Search(NamedTuple):
    engine: str
    keyword: str  # "" when the engine did not pass it ("not provided")


class Campaign(NamedTuple):
    source: str
    medium: str
    campaign: str


# (engine, host regex, keyword parameters in order of preference). A host of one of these that
# carries none of the parameters is still a search visit, without its keyword: Google and Bing
# have withheld it since 2011 and 2013.
ENGINES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (name, re.compile(host), params)
    for name, host, params in (
        ("Google", r"^(?:www\.)?google\.(?:com|co\.[a-z]{2}|com\.[a-z]{2}|[a-z]{2,3})$", ("q",)),
        ("Google", r"^com\.google\.android\.googlequicksearchbox$", ("q",)),
        ("Bing", r"^(?:www\.|cn\.)?bing\.com$", ("q",)),
        ("DuckDuckGo", r"^(?:html\.|lite\.)?duckduckgo\.com$", ("q",)),
        ("Yahoo", r"^(?:[a-z]{2}\.)?search\.yahoo\.(?:com|co\.jp|[a-z]{2})$", ("p", "q")),
        ("Yandex", r"^(?:www\.)?(?:yandex\.(?:ru|com|com\.tr|by|kz|ua)|ya\.ru)$", ("text",)),
        ("Baidu", r"^(?:www\.|m\.)?baidu\.com$", ("wd", "word", "kw")),
        ("Ecosia", r"^(?:www\.)?ecosia\.org$", ("q",)),
        ("Qwant", r"^(?:www\.|lite\.)?qwant\.com$", ("q",)),
        ("Startpage", r"^(?:www\.)?startpage\.com$", ("query", "q")),
        ("Brave", r"^search\.brave\.com$", ("q",)),
        ("Ask", r"^(?:www\.)?ask\.com$", ("q", "query")),
        ("AOL", r"^search\.aol\.com$", ("q", "query")),
        ("Naver", r"^(?:m\.)?search\.naver\.com$", ("query",)),
        ("Seznam", r"^(?:search\.)?seznam\.cz$", ("q",)),
        ("Sogou", r"^(?:www\.|m\.)?sogou\.com$", ("query", "keyword")),
        ("360 Search", r"^(?:www\.)?so\.com$", ("q",)),
        ("Kagi", r"^kagi\.com$", ("q",)),
        ("Mojeek", r"^(?:www\.)?mojeek\.com$", ("q",)),
        ("Yahoo Japan", r"^search\.yahoo\.co\.jp$", ("p",)),
    )
)


class Referrer(NamedTuple):
    host: str  # lowercased, without port or trailing dot
    url: str  # as logged, cut to URL_LENGTH
    query: str


class SearchURL(str):
    """A search engine's referrer URL as kept (cut to ``URL_LENGTH``), with its ``search``
    (engine and keyword) read from the whole referrer: the cut can end inside the keyword,
    even inside one of its percent-escapes. A ``str``, so the counters keyed by referrer URLs
    keep their keys and the hash a ``str`` caches (the fast path counts them in C); two
    referrers cut to the same URL count as the first one's search."""

    search: Search

    def __new__(cls, url: str, search: Search) -> SearchURL:
        self = super().__new__(cls, url)
        self.search = search
        return self

    def __reduce__(self) -> tuple[type[SearchURL], tuple[str, Search]]:
        # Counts pickle between processes (parallel parse_log).
        return SearchURL, (str(self), self.search)


def kept_url(referrer: Referrer) -> str:
    """The URL kept of another site's referrer: a ``SearchURL`` for a search engine's."""
    search = search_of(referrer)
    return referrer.url if search is None else SearchURL(referrer.url, search)


def search_of_url(url: str) -> Search | None:
    """The search of a URL ``kept_url`` gave (``None`` for other sites' pages)."""
    return url.search if isinstance(url, SearchURL) else None


def parse_referrer(referrer: str) -> Referrer | None:
    """The host and URL of a logged referrer, or ``None`` when there is none or it is junk
    (no ``http(s)://``/``android-app://`` URL with a host)."""
    if not referrer or referrer == "-":
        return None
    scheme = referrer.partition("://")[0].lower()
    if scheme not in _SCHEMES:
        return None
    try:
        parts = urlsplit(referrer[: URL_LENGTH * 4])
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:  # "http://[::1" and other broken authorities
        return None
    if not host or _CONTROL.search(host):
        return None
    return Referrer(host[:HOST_LENGTH], referrer[:URL_LENGTH], parts.query)


def is_own_host(host: str, own_hosts: Iterable[str]) -> bool:
    """Whether ``host`` is the site's own: an exact name, or under a ``.example.com`` entry
    (as in Django's ``ALLOWED_HOSTS``)."""
    for own in own_hosts:
        own = own.lower().rstrip(".")
        if own.startswith("."):
            if host == own[1:] or host.endswith(own):
                return True
        elif host == own:
            return True
    return False


def search_of(referrer: Referrer) -> Search | None:
    """The search engine a referrer is, with its keyword ("" when not given), or ``None``."""
    host = referrer.host
    for name, pattern, params in ENGINES:
        if pattern.search(host):
            return Search(name, keyword(referrer.query, params))
    return None


def keyword(query: str, params: tuple[str, ...]) -> str:
    """The first of ``params`` in ``query``, percent-decoded, lowercased, spaces collapsed."""
    values = _params(query)
    for param in params:
        value = values.get(param)
        if value:
            return normalise(value, KEYWORD_LENGTH)
    return ""


def campaign_of(query: str) -> Campaign | None:
    """``utm_source``/``utm_medium``/``utm_campaign`` of a request's query string, normalised
    like keywords, or ``None`` when it has none of them."""
    if "utm_" not in query.lower():
        return None
    values = _params(query)
    found = Campaign(
        *(normalise(values.get(f"utm_{k}", ""), CAMPAIGN_LENGTH) for k in Campaign._fields)
    )
    return found if any(found) else None


def normalise(value: str, length: int) -> str:
    """Lowercase, control characters and runs of whitespace as one space, stripped, cut."""
    value = _SPACE.sub(" ", _CONTROL.sub(" ", value)).strip().lower()
    return value[:length].rstrip()


def _params(query: str) -> dict[str, str]:
    """The first value of each parameter (``+`` and percent-escapes decoded, bad UTF-8
    replaced)."""
    values: dict[str, str] = {}
    try:
        pairs = parse_qsl(query[:_QUERY_LENGTH], keep_blank_values=True, errors="replace")
    except ValueError:
        return values
    for name, value in pairs:
        values.setdefault(name.lower(), value)
    return values
