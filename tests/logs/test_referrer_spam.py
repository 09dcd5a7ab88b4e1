from __future__ import annotations

import datetime
from importlib.resources import files

import pytest

from admin_hits.logs import Aggregator, ViewRules, days_of
from admin_hits.logs.referrer_spam import SPAM_BOT, SpamReferrers, listed_hosts
from tests.helpers import combined

DAY = datetime.date(2026, 11, 28)


def test_the_shipped_list_says_where_it_comes_from() -> None:
    head = files("admin_hits.logs").joinpath("data/referrer_spam.txt").read_text().splitlines()
    assert "matomo-org/referrer-spam-list" in head[0] and "commit " in head[0]
    assert "CC0-1.0" in head[1]
    assert len(listed_hosts()) > 2000 and "semalt.com" in listed_hosts()


@pytest.mark.parametrize(
    ("referrer", "spam"),
    [
        (b"http://semalt.com/", True),
        (b"https://x.semalt.com/page", True),
        ("http://SEMALT.com/", True),
        (b"https://notsemalt.com/", False),  # a host under the listed one, not one like it
        (b"https://www.google.com/search?q=semalt.com", False),
        (b"-", False),
        (None, False),
        (b"https://spam.example/", False),
    ],
)
def test_spam_referrers(referrer, spam) -> None:
    assert SpamReferrers().of(referrer) is spam


def test_the_setting_adds_hosts() -> None:
    assert SpamReferrers(["spam.example"]).of(b"https://www.spam.example/")


@pytest.mark.parametrize("one_by_one", [False, True])
def test_spam_views_are_bot_views_and_no_referrals(one_by_one) -> None:
    rules = ViewRules(referrer_spam=("spam.example",))
    aggregator = Aggregator(tz=datetime.UTC, rules=rules)
    lines = [
        combined("/a/", "28/Nov/2026:12:00:00 +0000", referrer=referrer).encode()
        for referrer in ("http://semalt.com/", "https://spam.example/x", "https://news.example/")
    ] * 3
    if one_by_one:
        for line in lines:
            aggregator._count_line(line)
    else:
        aggregator.feed(lines)
    traffic = days_of(aggregator.take())[DAY]
    assert traffic.views == {"/a/": 3}
    assert traffic.bot_views == {"/a/": 6}
    assert traffic.bots == {SPAM_BOT: 6}
    assert set(traffic.referrers) == {("/a/", "https://news.example/")}
    assert sum(traffic.audience.site("browsers").values()) == 3
    verdict = aggregator.verdict(lines[0])
    assert (verdict.kind, verdict.bot) == ("view", SPAM_BOT)
