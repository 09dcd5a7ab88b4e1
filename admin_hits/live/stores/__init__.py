"""Live counter stores, chosen by URL: ``db``, ``memcached://...``, ``django-cache://alias``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from admin_hits.exceptions import ConfigurationError
from admin_hits.live.stores.base import LiveStore

__all__ = ["LiveStore", "StoreURL", "get_store", "parse_store_url"]


@dataclass(frozen=True)
class StoreURL:
    scheme: str  # "db", "memcached" or "django-cache"
    servers: tuple[tuple[str, int], ...] = ()
    alias: str = ""


def parse_store_url(url: str) -> StoreURL:
    """Parse a store URL; raise ``ConfigurationError`` saying what is wrong."""
    url = (url or "").strip()
    if url in ("db", "db://", "database"):
        return StoreURL("db")
    parts = urlsplit(url)
    if parts.scheme == "memcached":
        servers = []
        for item in parts.netloc.split(","):
            host, sep, port = item.rpartition(":")
            if not sep or not host or not port.isdigit():
                raise ConfigurationError(f"memcached server {item!r} is not host:port")
            servers.append((host.strip("[]"), int(port)))
        return StoreURL("memcached", servers=tuple(servers))
    if parts.scheme == "django-cache":
        return StoreURL("django-cache", alias=parts.netloc or "default")
    raise ConfigurationError(f"unknown live store {url!r}")


def get_store(url: str | None = None, *, timeout: float | None = None) -> LiveStore:
    """The live store named by ``url`` (default: setting ``ADMIN_HITS_STORE``)."""
    from admin_hits.conf import settings

    parsed = parse_store_url(settings.STORE if url is None else url)
    timeout = settings.STORE_TIMEOUT if timeout is None else timeout
    if parsed.scheme == "memcached":
        from admin_hits.live.stores.memcached import MemcachedStore

        return MemcachedStore(parsed.servers, prefix=settings.KEY_PREFIX, timeout=timeout)
    if parsed.scheme == "django-cache":
        from admin_hits.live.stores.django_cache import DjangoCacheStore

        return DjangoCacheStore(parsed.alias, prefix=settings.KEY_PREFIX)
    from admin_hits.live.stores.db import DatabaseStore

    return DatabaseStore()
