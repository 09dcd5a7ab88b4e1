"""The django-cache store on Redis while its server restarts (crashed, empty on return).

A server of the test's own (``start_redis`` of ``tests.fixtures.redis``) is killed and started
again on the same port, between two adds, during an add, and under the running pipe: a dead
connection is replaced before anything is sent into it, a store that is down applies nothing
and says so, counting resumes when it is back, and nothing is counted twice.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from admin_hits.exceptions import StoreError
from admin_hits.live.hours import without_hours
from admin_hits.live.stores.django_cache import DjangoCacheStore
from admin_hits.live.stores.errors import PartialAddError
from tests.hardening.test_pipe_faults import final_status, status_numbers
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until
from tests.live.pipe.test_process import BERLIN, DAY

pytestmark = pytest.mark.services


def redis_cache(url: str) -> dict[str, object]:
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}}  # fmt: skip


def test_a_restart_between_adds_costs_only_what_redis_forgot(start_redis) -> None:
    server = start_redis()
    with override_settings(CACHES={"default": redis_cache(server.url)}):
        store = DjangoCacheStore("default", prefix="t")
        store.add(DAY, {"/a/": 4, "/b/": 1})
        assert store.day(DAY) == {"/a/": 4, "/b/": 1}
        server.restart()  # the store's pooled connection is now dead
        store.add(DAY, {"/a/": 2, "/c/": 1})
        # Created again from zero: nothing applied before is sent again, nothing is lost.
        assert store.day(DAY) == {"/a/": 2, "/c/": 1}
        store.add(DAY, {"/a/": 1})
        assert store.get_many(DAY, ["/a/", "/b/", "/c/"]) == {"/a/": 3, "/c/": 1}


def test_a_server_down_applies_nothing_says_so_and_counting_resumes(start_redis) -> None:
    server = start_redis()
    with override_settings(CACHES={"default": redis_cache(server.url)}):
        store = DjangoCacheStore("default", prefix="t")
        store.add(DAY, {"/a/": 1})
        server.stop(crash=True)
        deltas = {"/a/": 2, "/b/": 3}
        for _ in range(3):
            with pytest.raises(PartialAddError) as failure:
                store.add(DAY, deltas)
            assert failure.value.unapplied == deltas and failure.value.uncertain == {}
        with pytest.raises(StoreError):
            store.day(DAY)
        server.start()
        store.add(DAY, deltas)
        assert store.day(DAY) == deltas


def test_the_pipe_counts_on_across_a_redis_restart(start_redis, start_pipe) -> None:
    server = start_redis()
    pipe = start_pipe(*BERLIN, "--status-interval", "0.2", "--flush-interval", "0.2",
                      env={"DJANGO_SETTINGS_MODULE": "tests.settings", "REDIS_URL": server.url,
                           "ADMIN_HITS_STORE": "django-cache://redis"})  # fmt: skip
    with override_settings(CACHES={"redis": redis_cache(server.url)}):
        store = DjangoCacheStore("redis")

        def stored() -> dict[str, int] | None:
            try:
                return without_hours(store.day(DAY))  # the site's hours are counted too
            except StoreError:
                return None

        pipe.send(combined("/a/") * 4 + combined("/b/"))
        wait_until(lambda: stored() == {"/a/": 4, "/b/": 1}, timeout=10)
        server.restart()
        pipe.send(combined("/a/") * 2 + combined("/c/"))
        wait_until(lambda: stored() == {"/a/": 2, "/c/": 1}, timeout=15)
        server.stop(crash=True)
        pipe.send(combined("/d/") * 3)  # kept pending while Redis is down
        wait_until(lambda: status_numbers(pipe).get("pending") == 3, timeout=10)
        server.start()
        wait_until(lambda: stored() == {"/d/": 3}, timeout=15)
    assert pipe.close() == 0
    status = final_status(pipe)
    assert (status["dropped"], status["uncertain"], status["pending"]) == (0, 0, 0)
