"""The django-cache store on Django's memcached backend (pymemcache's HashClient)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from admin_hits.live.stores.django_cache import DjangoCacheStore
from admin_hits.live.stores.errors import PartialAddError
from tests.live.pipe.conftest import wait_until

pytestmark = pytest.mark.services

DAY = datetime.date(2026, 11, 29)


def test_a_server_marked_down_by_hashclient_applies_nothing_and_says_so(start_memcached) -> None:
    server = start_memcached()
    cache = {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
             "LOCATION": f"{server.host}:{server.port}"}  # fmt: skip
    with override_settings(CACHES={"default": cache}):
        store = DjangoCacheStore("default", prefix="t")
        store.add(DAY, {"/a/": 1})
        server.stop()
        deltas = {"/a/": 2, "/b/": 3}
        # HashClient raises for the server's first failures, then marks it down and, for a
        # while, answers with defaults without sending anything: get gives None, incr False.
        # Nothing reaches memcached either way, and the store must say so every time.
        for _ in range(5):
            with pytest.raises(PartialAddError) as failure:
                store.add(DAY, deltas)
            assert failure.value.unapplied == deltas and failure.value.uncertain == {}
        start_memcached(server.port)  # back, empty: the old counter is gone
        wait_until(lambda: _sent(store, deltas), timeout=10, step=0.2)
        assert store.get_many(DAY, ["/a/", "/b/"]) == deltas


def _sent(store: DjangoCacheStore, deltas: dict[str, int]) -> bool:
    try:
        store.add(DAY, deltas)
    except PartialAddError as exc:
        assert not exc.uncertain and exc.unapplied == deltas
        return False
    return True
