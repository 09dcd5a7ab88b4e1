"""The pipe's heartbeat in a real memcached: who counts, and a restart that lost the day."""

from __future__ import annotations

import datetime
import os
import re
from zoneinfo import ZoneInfo

import pytest

from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until

pytestmark = pytest.mark.services

ZONE = "Europe/Berlin"


def heartbeats(server: MemcachedServer) -> list:
    store = MemcachedStore([server.address])
    try:
        return store.heartbeats(datetime.datetime.now(ZoneInfo(ZONE)).date())
    finally:
        store.close()


def test_the_pipe_says_who_it_is_and_what_it_counted(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, "--time-zone", ZONE, "--no-supervisor")
    started = wait_until(lambda: heartbeats(memcached), timeout=10)  # written at the start
    assert started[0].pid == pipe.pid and started[0].last_write is None
    pipe.send(combined("/a/") * 3 + combined("/style.css"))
    wait_until(lambda: [b for b in heartbeats(memcached) if b.views == 3], timeout=5)
    (record,) = heartbeats(memcached)
    assert (record.host, record.lines, record.last_write is not None) == (os.uname()[1], 4, True)
    assert pipe.close() == 0
    assert heartbeats(memcached)[0].stopped


def test_a_memcached_restart_is_said_once_with_the_time(start_memcached, start_pipe) -> None:
    server = start_memcached()
    pipe = start_pipe("--store", server.url, "--time-zone", ZONE, "--no-supervisor")
    pipe.send(combined("/a/"))
    wait_until(lambda: [b for b in heartbeats(server) if b.views == 1], timeout=10)
    server.stop()
    server.start()  # empty: the day's counts are gone
    pipe.send(combined("/b/"))
    wait_until(lambda: [b for b in heartbeats(server) if b.lost_at], timeout=10)
    pipe.send(combined("/c/"))
    wait_until(lambda: [b for b in heartbeats(server) if b.views == 3], timeout=10)
    assert pipe.close() == 0
    said = re.findall(r"admin-hits-pipe: the live store lost today's counts.*\n", pipe.stderr)
    assert len(said) == 1
    assert re.search(r"live counts since \d\d:\d\d; the nightly count is unaffected$", said[0])
