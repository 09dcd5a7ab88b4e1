"""Referrers, search keywords and campaigns: tables of real-world values, then hostile ones."""
# ruff: noqa: E501  (one real-world value per line reads best)

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from admin_hits.logs.referrers import (
    CAMPAIGN_LENGTH,
    HOST_LENGTH,
    KEYWORD_LENGTH,
    URL_LENGTH,
    Campaign,
    Search,
    campaign_of,
    is_own_host,
    parse_referrer,
    search_of,
)


@pytest.mark.parametrize(
    ("referrer", "host"),
    [
        ("https://www.example.org/a/b?c=1#x", "www.example.org"),
        ("HTTP://WWW.Example.ORG:8080/", "www.example.org"),
        ("https://example.org./", "example.org"),
        ("https://user:pw@example.org/", "example.org"),
        ("http://[2001:db8::1]:8080/x", "2001:db8::1"),
        ("android-app://com.google.android.gm/", "com.google.android.gm"),
        ("-", None),
        ("", None),
        ("about:blank", None),
        ("/relative/path", None),
        ("ftp://example.org/", None),
        ("javascript:alert(1)", None),
        ("http://", None),
        ("http://[::1", None),
        ("https://exa\\x00mple.org/", "exa\\x00mple.org"),  # Apache's escape, as logged
    ],
)
def test_referrer_hosts(referrer: str, host: str | None) -> None:
    parsed = parse_referrer(referrer)
    assert (parsed.host if parsed else None) == host


@pytest.mark.parametrize(
    ("referrer", "expected"),
    [
        ("https://www.google.com/", Search("Google", "")),
        ("https://www.google.co.uk/search?q=Caf%C3%A9++Django&oq=x", Search("Google", "café django")),
        ("https://www.google.com.br/search?q=hits", Search("Google", "hits")),
        ("android-app://com.google.android.googlequicksearchbox/", Search("Google", "")),
        ("https://www.bing.com/search?q=Django+Admin+HITS&form=QBLH", Search("Bing", "django admin hits")),
        ("https://duckduckgo.com/?q=apache%20%20logs&t=h_", Search("DuckDuckGo", "apache logs")),
        ("https://search.yahoo.com/search?p=press+release", Search("Yahoo", "press release")),
        ("https://yandex.ru/search/?text=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82", Search("Yandex", "привет")),
        ("https://www.baidu.com/s?wd=%E4%BD%A0%E5%A5%BD", Search("Baidu", "你好")),
        ("https://www.ecosia.org/search?q=trees", Search("Ecosia", "trees")),
        ("https://www.qwant.com/?q=vie+priv%C3%A9e", Search("Qwant", "vie privée")),
        ("https://www.startpage.com/do/search?query=privacy", Search("Startpage", "privacy")),
        ("https://search.brave.com/search?q=Brave", Search("Brave", "brave")),
        ("https://search.naver.com/search.naver?query=%EC%95%88%EB%85%95", Search("Naver", "안녕")),
        ("https://www.google.com/search?q=%FF%FE", Search("Google", "\ufffd\ufffd")),
        ("https://www.google.com/search?q=a%0Ab%09c", Search("Google", "a b c")),
        ("https://www.google.com/url?sa=t&q=&esrc=s", Search("Google", "")),
        ("https://mail.google.com/mail/u/0/", None),
        ("https://t.co/abc123", None),
        ("https://news.ycombinator.com/item?id=1&q=not-a-search", None),
    ],
)  # fmt: skip
def test_search_engines_and_keywords(referrer: str, expected: Search | None) -> None:
    parsed = parse_referrer(referrer)
    assert parsed is not None
    assert search_of(parsed) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("utm_source=newsletter&utm_medium=email&utm_campaign=spring", Campaign("newsletter", "email", "spring")),
        ("utm_source=News%20Letter&utm_campaign=Spring+Sale", Campaign("news letter", "", "spring sale")),
        ("UTM_SOURCE=Twitter", Campaign("twitter", "", "")),
        ("utm_source=a&utm_source=b", Campaign("a", "", "")),
        ("utm_term=x&utm_content=y", None),
        ("utm_source=&utm_medium=", None),
        ("q=1&page=2", None),
        ("", None),
        ("utm_source=" + "x" * 500, Campaign("x" * CAMPAIGN_LENGTH, "", "")),
    ],
)  # fmt: skip
def test_campaigns(query: str, expected: Campaign | None) -> None:
    assert campaign_of(query) == expected


@pytest.mark.parametrize(
    ("host", "own", "expected"),
    [
        ("example.org", ["example.org"], True),
        ("www.example.org", ["example.org"], False),
        ("www.example.org", [".example.org"], True),
        ("example.org", [".example.org"], True),
        ("badexample.org", [".example.org"], False),
        ("example.org", ["Example.ORG."], True),
        ("example.org", [], False),
    ],
)
def test_own_hosts(host: str, own: list[str], expected: bool) -> None:
    assert is_own_host(host, own) is expected


HOSTILE = st.one_of(
    st.text(max_size=3000),
    st.builds(
        lambda scheme, host, rest: f"{scheme}://{host}/{rest}",
        st.sampled_from(["http", "https", "HTTPS", "android-app", "ftp"]),
        st.text(max_size=300),
        st.text(max_size=3000),
    ),
)


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_hostile_referrers_never_raise_and_fit_their_columns(referrer: str) -> None:
    parsed = parse_referrer(referrer)
    if parsed is None:
        return
    assert 0 < len(parsed.host) <= HOST_LENGTH and len(parsed.url) <= URL_LENGTH
    assert parsed.host == parsed.host.lower()
    search = search_of(parsed)
    if search is not None:
        assert len(search.keyword) <= KEYWORD_LENGTH
        assert search.keyword == search.keyword.strip().lower()
        assert "  " not in search.keyword and not any(c < " " for c in search.keyword)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=5000), st.text(max_size=300))
def test_hostile_query_strings_never_raise(query: str, value: str) -> None:
    for found in (campaign_of(query), campaign_of(f"utm_source={value}&{query}")):
        if found is not None:
            assert all(len(part) <= CAMPAIGN_LENGTH for part in found)
            assert all(part == part.strip().lower() for part in found)
    parsed = parse_referrer(f"https://www.google.com/search?{query}&q={value}")
    assert parsed is not None
    assert search_of(parsed) is not None
