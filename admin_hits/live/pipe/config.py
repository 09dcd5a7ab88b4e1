"""The pipe's command line and where each value comes from.

Each value is taken from, in order: its command-line option; the Django settings named by
``--settings`` or ``DJANGO_SETTINGS_MODULE`` (so the site and the pipe share one source of
truth); the environment (``ADMIN_HITS_STORE``, ``TZ``); a default. Reading settings does not
start Django: only the ``db`` and ``django-cache`` stores need ``django.setup()``, so the
memcached pipe without settings starts in a fraction of a second.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from admin_hits.exceptions import ConfigurationError
from admin_hits.live.stores import StoreURL, parse_store_url
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.keys import EXPIRY_SECONDS, check_expiry, check_prefix
from admin_hits.logs import LineParser, ViewRules
from admin_hits.logs.vhosts import host_sites, logs_host

#: Without Django settings these are excluded, as Django projects usually serve them there.
DEFAULT_EXCLUDED = ("/static/", "/media/")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="admin-hits-pipe",
        description="Count page views from access-log lines on stdin (Apache: CustomLog "
        '"|/path/to/venv/bin/admin-hits-pipe --store ..." combined) into a live store.',
    )
    add = parser.add_argument
    add(
        "--store",
        help="live store URL: db, memcached://HOST:PORT[,HOST:PORT...], "
        "django-cache://ALIAS (default: ADMIN_HITS_STORE of the settings or environment, db)",
    )
    add("--settings", help="Django settings module (default: DJANGO_SETTINGS_MODULE)")
    add(
        "--pythonpath",
        metavar="DIR",
        help="directory to add to sys.path, where --settings "
        "can be imported from (Apache starts the pipe in its ServerRoot)",
    )
    add(
        "--format",
        dest="log_format",
        help="apachelogs nickname or Apache LogFormat string "
        "(default: ADMIN_HITS_LOG_FORMAT, combined)",
    )
    add(
        "--time-zone",
        help="zone whose dates the counts go to (default: TIME_ZONE of the "
        "settings, else TZ, else UTC)",
    )
    add(
        "--prefix",
        help="key prefix in memcached or the cache (default: ADMIN_HITS_KEY_PREFIX, hits)",
    )
    add(
        "--timeout",
        type=float,
        help="seconds a store operation may take (default: ADMIN_HITS_STORE_TIMEOUT, 0.5)",
    )
    add(
        "--exclude",
        action="append",
        default=[],
        metavar="PREFIX",
        help="path prefix never counted; repeatable (without settings: /static/ and /media/)",
    )
    add(
        "--max-line-length",
        type=int,
        help="longer lines are skipped (default: ADMIN_HITS_MAX_LINE_LENGTH, 16384)",
    )
    add("--flush-interval", type=float, default=1.0, help="seconds between flushes (1)")
    add(
        "--status-interval",
        type=float,
        default=60.0,
        help="seconds between status lines on stderr; 0: only at exit (60)",
    )
    add(
        "--max-pending",
        type=int,
        default=20_000,
        help="paths kept while the store is down; beyond, the oldest counts are dropped (20000)",
    )
    add(
        "--drain-timeout",
        type=float,
        default=3.0,
        help="seconds to write pending counts at exit (3)",
    )
    add(
        "--listen",
        metavar="ADDRESS",
        help="read datagrams (nginx syslog) instead of stdin: udp://HOST:PORT or unix:/path",
    )
    add(
        "--no-supervisor",
        action="store_true",
        help="run the worker in this process, without the parent that restarts it",
    )
    add(
        "--check",
        action="store_true",
        help="check the set-up and exit: import the settings, write and read a key in the "
        "store, count a sample line in the format; 0 and what it will count where, or 1 and why",
    )
    add("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser  # fmt: skip


@dataclass(frozen=True)
class PipeConfig:
    store: StoreURL
    store_url: str
    prefix: str
    timeout: float
    expiry: int
    log_format: str
    tz: ZoneInfo
    rules: ViewRules
    max_line_length: int
    flush_interval: float
    status_interval: float
    max_pending: int
    drain_timeout: float
    listen: str | None
    django_settings: bool
    sites: dict[str, int] = field(default_factory=dict)  # host -> site (ADMIN_HITS_SITES)

    @property
    def needs_django(self) -> bool:
        return self.store.scheme in ("db", "django-cache")

    def make_store(self) -> LiveStore:
        """The live store; starts Django first when the store lives in it."""
        if self.store.scheme == "memcached":
            from admin_hits.live.stores.memcached import MemcachedStore

            return MemcachedStore(
                self.store.servers, prefix=self.prefix, timeout=self.timeout, expiry=self.expiry
            )
        import django

        django.setup()
        if self.store.scheme == "django-cache":
            from admin_hits.live.stores.django_cache import DjangoCacheStore

            return DjangoCacheStore(self.store.alias, prefix=self.prefix, expiry=self.expiry)
        from admin_hits.live.stores.db import DatabaseStore

        return DatabaseStore()


def _settings(args: argparse.Namespace, environ: Mapping[str, str]) -> Any:
    """The configured ``django.conf.settings`` (imported, not set up), or None."""
    module = args.settings or environ.get("DJANGO_SETTINGS_MODULE")
    if not module:
        return None
    if args.pythonpath and args.pythonpath not in sys.path:
        sys.path.insert(0, args.pythonpath)
    from django.conf import settings

    if not settings.configured:  # (they are when the pipe runs inside a Django process)
        os.environ["DJANGO_SETTINGS_MODULE"] = module
    try:
        settings.INSTALLED_APPS  # noqa: B018  (imports the settings module, or fails)
    except Exception as exc:
        hint = ""
        if isinstance(exc, ModuleNotFoundError) and module.startswith(str(exc.name)):
            # Apache starts the pipe in its ServerRoot, not in the project's folder.
            hint = f"; is --pythonpath the folder that holds {module.split('.')[0]}/?"
        raise ConfigurationError(
            f"Django settings {module!r} can not be loaded: {exc}{hint}"
        ) from exc
    return settings


def _time_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name.removeprefix(":"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(f"unknown time zone {name!r}") from exc


def resolve(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> PipeConfig:
    """Check and combine options, settings and environment; ``ConfigurationError`` if unusable."""
    settings = _settings(args, environ)
    if settings is not None:
        from admin_hits.conf import settings as conf
        from admin_hits.conf import view_rules

        defined = hasattr(settings, "ADMIN_HITS_STORE")
        store_url = args.store or (conf.STORE if defined else environ.get("ADMIN_HITS_STORE"))
        prefix, timeout, expiry = conf.KEY_PREFIX, conf.STORE_TIMEOUT, conf.LIVE_EXPIRY
        log_format, max_line_length = conf.LOG_FORMAT, conf.MAX_LINE_LENGTH
        zone = settings.TIME_ZONE or "UTC"
        # Every rule of the settings, as parse_log reads them, and --exclude on top.
        rules = view_rules()
        rules = replace(rules, excluded_prefixes=rules.excluded_prefixes + tuple(args.exclude))
        try:
            sites = host_sites(conf.SITES)
        except (AttributeError, TypeError, ValueError) as exc:
            raise ConfigurationError(
                f"ADMIN_HITS_SITES can not be used ({exc}): see manage.py check"
            ) from exc
    else:
        store_url = args.store or environ.get("ADMIN_HITS_STORE")
        prefix, timeout, log_format, max_line_length = "hits", 0.5, "combined", 16384
        expiry = EXPIRY_SECONDS
        zone = environ.get("TZ") or "UTC"
        rules = ViewRules(excluded_prefixes=tuple(args.exclude) or DEFAULT_EXCLUDED)
        sites = {}
    store_url = store_url or "db"
    store = parse_store_url(store_url)
    if store.scheme in ("db", "django-cache") and settings is None:
        raise ConfigurationError(
            f"the {store.scheme} store needs the Django settings: pass --settings or set "
            "DJANGO_SETTINGS_MODULE (or use --store memcached://HOST:PORT)"
        )
    log_format = args.log_format or log_format
    if log_format.strip().lower() == "auto":
        raise ConfigurationError(
            "the pipe needs the format Apache writes to it: pass --format with the CustomLog "
            "line's format (ADMIN_HITS_LOG_FORMAT 'auto' is for parse_log, which reads files)"
        )
    LineParser(log_format)  # raises LogFormatError (a ConfigurationError's sibling) early
    if sites and not logs_host(log_format):
        raise ConfigurationError(
            f"ADMIN_HITS_SITES is set, but the format {log_format!r} logs no host: pass a "
            'format with %v (vhost_combined) or "%{Host}i", as in the CustomLog line'
        )
    config = PipeConfig(
        store=store,
        store_url=store_url,
        prefix=check_prefix(args.prefix or prefix),
        timeout=args.timeout if args.timeout is not None else timeout,
        expiry=check_expiry(expiry),
        log_format=log_format,
        tz=_time_zone(args.time_zone or zone),
        rules=rules,
        max_line_length=args.max_line_length or max_line_length,
        flush_interval=args.flush_interval,
        status_interval=args.status_interval,
        max_pending=args.max_pending,
        drain_timeout=args.drain_timeout,
        listen=args.listen,
        django_settings=settings is not None,
        sites=sites,
    )
    _check_numbers(config)
    return config


def _check_numbers(config: PipeConfig) -> None:
    if not 0 < config.flush_interval <= 60:
        raise ConfigurationError("--flush-interval must be between 0 and 60 seconds")
    if config.timeout <= 0 or config.drain_timeout < 0 or config.status_interval < 0:
        raise ConfigurationError("--timeout must be positive, intervals not negative")
    if config.max_pending < 1 or config.max_line_length < 64:
        raise ConfigurationError("--max-pending must be >= 1 and --max-line-length >= 64")


def parse(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, PipeConfig]:
    args = build_parser().parse_args(argv)
    return args, resolve(args)
