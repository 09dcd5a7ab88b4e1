"""Precomputed totals of the report's standard periods: refreshed with the days, read by the report.

The report's tables sum daily rows over a period and the period before it: at 100,000 objects,
30 days is 6 million rows to add up on every page view. For the periods the report offers
(``STANDARD``), the sums are computed once, when ``parse_log`` has written its days, and stored
in ``ObjectPeriodTotals`` and ``PathPeriodTotals`` (and the landing pages' visits, bounces and
exits in ``LandingPeriodTotals``); ``PeriodTotals`` records which days they
were computed for. Writing a day forgets, in the day's own transaction, the totals of the
periods holding it (``invalidate``): whatever fails after that, the report never reads totals
older than the days they sum, it sums the days until the next ``refresh``. The report uses
the totals when the period it is asked for is exactly their days, and sums the daily rows
otherwise (custom ranges, or a new day before the nightly import ran). Rollups of daily
counts for fixed reporting periods, refreshed by the import and read instead of the raw rows,
are what analytics products call archiving (Matomo) or materialised views.

A refresh recomputes the periods a changed day falls in, or all of them when the day rolled
over, with one ``INSERT ... SELECT`` per table that reads their days once (``period_sql``). The
rows are those the report's own queries (``reports.queries``) sum, in the same order; the
report reads them through ``reports.stored``. ``invalidate`` and ``refresh`` do the same, in
the same transactions, for the totals of finished calendar months (``month_totals``), from
which the report answers custom ranges.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from admin_hits.models import (
    Hits,
    LandingPeriodTotals,
    ObjectPeriodTotals,
    PathPeriodTotals,
    PeriodTotals,
)
from admin_hits.models.site_time import site_today
from admin_hits.models.sites import configured_sites
from admin_hits.models.totals import SITE_MARK, site_preset
from admin_hits.nightly import month_totals
from admin_hits.nightly.landing_sql import landing_sql
from admin_hits.nightly.period_sql import object_sql, path_sql
from admin_hits.nightly.period_windows import STANDARD, Window, window_of, windows
from admin_hits.nightly.vacuum import vacuum

__all__ = ["STANDARD", "Window", "invalidate", "refresh", "windows"]

#: PostgreSQL's ``work_mem`` (kB) while the totals are computed: enough to group 100,000
#: objects or paths of 30 to 60 days in memory.
WORK_MEM_KB = 128 * 1024
# PostgreSQL advisory lock held while the totals are replaced ("hits", 0): the two keys of
# ``services.lock_day`` with a day number that no day has, so two imports of different days
# replace the totals one after the other instead of failing on each other's rows.
_LOCK = (0x68697473, 0)


def refresh(
    first: datetime.date | None = None,
    last: datetime.date | None = None,
    *,
    using: str | None = None,
    today: datetime.date | None = None,
    roll_over: bool = True,
) -> list[str]:
    """Recompute the standard periods holding a day whose rows changed, from ``first`` to
    ``last`` (both included; the one day ``first`` without ``last``), and, with
    ``roll_over``, every one not yet computed for ``today``'s days. Returns their presets.

    Runs in the caller's transaction when there is one (``hits_prune``'s), else in its own:
    ``parse_log`` calls it once its days are written, after ``invalidate`` in each day's.
    """
    using = using or router.db_for_write(Hits)
    today = today or site_today()
    changed = None if first is None else (first, last or first)
    with transaction.atomic(using=using):
        _lock(using)
        stamps = {s.preset: s for s in PeriodTotals.objects.using(using)}
        # Every site's rows summed, and with several sites each one's: each has its stamp.
        sites: list[int | None] = [None, *(s.site for s in configured_sites())]
        stale = [
            w for w in windows(today)
            if any(w.is_stale(stamps.get(site_preset(w.preset, s)), changed, roll_over)
                   for s in sites)
        ]  # fmt: skip
        # Presets a former version computed, or of a site no longer configured: nothing
        # refreshes them any more.
        gone = [preset for preset in stamps if not _kept(preset, sites)]
        if stale or gone:
            _replace(using, stale, gone, sites)
        # The finished months, for custom ranges: those holding a changed day again, and
        # any not yet stored (the month that just ended; every month after an upgrade).
        if changed is not None:
            month_totals.invalidate(*changed, using=using)
        month_totals.refresh(today, using=using)
    if stale or gone:  # their old rows, dead, would slow every read until autovacuum
        vacuum(using, (ObjectPeriodTotals, PathPeriodTotals, LandingPeriodTotals))
    return [window.preset for window in stale]


def invalidate(
    first: datetime.date, last: datetime.date | None = None, *, using: str | None = None
) -> list[str]:
    """Forget the stored totals of the periods holding a day from ``first`` to ``last``, in
    the caller's transaction (``write_day``'s): the report then sums the daily rows of those
    periods until ``refresh`` runs, so it never shows totals older than the days they sum.
    Cheap: ``parse_log`` writes every day first and refreshes once, a backfill of many days
    too. Returns the presets forgotten."""
    using = using or router.db_for_write(Hits)
    changed = (first, last or first)
    with transaction.atomic(using=using):
        _lock(using)
        stamps = list(PeriodTotals.objects.using(using))
        touched = [s.preset for s in stamps if window_of(s).touches(*changed)]
        if touched:
            PeriodTotals.objects.using(using).filter(preset__in=touched).delete()
        month_totals.invalidate(*changed, using=using)
    return touched


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(_LOCK))


def _kept(preset: str, sites: Sequence[int | None]) -> bool:
    base, mark, site = preset.partition(SITE_MARK)
    return base in STANDARD and (not mark or (site.isdigit() and int(site) in sites))


def _replace(
    using: str, stale: Sequence[Window], gone: Sequence[str], sites: Sequence[int | None]
) -> None:
    presets = [site_preset(w.preset, site) for w in stale for site in sites] + list(gone)
    for model in (ObjectPeriodTotals, PathPeriodTotals, LandingPeriodTotals, PeriodTotals):
        model._default_manager.using(using).filter(preset__in=presets).delete()
    if not stale:
        return
    connection = connections[using]
    with connection.cursor() as cursor:
        restore = _more_memory(cursor, connection.vendor)
        for site in sites:
            for sql, params in (object_sql(connection, stale, site),
                                path_sql(connection, stale, site),
                                landing_sql(connection, stale, site)):  # fmt: skip
                cursor.execute(sql, params)
        if restore is not None:
            cursor.execute("SELECT set_config('work_mem', %s, true)", [restore])
    now = timezone.now()
    PeriodTotals.objects.using(using).bulk_create(
        PeriodTotals(
            preset=site_preset(w.preset, site), start=w.period.start, end=w.period.end,
            previous_start=w.previous.start, previous_end=w.previous.end, refreshed=now,
        )
        for w in stale for site in sites
    )  # fmt: skip


def _more_memory(cursor: Any, vendor: str) -> str | None:
    """Let PostgreSQL group the days in memory (``WORK_MEM``) for this transaction, when its
    ``work_mem`` is less: with the default 4 MB, grouping 100,000 paths spills hundreds of
    megabytes to disk and takes three times as long. Returns the setting to restore."""
    if vendor != "postgresql":
        return None
    cursor.execute(
        "SELECT setting, set_config('work_mem', GREATEST(setting::int, %s)::text || 'kB', true) "
        "FROM pg_settings WHERE name = 'work_mem'",
        [WORK_MEM_KB],
    )
    return f"{cursor.fetchone()[0]}kB"
