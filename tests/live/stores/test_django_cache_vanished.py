"""The django-cache store when counters vanish between its ``add`` and its ``incr``."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from admin_hits.live.stores.django_cache import DjangoCacheStore
from admin_hits.live.stores.errors import PartialAddError

DAY = datetime.date(2026, 11, 29)


class VanishingCache(LocMemCache):
    """Every key is said to exist by ``add`` and is gone by ``incr`` (evicted in between)."""

    def add(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def incr(self, *args: Any, **kwargs: Any) -> int:
        raise ValueError("Key not found.")


@override_settings(
    CACHES={"default": {"BACKEND": f"{__name__}.VanishingCache", "LOCATION": "vanishing"}}
)
def test_vanished_counters_are_unapplied_with_a_plain_message() -> None:
    store = DjangoCacheStore("default", prefix="t")
    with pytest.raises(PartialAddError) as failure:
        store.add(DAY, {"/a/": 1, "/b/": 2})
    assert failure.value.unapplied == {"/a/": 1, "/b/": 2}
    assert str(failure.value) == "django-cache store 'default': counters vanished; retry"
