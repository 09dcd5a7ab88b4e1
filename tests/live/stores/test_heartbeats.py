"""Pipes' heartbeats in every store backend: written, read back, and found gone after a loss."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import caches

from admin_hits.exceptions import StoreError
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.db import DatabaseStore
from admin_hits.live.stores.django_cache import DjangoCacheStore
from admin_hits.live.stores.heartbeats import PIPE_LIMIT, Heartbeat, count_key
from admin_hits.live.stores.memcached import MemcachedStore
from admin_hits.models import LivePipe
from tests.fixtures.memcached import MemcachedServer, free_port

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 29)


def beat(pid: int = 10, **fields) -> Heartbeat:
    return Heartbeat(host="web1", pid=pid, version="1.2", started=1_700_000_000.0, **fields)


@pytest.fixture(params=["memcached", "redis", "db"])
def store(request) -> LiveStore:
    """A fresh store of each backend; losing its data empties it."""
    if request.param == "memcached":
        server: MemcachedServer = request.getfixturevalue("memcached")
        made: LiveStore = MemcachedStore([server.address], prefix="t")
        made.lose = server.flush
    elif request.param == "redis":
        request.getfixturevalue("redis")  # a redis-server of the tests' own, as CACHES["redis"]
        cache = caches["redis"]
        cache.clear()
        made = DjangoCacheStore("redis", prefix="t")
        made.lose = cache.clear
    else:
        made = DatabaseStore()
        made.lose = lambda: LivePipe.objects.all().delete()
    yield made
    made.close()


@pytest.mark.services
def test_heartbeats_are_written_updated_and_read_per_day(store: LiveStore) -> None:
    assert store.heartbeats(DAY) == []
    assert store.beat(DAY, beat(lines=5, views=3, last_write=1.5, beat=2.0))
    assert store.beat(DAY, beat(lines=9, views=4, last_write=3.0, beat=3.0))  # the same pipe
    assert store.beat(DAY, beat(pid=11, beat=3.5))  # another one
    assert sorted(store.heartbeats(DAY), key=lambda b: b.pid) == [
        beat(lines=9, views=4, last_write=3.0, beat=3.0),
        beat(pid=11, beat=3.5),
    ]
    assert store.heartbeats(DAY + datetime.timedelta(days=1)) == []


@pytest.mark.services
def test_a_heartbeat_gone_says_the_store_lost_the_day(store: LiveStore) -> None:
    assert store.beat(DAY, beat(beat=1.0))
    store.lose()
    assert store.heartbeats(DAY) == []
    assert not store.beat(DAY, beat(beat=2.0, lost_at=2.0))  # noticed by the pipe that wrote
    assert store.heartbeats(DAY) == [beat(beat=2.0, lost_at=2.0)]
    assert store.beat(DAY, beat(beat=3.0))  # written again: all is well since


@pytest.mark.services
def test_a_new_day_is_not_a_loss(store: LiveStore) -> None:
    assert store.beat(DAY, beat(beat=1.0))
    assert store.beat(DAY + datetime.timedelta(days=1), beat(beat=2.0))


@pytest.mark.services
def test_the_probe_writes_and_reads_back(store: LiveStore) -> None:
    store.probe()


@pytest.mark.services
def test_memcached_says_when_its_server_started(start_memcached) -> None:
    server = start_memcached()
    store = MemcachedStore([server.address])
    before = time.time()
    started = store.started()
    assert started is not None and before - 5 <= started <= before + 1
    server.stop()
    assert store.started() is None
    store.close()


def test_memcached_heartbeat_fails_with_a_store_error_when_down() -> None:
    store = MemcachedStore([("127.0.0.1", free_port())], timeout=0.2)
    with pytest.raises(StoreError):
        store.beat(DAY, beat())
    with pytest.raises(StoreError):
        store.probe()
    store.close()


def test_heartbeats_decode_only_what_they_wrote() -> None:
    record = beat(lines=1, views=1, last_write=2.0, beat=2.0, lost_at=1.0, stopped=True)
    assert Heartbeat.decode(record.encode()) == record
    assert Heartbeat.decode(record.encode().encode()) == record  # memcached's bytes
    assert Heartbeat.decode('{"host": "x", "pid": 1, "version": "1", "started": 0, "new": 1}')
    for junk in (None, "", "[]", "{}", "nope", '{"host": 1}'):
        assert Heartbeat.decode(junk) is None
    assert PIPE_LIMIT >= 100


@pytest.mark.services
def test_pipes_beyond_the_days_limit_are_not_kept_nor_taken_for_a_loss(
    memcached: MemcachedServer,
) -> None:
    store = MemcachedStore([memcached.address], prefix="t")
    store._bump_key(count_key("t", DAY), PIPE_LIMIT)  # the day's slots all taken
    assert store.beat(DAY, beat(beat=1.0))
    assert store.beat(DAY, beat(beat=2.0))  # not written, and not found gone either
    assert store.heartbeats(DAY) == []
    store.close()
