"""``admin-hits-pipe --check``: try the Apache line's set-up once, before Apache runs it.

Imports the settings, connects to the store, writes and reads back a probe key, and counts a
made-up line in the format; then one line on stdout says what the pipe will count where (exit
0), or one line on stderr says what failed (exit 1). Run it as the user Apache starts the pipe
as, with the same options, before reloading Apache: a forgotten ``--pythonpath`` otherwise only
shows as a worker restarting every second in Apache's error log.
"""

from __future__ import annotations

import argparse
import datetime
import os
from collections.abc import Mapping
from typing import Any

from admin_hits.exceptions import AdminHitsError
from admin_hits.live.pipe.config import PipeConfig, resolve
from admin_hits.live.pipe.status import escape
from admin_hits.logs import Aggregator
from admin_hits.logs.samples import SAMPLE_PATH, sample_line


class CheckFailed(AdminHitsError):
    """What ``--check`` found wrong."""


def run_check(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> tuple[int, str]:
    """The exit status and the one line to print."""
    try:
        config = resolve(args, environ)
        where = probe_store(config)
        counted = count_sample(config)
    except AdminHitsError as exc:
        return 1, escape(f"admin-hits-pipe --check: FAILED: {exc}")
    except Exception as exc:  # an import error in the settings, a driver missing ...
        return 1, escape(f"admin-hits-pipe --check: FAILED: {type(exc).__name__}: {exc}")
    settings = os.environ.get("DJANGO_SETTINGS_MODULE") if config.django_settings else None
    return 0, escape(
        f"admin-hits-pipe --check: OK: counts {describe_format(config.log_format)} lines from "
        f"stdin into {where}, dated in {config.tz.key}"
        + (f", with the settings {settings}" if settings else ", without Django settings")
        + f" ({counted})"
    )


def describe_format(log_format: str) -> str:
    return log_format if "%" not in log_format else repr(log_format)


def probe_store(config: PipeConfig) -> str:
    """Where the counts go, once a key was written there and read back."""
    store = config.make_store()
    try:
        store.probe()
    finally:
        store.close()
    if config.store.scheme == "db":
        return f"the db store ({_database()})"
    if config.store.scheme == "memcached":
        return f"{config.store_url} (key prefix {config.prefix!r})"
    return f"{config.store_url} (key prefix {config.prefix!r})"


def _database() -> str:
    from django.db import connections, router

    from admin_hits.models import LiveHits

    alias = router.db_for_write(LiveHits)
    settings: dict[str, Any] = connections[alias].settings_dict
    engine = str(settings.get("ENGINE", "")).rsplit(".", 1)[-1]
    name = settings.get("NAME") or ""
    host = settings.get("HOST") or ""
    return f"{alias}: {engine} {name}" + (f" on {host}" if host else "")


def count_sample(config: PipeConfig) -> str:
    """Count a made-up line of the format as the pipe would; what it counted."""
    now = datetime.datetime.now(config.tz)
    line = sample_line(config.log_format, now)
    aggregator = Aggregator(
        config.log_format, tz=config.tz, rules=config.rules,
        max_line_length=config.max_line_length, visits=False,
    )  # fmt: skip
    aggregator.feed([line.encode()])
    counts = aggregator.take()
    if counts.views.get((now.date(), SAMPLE_PATH)) == 1:
        return f"a sample line counted as 1 view of {SAMPLE_PATH} on {now.date()}"
    why: dict[str, object] = {**counts.skipped} or {**counts.ignored} or {"counted": counts.views}
    raise CheckFailed(
        f"a sample line in the format {config.log_format!r} was not counted as a view ({why}): "
        f"{line.strip()!r}"
    )
