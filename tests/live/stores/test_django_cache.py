"""The django-cache store against a real Redis: ``CACHES["redis"]`` on the ``redis`` fixture."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.cache import caches
from django.test import override_settings

from admin_hits.exceptions import ConfigurationError
from admin_hits.live.stores import get_store
from admin_hits.live.stores.django_cache import DjangoCacheStore
from admin_hits.live.stores.errors import PartialAddError
from tests.fixtures.memcached import free_port
from tests.fixtures.redis import RedisServer

pytestmark = pytest.mark.services

DAY = datetime.date(2026, 11, 29)
UGLY = ["/a/", "/with space/", "/ctl\x00\x1b[2J", "/\udcff\udc80", "/ü/😀", "/long/" + "x" * 8192]


@pytest.fixture
def redis_store(redis: RedisServer) -> DjangoCacheStore:
    return DjangoCacheStore("redis", prefix="t")


def test_adds_and_reads_back_any_path(redis_store: DjangoCacheStore) -> None:
    redis_store.add(DAY, dict.fromkeys(UGLY, 2))
    redis_store.add(DAY, {"/a/": 5})
    assert redis_store.get_many(DAY, [*UGLY, "/never/"]) == {**dict.fromkeys(UGLY, 2), "/a/": 7}
    assert redis_store.day(DAY) == {**dict.fromkeys(UGLY, 2), "/a/": 7}
    assert redis_store.day(DAY + datetime.timedelta(days=1)) == {}


def test_counters_expire_after_48_hours(redis_store: DjangoCacheStore) -> None:
    redis_store.add(DAY, {"/a/": 1})
    cache = caches["redis"]
    client = cache._cache.get_client(None)
    keys = client.keys("*:t:20261129:*")
    assert len(keys) == 3  # the counter, the index count and the index slot
    for key in keys:
        assert 48 * 3600 - 60 < client.ttl(key) <= 48 * 3600, key


def test_writers_racing_on_new_keys_lose_nothing(redis_store: DjangoCacheStore) -> None:
    paths = [f"/race/{i}/" for i in range(300)]
    start = threading.Barrier(3)

    def write() -> None:
        store = DjangoCacheStore("redis", prefix="t")  # its own connection, like another server
        start.wait(timeout=5)
        for _ in range(2):
            store.add(DAY, dict.fromkeys(paths, 1))

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert redis_store.get_many(DAY, paths) == dict.fromkeys(paths, 6)
    assert sorted(redis_store.day(DAY)) == sorted(paths)  # every path listed, each once


def test_unreachable_redis_applies_nothing() -> None:
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/15",
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    }
    with override_settings(CACHES={"default": dead}):
        store = DjangoCacheStore("default", prefix="t")
        with pytest.raises(PartialAddError) as failure:
            store.add(DAY, {"/a/": 1, "/b/": 2})
        assert failure.value.unapplied == {"/a/": 1, "/b/": 2}
        with pytest.raises(Exception, match="django-cache store"):
            store.get_many(DAY, ["/a/"])


def test_unknown_alias_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="no cache 'nope'"):
        DjangoCacheStore("nope")


def test_get_store_builds_it_from_the_url(redis_store: DjangoCacheStore) -> None:
    store = get_store("django-cache://redis")
    assert isinstance(store, DjangoCacheStore) and store.alias == "redis"


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_works_on_any_cache_with_incr() -> None:
    store = DjangoCacheStore("default", prefix="t")
    store.add(DAY, {"/a/": 1})
    store.add(DAY, {"/a/": 2, "/b/": 1})
    assert store.day(DAY) == {"/a/": 3, "/b/": 1}
