"""``admin-hits-pipe --check``, run as Apache's user would run it: a process, in another folder."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import free_port

pytestmark = pytest.mark.services

SETTINGS = """\
SECRET_KEY = "check"
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "import_export", "django_tables2",
    "admin_hits",
]
ADMIN_HITS_STORE = {store!r}
"""


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "admin_hits.pipe", "--check", *args],
        capture_output=True, text=True, timeout=60, cwd=cwd, env=env,
    )  # fmt: skip


def site(tmp_path: Path, store: str = "db") -> Path:
    """A project folder with ``mysite/settings.py`` and its SQLite database migrated."""
    folder = tmp_path / "project"
    (folder / "mysite").mkdir(parents=True)
    (folder / "mysite" / "__init__.py").write_text("")
    db = folder / "db.sqlite3"
    (folder / "mysite" / "settings.py").write_text(SETTINGS.format(db=str(db), store=store))
    return folder


def migrate(folder: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0", "--skip-checks",
         "--settings", "mysite.settings", "--pythonpath", str(folder)],
        check=True, timeout=120, cwd=folder,
    )  # fmt: skip


def test_memcached_without_settings_says_what_it_counts_where(memcached, tmp_path) -> None:
    run = check("--store", memcached.url, "--time-zone", "Europe/Berlin", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    today = datetime.datetime.now(ZoneInfo("Europe/Berlin")).date()
    assert run.stdout == (
        f"admin-hits-pipe --check: OK: counts combined lines from stdin into {memcached.url} "
        "(key prefix 'hits'), dated in Europe/Berlin, without Django settings (a sample line "
        f"counted as 1 view of /admin-hits-check/ on {today})\n"
    )
    store = MemcachedStore([memcached.address])
    assert store.day(today) == {}  # the sample is not counted into the store
    store.close()


def test_a_store_that_does_not_answer_fails_with_the_reason(tmp_path) -> None:
    run = check("--store", f"memcached://127.0.0.1:{free_port()}", "--timeout", "0.3",
                cwd=tmp_path)  # fmt: skip
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("admin-hits-pipe --check: FAILED: memcached store: 127.0.0.1:")
    assert "Connection refused" in run.stderr and run.stderr.count("\n") == 1


def test_a_forgotten_pythonpath_is_named(tmp_path) -> None:
    folder = site(tmp_path)
    run = check("--settings", "mysite.settings", cwd=tmp_path)
    assert run.returncode == 1
    assert "Django settings 'mysite.settings' can not be loaded: No module named 'mysite'" in (
        run.stderr
    )
    assert "is --pythonpath the folder that holds mysite/?" in run.stderr
    migrate(folder)
    run = check("--settings", "mysite.settings", "--pythonpath", str(folder), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert f"into the db store (default: sqlite3 {folder / 'db.sqlite3'})" in run.stdout
    assert "dated in Europe/Berlin, with the settings mysite.settings" in run.stdout


def test_the_store_of_the_settings_is_checked(memcached, tmp_path) -> None:
    folder = site(tmp_path, store=memcached.url)
    run = check("--settings", "mysite.settings", "--pythonpath", str(folder),
                "--format", "vhost_combined", cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(
        f"admin-hits-pipe --check: OK: counts vhost_combined lines from stdin into {memcached.url}"
    )


def test_a_database_without_the_tables_fails(tmp_path) -> None:
    folder = site(tmp_path)  # not migrated
    run = check("--settings", "mysite.settings", "--pythonpath", str(folder), cwd=tmp_path)
    assert run.returncode == 1
    assert "FAILED: database store: no such table: admin_hits_livepipe" in run.stderr


def test_a_sample_the_rules_do_not_count_says_why(memcached, tmp_path) -> None:
    run = check("--store", memcached.url, "--exclude", "/admin-hits", cwd=tmp_path)
    assert run.returncode == 1
    assert "was not counted as a view ({'excluded': 1})" in run.stderr


def test_a_format_that_can_not_be_read_fails(memcached, tmp_path) -> None:
    run = check("--store", memcached.url, "--format", "%h %>s", cwd=tmp_path)
    assert run.returncode == 1
    assert "lacks the request time (%t) and the request line" in run.stderr
