"""``manage.py hits_today`` on the db store and on a real memcached."""

from __future__ import annotations

import datetime
import json
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from admin_hits.live.stores.db import DatabaseStore
from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer, free_port

DAY = datetime.date(2026, 11, 29)


def run(*args: str) -> str:
    out = StringIO()
    call_command("hits_today", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_table_of_the_day_most_viewed_first() -> None:
    DatabaseStore().add(DAY, {"/b/": 3, "/a/": 12, "/c/": 3})
    lines = run("--date", "2026-11-29", "--store", "db").splitlines()
    assert [line.split() for line in lines] == [
        ["views", "path", "(2026-11-29)"],
        ["12", "/a/"],
        ["3", "/b/"],
        ["3", "/c/"],
        ["18", "total,", "3", "paths"],
    ]


@pytest.mark.django_db
def test_today_is_the_default_day(settings) -> None:
    settings.ADMIN_HITS_STORE = "db"
    DatabaseStore().add(timezone.localdate(), {"/today/": 1})
    DatabaseStore().add(timezone.localdate() - datetime.timedelta(days=1), {"/before/": 1})
    assert "/today/" in run() and "/before/" not in run()


@pytest.mark.django_db
def test_given_paths_and_json() -> None:
    DatabaseStore().add(DAY, {"/a/": 2, "/b/": 5})
    data = json.loads(run("--date", "2026-11-29", "--json", "--store", "db", "/a/", "/never/"))
    assert data == {
        "date": "2026-11-29",
        "store": "db",
        "total": 2,
        "paths": [{"path": "/a/", "views": 2}, {"path": "/never/", "views": 0}],
        "health": None,  # only said of today
    }


@pytest.mark.django_db
def test_an_empty_day_says_so() -> None:
    assert run("--date", "2026-11-29", "--store", "db") == "No views counted on 2026-11-29 yet.\n"


@pytest.mark.services
def test_reads_memcached_and_escapes_what_the_log_sent(memcached: MemcachedServer, settings):
    settings.ADMIN_HITS_STORE = memcached.url
    MemcachedStore([memcached.address]).add(DAY, {"/a/": 1, "/x\x1b[2J\n\udcff/": 4})
    lines = run("--date", "2026-11-29").splitlines()
    assert lines[1].split() == ["4", "/x\\x1b[2J\\x0a\\xff/"]
    assert lines[2].split() == ["1", "/a/"]


@pytest.mark.services
def test_unreachable_store_fails_with_a_clear_message(settings) -> None:
    settings.ADMIN_HITS_STORE_TIMEOUT = 0.2
    url = f"memcached://127.0.0.1:{free_port()}"
    with pytest.raises(CommandError, match=f"live store '{url}' can not be read"):
        run("--store", url)


def test_a_bad_date_is_refused() -> None:
    with pytest.raises(CommandError, match="not a date"):
        run("--date", "29.11.2026")


@pytest.mark.services
def test_a_server_that_can_not_be_read_is_said_not_left_out(memcached: MemcachedServer) -> None:
    # Several memcached servers, one of them down: the others' counts are shown, and the
    # command fails, naming the server whose share they miss.
    down = ("127.0.0.1", free_port())
    paths = [f"/p{n}/" for n in range(20)]
    MemcachedStore([memcached.address]).add(DAY, dict.fromkeys(paths, 1))
    url = f"memcached://{memcached.address[0]}:{memcached.address[1]},{down[0]}:{down[1]}"
    out = StringIO()
    with pytest.raises(CommandError, match=f"read in part: .*{down[1]}"):
        call_command("hits_today", "--date", "2026-11-29", "--store", url, *paths, stdout=out)
    shown = [line.split() for line in out.getvalue().splitlines()[1:-1]]
    # Keys of the live server are where the two-server store looks for them: about half.
    assert 0 < sum(int(views) for views, _ in shown) < len(paths)


@pytest.mark.django_db
def test_today_says_plainly_when_no_pipe_wrote_to_the_store(settings) -> None:
    settings.ADMIN_HITS_STORE = "db"
    out = run()
    assert "No pipe has written to this live store (db) today" in out
    assert json.loads(run("--json"))["health"]["pipes"] == []


@pytest.mark.django_db
def test_today_says_who_counts(settings) -> None:
    from admin_hits.live.stores.heartbeats import Heartbeat

    settings.ADMIN_HITS_STORE = "db"
    now = time.time()
    beat = Heartbeat("web1", 7, "1.0", now - 60, 3, 2, last_write=now - 600, beat=now - 1)
    DatabaseStore().beat(timezone.localdate(), beat)
    assert run().splitlines()[-1] == "Counted by 1 pipe, last write 10 min ago."
    health = json.loads(run("--json"))["health"]
    assert health["pipes_running"] == 1 and health["pipes"][0]["pid"] == 7


@pytest.mark.services
def test_a_memcached_started_today_says_since_when(start_memcached) -> None:
    server = start_memcached()  # as after a restart: it holds nothing from before
    since = timezone.localtime().strftime("%H:%M")
    out = run("--store", server.url)
    assert f"Live counts since {since}; the nightly count is unaffected." in out
