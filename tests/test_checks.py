from __future__ import annotations

import pytest
from django.core import checks
from django.db import connections
from django.test import override_settings

from admin_hits.checks import check_deployment, check_settings, check_store_reachable


def ids(messages) -> list[str]:
    return sorted(m.id for m in messages)


LOG = {"ADMIN_HITS_ACCESS_LOG": "/var/log/apache2/%Y/%m/%d/access.log"}


@override_settings(**LOG)
def test_defaults_are_clean() -> None:
    assert check_settings() == []


@pytest.fixture
def sqlite_for_writers(monkeypatch) -> None:
    """The test database's settings as a production SQLite site's should be (W005 silent)."""
    config = connections["default"].settings_dict
    options = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    monkeypatch.setitem(config, "OPTIONS", {**config.get("OPTIONS", {}), **options})


def test_missing_access_log_is_a_deployment_warning(sqlite_for_writers) -> None:
    assert check_settings() == []
    messages = check_deployment()
    assert ids(messages) == ["admin_hits.W003"]
    assert isinstance(messages[0], checks.Warning)
    with override_settings(**LOG):
        assert check_deployment() == []


@override_settings(**LOG)
def test_sqlite_without_wal_and_immediate_transactions(monkeypatch) -> None:
    config = connections["default"].settings_dict
    if "sqlite3" not in config["ENGINE"]:
        assert check_deployment() == []
        return
    monkeypatch.setitem(config, "OPTIONS", {})
    (message,) = check_deployment()
    assert message.id == "admin_hits.W005" and "database is locked" in message.msg
    monkeypatch.setitem(config, "OPTIONS", {"init_command": "PRAGMA journal_mode = WAL"})
    assert ids(check_deployment()) == ["admin_hits.W005"]  # IMMEDIATE still missing
    monkeypatch.setitem(config, "OPTIONS", {"init_command": "PRAGMA journal_mode = WAL",
                                            "transaction_mode": "IMMEDIATE"})  # fmt: skip
    assert check_deployment() == []


@override_settings(**LOG, ADMIN_HITS_LOG_FORMAT="%h %l %u")
def test_a_format_without_time_request_and_status() -> None:
    (message,) = check_settings()
    assert message.id == "admin_hits.E001"
    assert "can not be used" in message.msg


@pytest.mark.parametrize(
    ("log_format", "warned"),
    [("combined", False), ('%a %t "%r" %>s', False),
     ('%{X-Forwarded-For}i %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"', True)],
)  # fmt: skip
def test_a_format_without_the_client_address(log_format: str, warned: bool) -> None:
    with override_settings(**LOG, ADMIN_HITS_LOG_FORMAT=log_format):
        messages = check_settings()
    assert ids(messages) == (["admin_hits.W004"] if warned else [])
    if warned:
        assert (
            isinstance(messages[0], checks.Warning) and "ADMIN_HITS_EXCLUDE_IPS" in messages[0].msg
        )


@override_settings(**LOG, ADMIN_HITS_LOG_FORMAT="nosuchnickname")
def test_an_unknown_nickname() -> None:
    assert ids(check_settings()) == ["admin_hits.E001"]


@pytest.mark.parametrize("auto", ["auto", "AUTO"])
def test_auto_is_a_log_format_parse_log_reads_from_the_files(auto: str) -> None:
    with override_settings(**LOG, ADMIN_HITS_LOG_FORMAT=auto):
        assert check_settings() == []


@override_settings(**LOG, ADMIN_HITS_MODELS=["testapp.Article", "nope.Model", "bad"])
def test_unknown_models() -> None:
    assert ids(check_settings()) == ["admin_hits.E002", "admin_hits.E002"]


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("ADMIN_HITS_EXCLUDE_PATHS", ["/ok/", "^("], "'^('"),
        ("ADMIN_HITS_EXCLUDE_IPS", ["192.0.2.0/24", "not-an-ip"], "'not-an-ip'"),
        ("ADMIN_HITS_BOT_PATTERNS", ["("], "ADMIN_HITS_BOT_PATTERNS: '('"),
        ("ADMIN_HITS_HUMAN_PATTERNS", ["[a-"], "ADMIN_HITS_HUMAN_PATTERNS: '[a-'"),
    ],
)
def test_view_rules_that_can_not_be_used(setting: str, value: list, named: str) -> None:
    # The pipe and parse_log would refuse them at their start: say so at the site's own.
    with override_settings(**LOG, **{setting: value}):
        (message,) = check_settings()
    assert message.id == "admin_hits.E006" and named in message.msg


@pytest.mark.parametrize(
    ("urls", "named"),
    [({"page": {"model": "nope.Model"}}, "'page'"),
     ({"page": "tests.nowhere.find"}, "'page'"),
     ({"page": {"model": "testapp.Page", "fields": {"code": "cod"}}}, "no field 'cod'"),
     ({"page": {"model": "testapp.Article", "fields": {"x": "author__name"}}}, "'author__name'")],
)  # fmt: skip
def test_url_rules_that_can_not_be_used(urls: dict, named: str) -> None:
    # parse_log would stop at the first path of that URL, in the night.
    with override_settings(**LOG, ADMIN_HITS_URLS=urls):
        (message,) = check_settings()
    assert message.id == "admin_hits.E007" and named in message.msg


@override_settings(**LOG, ADMIN_HITS_STORE="redis://x")
def test_unknown_store() -> None:
    assert ids(check_settings()) == ["admin_hits.E003"]


@pytest.mark.parametrize("expiry", [0, -5, 30 * 24 * 3600, 10**9, "soon"])
def test_expiry_memcached_would_misread(expiry) -> None:
    with override_settings(**LOG, ADMIN_HITS_LIVE_EXPIRY=expiry):
        assert ids(check_settings()) == ["admin_hits.E004"]


@override_settings(**LOG, ADMIN_HITS_KEY_PREFIX="has space")
def test_bad_key_prefix() -> None:
    assert ids(check_settings()) == ["admin_hits.E005"]


@pytest.mark.parametrize(
    ("servers", "warnings"),
    [
        ("127.0.0.1:11211", 0),
        ("localhost:11211", 0),
        ("[::1]:11211", 0),
        ("10.0.0.5:11211", 1),
        ("127.0.0.1:11211,192.0.2.7:11211", 1),
    ],
)
def test_memcached_off_loopback(servers: str, warnings: int) -> None:
    with override_settings(**LOG, ADMIN_HITS_STORE=f"memcached://{servers}"):
        assert ids(check_settings()) == ["admin_hits.W002"] * warnings


@override_settings(ADMIN_HITS_STORE="memcached://127.0.0.1:1", ADMIN_HITS_STORE_TIMEOUT=0.2)
def test_unreachable_store_is_a_deployment_warning() -> None:
    (message,) = check_store_reachable()
    assert message.id == "admin_hits.W001"
    assert "can not be reached" in message.msg


def test_reachable_database_store(db) -> None:
    assert check_store_reachable() == []


def test_store_check_is_tagged_for_deployment() -> None:
    registry = checks.registry.registry
    assert check_store_reachable in registry.get_checks(include_deployment_checks=True)
    assert check_store_reachable not in registry.get_checks(include_deployment_checks=False)
