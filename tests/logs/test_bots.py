"""Bots apart: the bot list against labelled real user agents, names, overrides, is_bot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

import admin_hits
from admin_hits.conf import bot_name
from admin_hits.logs.bots import AI_CRAWLERS, NO_USER_AGENT, BotClassifier, trie_regex

DATA = Path(__file__).resolve().parents[1] / "data/user_agents"
REPO = Path(__file__).resolve().parents[2]


def labelled(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


BROWSERS = labelled("browsers.txt")
CRAWLERS = labelled("crawlers.txt")


def test_the_labelled_sets_are_real_and_apart() -> None:
    assert len(BROWSERS) >= 300 and len(CRAWLERS) >= 150
    assert len(set(BROWSERS)) == len(BROWSERS) and not set(BROWSERS) & set(CRAWLERS)


def test_crawlers_are_detected_and_browsers_are_not() -> None:
    bots = BotClassifier()
    missed = [agent for agent in CRAWLERS if not bots.is_bot(agent)]
    flagged = [agent for agent in BROWSERS if bots.is_bot(agent)]
    assert 1 - len(missed) / len(CRAWLERS) >= 0.98, missed
    assert len(flagged) / len(BROWSERS) <= 0.005, flagged


def test_the_datasets_own_examples_are_detected() -> None:
    from crawleruseragents import CRAWLER_USER_AGENTS_DATA

    examples = {i for entry in CRAWLER_USER_AGENTS_DATA for i in entry.get("instances", [])}
    bots = BotClassifier()
    missed = [agent for agent in examples if not bots.is_bot(agent)]
    assert len(examples) > 1000
    assert len(missed) / len(examples) <= 0.01, missed[:20]


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "YandexBot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
         "+https://openai.com/gptbot)", "GPTBot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
         "+claudebot@anthropic.com)", "ClaudeBot"),
        ("CCBot/2.0 (https://commoncrawl.org/faq/)", "CCBot"),
        ("meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/"
         "crawler)", "meta-externalagent"),
        ("UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/", "UniversalFeedParser"),
        ("portscout/0.8.1", "portscout"),
        ("-", NO_USER_AGENT),
        ("", NO_USER_AGENT),
        ("   ", NO_USER_AGENT),
    ],
)  # fmt: skip
def test_bots_have_readable_names(agent: str, name: str) -> None:
    assert BotClassifier().name(agent) == name


@pytest.mark.parametrize("token", AI_CRAWLERS)
def test_every_ai_crawler_token_is_a_bot(token: str) -> None:
    agent = f"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; {token}/1.0)"
    assert BotClassifier().is_bot(agent)


def test_human_patterns_win_over_bot_patterns_and_the_list() -> None:
    bots = BotClassifier(bot_patterns=[r"InternalBrowser"], human_patterns=[r"curl/7\.\d+ ours"])
    assert bots.name("Mozilla/5.0 InternalBrowser/2 (X11)") == "InternalBrowser"
    assert bots.name("curl/7.88 ours") is None
    assert bots.name("curl/8.5.0") == "curl"
    both = BotClassifier(bot_patterns=["kiosk"], human_patterns=["kiosk"])
    assert both.name("Kiosk/1.0 (Linux)") is None


def test_device_names_with_bot_in_them_are_people() -> None:
    agent = (
        "Mozilla/5.0 (Linux; Android 10; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36"
    )
    assert BotClassifier().name(agent) is None


ECOSIA_APPS = [agent for agent in BROWSERS if "(Ecosia " in agent]


def test_an_at_sign_is_no_bot_without_an_e_mail_address() -> None:
    # Ecosia's apps sign "(Ecosia ios@11.5.2.2615)"; bots sign with a contact address.
    bots = BotClassifier()
    assert len(ECOSIA_APPS) == 2
    assert [bots.name(agent) for agent in ECOSIA_APPS] == [None, None]
    assert bots.name("Mozilla/5.0 (compatible; Ezooms/1.0; help@moz.com)") == "Ezooms"
    assert bots.is_bot("binlar_2.6.3 (test@mgmt.mic)")


def test_the_cache_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import admin_hits.logs.bots as module

    monkeypatch.setattr(module, "_CACHE_LIMIT", 10)
    bots = BotClassifier()
    for i in range(100):
        assert bots.name(f"curl/{i}") == "curl"
    assert len(bots._cache) <= 10


def test_trie_regex_matches_exactly_the_words() -> None:
    import re

    words = ["bot", "bott", "crawler", "c.rawl", "a+b", "x"]
    regex = re.compile(trie_regex(words))
    for word in words:
        assert regex.fullmatch(word), word
    for other in ["bo", "crawl", "carawl", "aab", "y", ""]:
        assert not regex.fullmatch(other), other


@override_settings(ADMIN_HITS_BOT_PATTERNS=["^Acme-Checker"], ADMIN_HITS_HUMAN_PATTERNS=["Wget/9"])
def test_is_bot_reads_the_settings() -> None:
    assert admin_hits.is_bot("Acme-Checker 2.0")
    assert not admin_hits.is_bot("Wget/9.1")
    assert admin_hits.is_bot("Wget/1.21.4")
    assert bot_name("Acme-Checker 2.0") == "Acme-Checker"


def test_is_bot_works_without_django_settings() -> None:
    code = (
        "import admin_hits, django.conf; assert not django.conf.settings.configured; "
        "print(admin_hits.is_bot('curl/8.5.0'), admin_hits.is_bot("
        "'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "False"]


@pytest.mark.parametrize("setting", ["bot_patterns", "human_patterns"])
def test_a_bad_pattern_is_a_configuration_error(setting: str) -> None:
    from admin_hits.exceptions import ConfigurationError

    with pytest.raises(ConfigurationError, match=r"\(unclosed"):
        BotClassifier(**{setting: ["ok", "(unclosed"]})
