"""The ``INSERT ... SELECT`` statements that compute one month's totals (``month_totals``).

Each groups one calendar month's daily rows by object (``Hits``), or by path and object
(``PathHits``, ``LandingHits``: so that a range can still show, as when it sums the days, the
greatest of the objects a path showed), and reads the month's days once: every site's rows
summed (``ALL_SITES``), or the rows of some sites, each site's apart (grouped by site too).
Written out rather than built by the ORM, which has no ``INSERT ... SELECT``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import models

from admin_hits.models import (
    Hits,
    LandingHits,
    LandingMonthTotals,
    ObjectMonthTotals,
    PathHits,
    PathMonthTotals,
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.models.periods import Period

# The quoting and date helpers of the period totals' statements, shared rather than written
# again.
from admin_hits.nightly.period_sql import _Sql

#: Each month table: the daily rows it sums, what they are grouped by, the columns of a
#: group's first row (its path: rows grouped by path hash have the same path), those added.
_MONTHS: dict[type[models.Model], tuple[type[models.Model], tuple[str, ...], tuple[str, ...],
                                        tuple[str, ...]]] = {
    ObjectMonthTotals: (Hits, ("content_type", "object_id"), (), ("views",)),
    PathMonthTotals: (PathHits, ("path_hash", "content_type", "object_id"), ("path",),
                      ("views",)),
    LandingMonthTotals: (LandingHits, ("path_hash", "content_type", "object_id"), ("path",),
                         ("visits", "bounces", "exits")),
}  # fmt: skip


def month_sql(
    connection: Any, month: datetime.date, last: datetime.date, sites: Sequence[int] | None
) -> list[tuple[str, list[Any]]]:
    """The statements that store the ``month`` (its first day) to ``last`` (its last day) of
    every table: of every site summed (``sites`` None), else of each of ``sites``."""
    return [_statement(connection, target, month, last, sites) for target in _MONTHS]


def _statement(
    connection: Any,
    target: type[models.Model],
    month: datetime.date,
    last: datetime.date,
    sites: Sequence[int] | None,
) -> tuple[str, list[Any]]:
    model, keys, firsts, sums = _MONTHS[target]
    source, into = _Sql(connection, model), _Sql(connection, target)
    params: list[Any] = [into.date(month)]
    if sites is None:
        site, by_site = "%s", ""
        params.append(ALL_SITES)
    else:
        site = source.name("site")
        by_site = f"{site}, "
    where = source.between(source.name("date"), Period("", month, last), params)
    if sites is not None:
        where += f" AND {site} IN ({', '.join(['%s'] * len(sites))})"
        params += list(sites)
    group = ", ".join(source.name(key) for key in keys)
    values = [group, *(f"MIN({source.name(f)})" for f in firsts),
              *(f"SUM({source.name(f)})" for f in sums)]  # fmt: skip
    columns = ", ".join(into.name(f) for f in ("month", "site", *keys, *firsts, *sums))
    sql = (
        f"INSERT INTO {into.table} ({columns}) SELECT %s, {site}, {', '.join(values)} "
        f"FROM {source.table} WHERE {where} GROUP BY {by_site}{group}"
    )
    return sql, params
