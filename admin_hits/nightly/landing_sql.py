"""The ``INSERT ... SELECT`` that computes the landing pages' period totals (``period_totals``).

The same shape as ``period_sql.path_sql``, of ``LandingHits``: the days of every stale window
read once, grouped by (path, object) with each window's visits of the period and the previous
period and its bounces and exits of the period, then one SELECT per window adding up a path's
groups. The rows are those ``report.visit_queries.landing_rows`` sums from the days: a path
with visits that started there in the period, with the greatest of the objects among its rows
in the window (``s<i>``). The landings of calendar months are grouped with the views'
(``month_sql``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from admin_hits.models import LandingHits, LandingPeriodTotals
from admin_hits.models.periods import Period
from admin_hits.models.totals import site_preset

# The quoting and date helpers of the other period totals' statements, shared rather than
# written again.
from admin_hits.nightly.period_sql import _Sql

if TYPE_CHECKING:
    from admin_hits.nightly.period_windows import Window

#: Columns summed per window: (its name in the group, the field, in the previous period too).
_SUMS = (("c", "visits", "period"), ("p", "visits", "previous"), ("b", "bounces", "period"),
         ("e", "exits", "period"))  # fmt: skip


def landing_sql(
    connection: Any, stale: Sequence[Window], site: int | None = None
) -> tuple[str, list[Any]]:
    """Rows of the "Landing pages" table, from one scan of ``LandingHits`` (of one ``site``'s
    rows when given, ``site_preset``)."""
    source, target = _Sql(connection, LandingHits), _Sql(connection, LandingPeriodTotals)
    date, path = source.name("date"), source.name("path")
    ct, oid = source.name("content_type"), source.name("object_id")
    key = source.name("path_hash")
    params: list[Any] = []
    aggregates = [f"MIN({path}) AS path"]
    for i, window in enumerate(stale):
        for name, field, which in _SUMS:
            condition = source.between(date, getattr(window, which), params)
            column = source.name(field)
            aggregates.append(f"SUM(CASE WHEN {condition} THEN {column} ELSE 0 END) AS {name}{i}")
        span = Period("", window.first, window.last)
        condition = source.between(date, span, params)
        aggregates.append(f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END) AS s{i}")
    where = source.span(date, stale, params) + source.of_site(site, params)
    selects = []
    for i, window in enumerate(stale):
        params.append(site_preset(window.preset, site))
        shown = f"CASE WHEN s{i} = 1 THEN"
        selects.append(
            f"SELECT %s, {key}, MIN(path), MAX({shown} {ct} END), MAX({shown} {oid} END), "
            f"SUM(c{i}), SUM(p{i}), SUM(b{i}), SUM(e{i}) FROM g GROUP BY {key} "
            f"HAVING SUM(c{i}) > 0"
        )
    columns = ", ".join(
        target.name(f)
        for f in ("preset", "path_hash", "path", "content_type", "object_id", "current",
                  "previous", "bounces", "exits")
    )  # fmt: skip
    group = f"{key}, {ct}, {oid}"
    sql = (
        f"INSERT INTO {target.table} ({columns}) WITH g AS (SELECT {group}, "
        f"{', '.join(aggregates)} FROM {source.table} WHERE {where} GROUP BY {group}) "
        + " UNION ALL ".join(selects)
    )
    return sql, params
