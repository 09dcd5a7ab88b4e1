"""System checks for the ``ADMIN_HITS_*`` settings, with stable ids (``admin_hits.E001`` ...).

Errors stop ``runserver`` and ``migrate``; warnings are advice. The store's reachability is a
deployment check (``manage.py check --deploy``): it talks to the network.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import socket
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core import checks

from admin_hits.conf import settings
from admin_hits.exceptions import AdminHitsError

MEMCACHED_MAX_RELATIVE_EXPIRY = 30 * 24 * 3600  # memcached's protocol.txt, "Expiration times"


@checks.register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        *_check_log_format(),
        *_check_models(),
        *_check_store_url(),
        *_check_expiry(),
        *_check_key_prefix(),
        *_check_memcached_binding(),
        *_check_view_rules(),
        *_check_url_rules(),
        *_check_api_tokens(),
        *_check_object_scope(),
        *_check_published_fields(),
    ]


@checks.register(deploy=True)
def check_deployment(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Advice for production only (``check --deploy``): development sites pass files."""
    return [*_check_access_log(), *_check_sqlite_writers()]


@checks.register(checks.Tags.caches, deploy=True)
def check_store_reachable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from admin_hits.live.stores import get_store

    try:
        store = get_store()
        try:
            store.get_many(datetime.date.today(), ["/"])
        finally:
            store.close()
    except AdminHitsError as exc:
        return [
            checks.Warning(
                f"The live store {settings.STORE!r} can not be reached: {exc}",
                hint="Start it, or fix ADMIN_HITS_STORE. Until then the admin shows no live "
                "counts and the pipe keeps its counts in memory (up to a bound).",
                id="admin_hits.W001",
            )
        ]
    return []


def _check_log_format() -> list[checks.CheckMessage]:
    from admin_hits.logs import LineParser

    if settings.LOG_FORMAT.strip().lower() == "auto":  # parse_log reads it from the files
        return []
    try:
        parser = LineParser(settings.LOG_FORMAT)
    except AdminHitsError as exc:
        return [
            checks.Error(
                f"ADMIN_HITS_LOG_FORMAT can not be used: {exc}",
                hint="Use an apachelogs nickname such as 'combined' or an Apache LogFormat "
                "string with %t, %r (or %m and %U) and %>s.",
                id="admin_hits.E001",
            )
        ]
    if not _CLIENT_ADDRESS.search(parser.format):
        return [
            checks.Warning(
                "ADMIN_HITS_LOG_FORMAT logs no client address (%h or %a): the visitors with "
                "the same user agent count as one, and ADMIN_HITS_EXCLUDE_IPS excludes nothing.",
                hint="Log %a; behind a proxy, with mod_remoteip, which makes it the client's.",
                id="admin_hits.W004",
            )
        ]
    return []


# %h or %a: the address the visitor keys and the excluded networks are read from.
_CLIENT_ADDRESS = re.compile(r"%[<>]?[ha]")


def _check_models() -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for label in settings.MODELS:
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                checks.Error(
                    f"ADMIN_HITS_MODELS names {label!r}, which is not an installed model.",
                    hint="Use 'app_label.ModelName'.",
                    id="admin_hits.E002",
                )
            )
    return errors


def _check_store_url() -> list[checks.CheckMessage]:
    from admin_hits.live.stores import parse_store_url

    return _error_if_it_raises(
        lambda: parse_store_url(settings.STORE),
        "ADMIN_HITS_STORE can not be used: {}",
        hint="Use 'db', 'memcached://host:port[,host:port...]' or 'django-cache://alias'.",
        id="admin_hits.E003",
    )


def _check_expiry() -> list[checks.CheckMessage]:
    try:
        expiry = settings.LIVE_EXPIRY
    except (TypeError, ValueError):
        expiry = -1
    if 0 < expiry < MEMCACHED_MAX_RELATIVE_EXPIRY:
        return []
    return [
        checks.Error(
            "ADMIN_HITS_LIVE_EXPIRY must be a number of seconds between 1 and 30 days.",
            hint="memcached reads an expiry above 30 days as a Unix time, in the past: "
            "every counter would vanish at once. The default, 48 hours, suits the nightly parse.",
            id="admin_hits.E004",
        )
    ]


def _check_key_prefix() -> list[checks.CheckMessage]:
    from admin_hits.live.stores.keys import check_prefix

    return _error_if_it_raises(
        lambda: check_prefix(settings.KEY_PREFIX), "ADMIN_HITS_KEY_PREFIX: {}", id="admin_hits.E005"
    )


def _check_view_rules() -> list[checks.CheckMessage]:
    from admin_hits.conf import view_rules

    return _error_if_it_raises(
        view_rules,
        "The view rules can not be used: {}",
        hint="Fix the ADMIN_HITS_EXCLUDE_PATHS, ADMIN_HITS_EXCLUDE_IPS, ADMIN_HITS_BOT_PATTERNS "
        "or ADMIN_HITS_HUMAN_PATTERNS entry it names, or ADMIN_HITS_VISIT_GAP.",
        id="admin_hits.E006",
    )


