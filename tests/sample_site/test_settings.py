"""The demo site's database settings: the same SQLite options from a ``DATABASE_URL``."""

from __future__ import annotations

import importlib
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
