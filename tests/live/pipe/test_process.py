"""The pipe as Apache runs it: a process reading its stdin, counting into a real memcached."""

from __future__ import annotations

import datetime
import random
import re
import signal
from pathlib import Path

import pytest

from admin_hits.live.hours import without_hours
from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer, free_port
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until

pytestmark = pytest.mark.services

DAY = datetime.date(2026, 11, 28)
BERLIN = ["--time-zone", "Europe/Berlin"]


def views(server: MemcachedServer, *paths: str, day: datetime.date = DAY) -> dict[str, int]:
    store = MemcachedStore([server.address])
    try:
        return store.get_many(day, paths) if paths else without_hours(store.day(day))
    finally:
        store.close()


def test_counts_arrive_while_stdin_stays_open(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--status-interval", "0.2")
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=10)  # started and reading
    pipe.send(combined("/a/") + combined("/a/") + combined("/style.css") + "junk\n")
    # Flushed every interval (1 s), not at the end of stdin: how soon is not asserted, a busy
    # machine stretches it.
    wait_until(lambda: views(memcached) == {"/a/": 2}, timeout=5)
    pipe.send(combined("/b/"))
    wait_until(lambda: views(memcached) == {"/a/": 2, "/b/": 1}, timeout=3)
    assert pipe.close() == 0
    assert "admin-hits-pipe: exit lines=5 views=3 " in pipe.stderr
    assert "skipped=1(unparsed:1)" in pipe.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, None])
def test_pending_counts_are_flushed_on_signal_and_eof(memcached, start_pipe, signum) -> None:
    # A long flush interval: only the exit can have written the counts.
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--flush-interval", "30",
                      "--status-interval", "0.2")  # fmt: skip
    pipe.send(combined("/a/") * 3)
    # The status line shows the lines were read (and signal handlers are in place).
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=5)
    assert views(memcached) == {}
    assert (pipe.signal(signum) if signum else pipe.close()) == 0
    assert views(memcached) == {"/a/": 3}


def test_status_line_every_interval(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--status-interval", "0.3")
    pipe.send(combined("/a/"))
    status = r"admin-hits-pipe: lines=1 views=1 lines/s=\d+ skipped=0 store_errors=0 dropped=0 "
    wait_until(lambda: re.search(status + "uncertain=0 pending=0\n", pipe.stderr), timeout=5)
    assert pipe.close() == 0


def test_stdin_drains_while_the_store_is_down_and_counts_resume(
    memcached, start_pipe, tmp_path
) -> None:
    port = free_port()
    pipe = start_pipe("--store", f"memcached://127.0.0.1:{port}", *BERLIN,
                      "--status-interval", "0.5")  # fmt: skip
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=10)  # started and reading
    burst = combined("/down/") * 20_000  # 4 MB: far more than a pipe buffer holds
    pipe.send_within(burst.encode(), timeout=30)  # taken all: read while the store is down
    wait_until(lambda: re.search(r"lines=20000 .* store_errors=[1-9]", pipe.stderr), timeout=5)
    server = MemcachedServer(port)
    server.start()
    try:
        # The store's return is picked up: every view counted exactly once.
        wait_until(lambda: views(server) == {"/down/": 20_000}, timeout=15)
        pipe.send(combined("/down/"))
        wait_until(lambda: views(server) == {"/down/": 20_001}, timeout=5)
        assert pipe.close() == 0
    finally:
        server.stop()


def test_a_bad_configuration_exits_2_with_one_clear_line(start_pipe) -> None:
    pipe = start_pipe("--store", "db")
    assert pipe.close() == 2
    assert pipe.stderr.strip() == (
        "admin-hits-pipe: the db store needs the Django settings: pass --settings or set "
        "DJANGO_SETTINGS_MODULE (or use --store memcached://HOST:PORT)"
    )


def test_settings_give_store_zone_and_rules(start_pipe, redis) -> None:
    from admin_hits.live.stores.django_cache import DjangoCacheStore

    pipe = start_pipe(env={"DJANGO_SETTINGS_MODULE": "tests.settings",
                           "ADMIN_HITS_STORE": "django-cache://redis"})  # fmt: skip
    # 23:30 UTC on the 28th is the 29th in Berlin (tests.settings.TIME_ZONE); /static/ is
    # STATIC_URL there, so not a view.
    pipe.send(combined("/late/", "28/Nov/2026:23:30:00 +0000") + combined("/static/x"))
    assert pipe.close() == 0
    store = DjangoCacheStore("redis")
    # The site's views per hour of the day are kept beside the paths (00:30 in Berlin).
    assert store.day(datetime.date(2026, 11, 29)) == {"/late/": 1, "*hours/00": 1}


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


#: A flood of distinct random paths (issue 6: 1M); about 10 s through the real process here.
FLOOD_LINES = 1_000_000


@pytest.mark.slow
def test_a_flood_of_distinct_paths_keeps_memory_bounded(start_pipe) -> None:
    # The store is down, so every distinct path would pile up without the bounds.
    pipe = start_pipe("--no-supervisor", "--store", f"memcached://127.0.0.1:{free_port()}",
                      *BERLIN, "--max-pending", "20000", "--status-interval", "0.5")  # fmt: skip
    rng = random.Random(6)
    chunks = FLOOD_LINES // 10_000
    halfway = 0.0
    for n in range(chunks):
        pipe.send("".join(combined(f"/r/{rng.getrandbits(64):x}/") for _ in range(10_000)))
        if n == chunks // 2:
            halfway = peak_rss_mib(pipe.pid)  # the caches have filled and started over by now
    wait_until(lambda: f"lines={FLOOD_LINES} " in pipe.stderr, timeout=60)
    peak = peak_rss_mib(pipe.pid)
    assert pipe.close(timeout=30) == 0
    final = pipe.stderr.splitlines()[-1]
    assert f"views={FLOOD_LINES}" in final and "pending=0" in final
    dropped = int(re.search(r"dropped=(\d+)", final).group(1))
    assert dropped == FLOOD_LINES  # counted, not silently lost: the store never came back
    # Bounded: the second half of the flood adds nothing; one pending count per path would
    # take some 200 MiB more.
    assert peak - halfway < 10, f"peak RSS {halfway:.0f} MiB halfway, {peak:.0f} MiB at the end"
    assert peak < 150, f"peak RSS {peak:.0f} MiB"


def test_settings_module_found_through_pythonpath(memcached, start_pipe, tmp_path) -> None:
    (tmp_path / "mysite_settings.py").write_text(
        f"TIME_ZONE = 'Asia/Tokyo'\nADMIN_HITS_STORE = '{memcached.url}'\n"
        "ADMIN_HITS_KEY_PREFIX = 'mysite'\nSTATIC_URL = '/assets/'\n"
    )
    pipe = start_pipe("--pythonpath", str(tmp_path), "--settings", "mysite_settings")
    # 16:00 UTC on the 28th is the 29th in Tokyo; /assets/ is this site's STATIC_URL.
    pipe.send(combined("/a/", "28/Nov/2026:16:00:00 +0000") + combined("/assets/x"))
    assert pipe.close() == 0
    store = MemcachedStore([memcached.address], prefix="mysite")
    assert without_hours(store.day(datetime.date(2026, 11, 29))) == {"/a/": 1}
