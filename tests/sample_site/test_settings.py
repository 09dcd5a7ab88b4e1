"""The demo site's database settings: the same SQLite options from a ``DATABASE_URL``."""

from __future__ import annotations

import importlib
import re
import sqlite3
from pathlib import Path
from types import ModuleType

import pytest

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "sample_site"


@pytest.fixture(scope="module")
def settings_module() -> ModuleType:
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SAMPLE_SITE))
        return importlib.import_module("sample_site.settings")


def test_sqlite_url_keeps_the_options_of_several_writers(
    settings_module: ModuleType, tmp_path: Path
) -> None:
    database = settings_module.database(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(tmp_path / "site.sqlite3")
    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    # The init command really turns WAL on.
    with sqlite3.connect(database["NAME"]) as connection:
        connection.executescript(options["init_command"])
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_without_url_and_postgres_url(settings_module: ModuleType) -> None:
    assert settings_module.database(None)["OPTIONS"] == settings_module.SQLITE_OPTIONS
    postgres = settings_module.database("postgres://postgres@127.0.0.1:5432/demo")
    assert "transaction_mode" not in postgres.get("OPTIONS", {})


def test_the_demo_logs_what_apache_logs_and_the_settings_read(
    settings_module: ModuleType,
) -> None:
    """The demo's generated lines, the recipe's LogFormat and ADMIN_HITS_LOG_FORMAT agree, so
    the demo and the deployed sample site both show the Speed tab."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(SAMPLE_SITE))
        traffic = importlib.import_module("press.traffic")
    recipe = (SAMPLE_SITE / "deploy" / "apache-site.conf").read_text()
    logged = re.search(r'LogFormat "(.*)" (\S+)$', recipe, re.M)
    assert logged is not None
    assert logged.group(1).replace('\\"', '"') == traffic.LOG_FORMAT
    customs = re.findall(r"^ *CustomLog .* (\S+)$", recipe, re.M)
    assert customs == [logged.group(2)] * 2  # both CustomLog lines use it
    assert settings_module.ADMIN_HITS_LOG_FORMAT == traffic.LOG_FORMAT
    assert "%D" in traffic.LOG_FORMAT and "%O" in traffic.LOG_FORMAT