def _check_url_rules() -> list[checks.CheckMessage]:
    from admin_hits.nightly.resolvers import check_url_rules

    return _error_if_it_raises(
        check_url_rules,
        "{}",
        hint="An entry is 'dotted.path.to.finder' or {'model': 'app_label.Model', 'fields': "
        "{'url_kwarg': 'model_field'}}, with fields of the model itself.",
        id="admin_hits.E007",
    )


def _check_object_scope() -> list[checks.CheckMessage]:
    from admin_hits.report.owners import scope_function

    return _error_if_it_raises(
        scope_function,
        "ADMIN_HITS_OBJECT_SCOPE can not be imported: {}",
        hint="A dotted path to a function (user, model, queryset) -> queryset.",
        id="admin_hits.E009",
    )


def _check_published_fields() -> list[checks.CheckMessage]:
    from admin_hits.models.publication import published_field_errors

    return [
        checks.Error(
            f"ADMIN_HITS_PUBLISHED_FIELDS: {error}",
            hint="Name a DateField or DateTimeField of the model: {'app_label.Model': 'field'}.",
            id="admin_hits.E010",
        )
        for error in published_field_errors()
    ]


def _check_api_tokens() -> list[checks.CheckMessage]:
    from django.conf import settings as django_settings

    tokens = getattr(django_settings, "ADMIN_HITS_API_TOKENS", {})
    good = isinstance(tokens, dict) and all(
        isinstance(k, str) and re.fullmatch(r"[0-9a-fA-F]{64}", k) and isinstance(v, str)
        for k, v in tokens.items()
    )
    if good:
        return []
    return [
        checks.Error(
            "ADMIN_HITS_API_TOKENS must map SHA-256 hashes (64 hex digits) to usernames.",
            hint="Make a token and its line with: manage.py hits_api_token USERNAME",
            id="admin_hits.E008",
        )
    ]


def _error_if_it_raises(
    check: Callable[[], object], message: str, *, hint: str | None = None, id: str
) -> list[checks.CheckMessage]:
    """An error, ``message`` with what ``check`` raised, if it raises ``AdminHitsError``:
    settings the store, the pipe or parse_log would refuse, reported at the site's start."""
    try:
        check()
    except AdminHitsError as exc:
        return [checks.Error(message.format(exc), hint=hint, id=id)]
    return []


def _check_sqlite_writers() -> list[checks.CheckMessage]:
    """On SQLite, the pipe's ``db`` store, parse_log and hits_prune write from processes of
    their own while the admin reads: without WAL and IMMEDIATE transactions their commits
    fail with "database is locked" (the night's day is not written, live counts wait)."""
    from django.db import connections, router

    from admin_hits.models import Hits

    alias = router.db_for_write(Hits)
    config = connections[alias].settings_dict
    if "sqlite3" not in config["ENGINE"]:
        return []
    options = config.get("OPTIONS") or {}
    wal = "journal_mode=wal" in str(options.get("init_command", "")).lower().replace(" ", "")
    if wal and str(options.get("transaction_mode", "")).upper() == "IMMEDIATE":
        return []
    return [
        checks.Warning(
            f"The database {alias!r} is SQLite without WAL and IMMEDIATE transactions: "
            "parse_log, hits_prune and the pipe's db store write from their own processes "
            "while the admin reads, and fail with 'database is locked'.",
            hint='Set its "OPTIONS" to {"init_command": "PRAGMA journal_mode=WAL; PRAGMA '
            'synchronous=NORMAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}.',
            id="admin_hits.W005",
        )
    ]


def _check_access_log() -> list[checks.CheckMessage]:
    if settings.ACCESS_LOG:
        return []
    return [
        checks.Warning(
            "ADMIN_HITS_ACCESS_LOG is not set: 'parse_log' without FILE arguments (as cron "
            "runs it) has no log to read.",
            hint="Set it to the strftime pattern of the daily logs, e.g. "
            "'/var/log/apache2/site/%Y/%m/%d/access.log'.",
            id="admin_hits.W003",
        )
    ]


def _check_memcached_binding() -> list[checks.CheckMessage]:
    from admin_hits.live.stores import parse_store_url

    try:
        url = parse_store_url(settings.STORE)
    except AdminHitsError:
        return []  # reported by E003
    return [
        checks.Warning(
            f"The live store's memcached at {host}:{port} is not on a loopback address.",
            hint="memcached has no authentication: make sure only your web servers reach it "
            "(bind it to a private interface, firewall it), then add 'admin_hits.W002' to "
            "SILENCED_SYSTEM_CHECKS to note that you did.",
            id="admin_hits.W002",
        )
        for host, port in url.servers
        if not _is_loopback(host)
    ]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:  # a name: loopback only if every address it resolves to is
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)
