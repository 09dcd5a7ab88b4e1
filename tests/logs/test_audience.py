from __future__ import annotations

import datetime
from collections import Counter

import pytest

from admin_hits.logs import Aggregator, ViewRules, agents, days_of
from admin_hits.logs.agents import AgentClasses, classify, device_class
from admin_hits.logs.countries import Countries, client_address
from tests.helpers import combined

DAY = datetime.date(2026, 11, 28)
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")  # fmt: skip


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("8.8.8.8", "8.8.8.8"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("fe80::1%eth0", "fe80::1"),
        ("::ffff:8.8.8.8", "8.8.8.8"),
        ("example.com", None),
        ("-", None),
    ],
)
def test_client_address(host, address):
    assert client_address(host) == address


@pytest.mark.parametrize(
    ("host", "country"),
    [
        (b"8.8.8.8", "US"),
        ("2001:4860:4860::8888", "US"),
        (b"::ffff:193.0.0.1", "NL"),
        (b"10.0.0.1", ""),
        (b"2001:db8::1", ""),
        (b"crawl.example.com", ""),
        (b"", ""),
        (None, ""),
    ],
)
def test_countries(host, country):
    assert Countries().of(host) == country


def test_a_10kb_user_agent_is_read_safely():
    found = classify("Mozilla/5.0 (Windows NT 10.0) " + "(" * 10_000)
    assert found.os == "Windows"
    assert found.device == "desktop"


def test_the_version_rolls_up_into_the_family():
    found = classify(CHROME)
    assert (found.browser, found.version, found.os, found.device) == (
        "Chrome",
        "Chrome 131",
        "Windows",
        "desktop",
    )


@pytest.mark.parametrize(
    ("agent", "system", "device", "expected"),
    [
        ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X)", "iOS", "iPad", "tablet"),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari", "Android", "", "mobile"),
        ("Mozilla/5.0 (Linux; Android 13; SM-X710) Safari", "Android", "", "tablet"),
        ("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0)", "Tizen", "", "other"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "Linux", "", "desktop"),
        ("Googlebot/2.1", "Other", "Spider", "other"),
        ("Something/1.0", "Other", "", "other"),
    ],
)
def test_device_class(agent, system, device, expected):
    assert device_class(agent, system, device, spider=device == "Spider") == expected


def test_each_distinct_user_agent_is_parsed_once(monkeypatch):
    calls = Counter()
    real = agents.classify

    def counting(agent: str) -> agents.AgentClass:
        calls[agent] += 1
        return real(agent)

    monkeypatch.setattr(agents, "classify", counting)
    aggregator = Aggregator(tz=datetime.UTC, rules=ViewRules())
    lines = [
        combined(f"/p{i % 7}/", "28/Nov/2026:12:00:00 +0000", ip=f"192.0.2.{i % 50}",
                 user_agent=f"{CHROME} n{i % 3}").encode()
        for i in range(600)
    ]  # fmt: skip
    aggregator.feed(lines)
    audience = days_of(aggregator.take())[DAY].audience
    assert sum(audience.site("browsers").values()) == 600
    assert sorted(calls.values()) == [1, 1, 1]


def test_classes_are_cached_within_bounds():
    classes = AgentClasses(limit=2)
    for i in range(5):
        classes.of(f"{CHROME} {i}".encode())
    assert len(classes.known) <= 2


def test_the_pipe_counts_no_audience():
    aggregator = Aggregator(tz=datetime.UTC, rules=ViewRules(), visits=False)
    aggregator.feed([combined("/a/", "28/Nov/2026:12:00:00 +0000").encode()])
    counts = aggregator.take()
    assert counts.views_total == 1
    assert not days_of(counts)[DAY].audience.browsers


def test_hours_are_local_and_match_on_both_paths():
    # 23:30 UTC is 00:30 the next day in Berlin; lines one by one and by chunk agree.
    tz = datetime.timezone(datetime.timedelta(hours=1))
    line = combined("/a/", "28/Nov/2026:22:30:00 +0000", user_agent=CHROME).encode()
    fast = Aggregator(tz=tz, rules=ViewRules())
    fast.feed([line] * 3)
    slow = Aggregator(tz=tz, rules=ViewRules())
    slow.verdict(line)
    for _ in range(3):
        slow._count_line(line)
    for aggregator in (fast, slow):
        audience = days_of(aggregator.take())[DAY].audience
        assert audience.as_dict()["hours"] == [0] * 23 + [3]
