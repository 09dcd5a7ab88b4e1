"""The ``INSERT ... SELECT`` statements that compute the period totals (``period_totals``).

Each statement reads the days of every stale window once: the grouped sums of each window
(``current``/``previous`` per window, as conditional sums) in a common table expression, then
one SELECT per window from it. Written out rather than built by the ORM, which has no
``INSERT ... SELECT``; only standard SQL that PostgreSQL and SQLite both run.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from admin_hits.models import Hits, ObjectPeriodTotals, PathHits, PathPeriodTotals
from admin_hits.models.periods import Period
from admin_hits.models.totals import TREND, TREND_FACTOR, site_preset

if TYPE_CHECKING:
    from admin_hits.nightly.period_windows import Window


class _Sql:
    """Table and column names quoted for one connection, and the date parameters."""

    def __init__(self, connection: Any, model: Any) -> None:
        self.ops = connection.ops
        self.model = model
        self.table = self.ops.quote_name(model._meta.db_table)

    def name(self, field: str) -> str:
        return self.ops.quote_name(self.model._meta.get_field(field).column)

    def date(self, day: datetime.date) -> Any:
        return self.ops.adapt_datefield_value(day)

    def between(self, column: str, period: Period, params: list[Any]) -> str:
        params += [self.date(period.start), self.date(period.end)]
        return f"{column} >= %s AND {column} <= %s"

    def sums(self, column: str, stale: Sequence[Window], params: list[Any]) -> list[str]:
        """``c<i>`` and ``p<i>``: the views of window ``i``'s period and previous period."""
        views = self.name("views")
        parts = []
        for i, window in enumerate(stale):
            for name, period in (("c", window.period), ("p", window.previous)):
                condition = self.between(column, period, params)
                parts.append(f"SUM(CASE WHEN {condition} THEN {views} ELSE 0 END) AS {name}{i}")
        return parts

    def of_site(self, site: int | None, params: list[Any]) -> str:
        """The condition (after another) of one site's rows; "" for every site's."""
        if site is None:
            return ""
        params.append(site)
        return f" AND {self.name('site')} = %s"

    def span(self, column: str, stale: Sequence[Window], params: list[Any]) -> str:
        first = min(w.first for w in stale)
        last = max(w.last for w in stale)
        return self.between(column, Period("", first, last), params)


def object_sql(
    connection: Any, stale: Sequence[Window], site: int | None = None
) -> tuple[str, list[Any]]:
    """Rows of the "Top objects" table; of one ``site``'s rows when given (``site_preset``)."""
    source, target = _Sql(connection, Hits), _Sql(connection, ObjectPeriodTotals)
    date = source.name("date")
    group = f"{source.name('content_type')}, {source.name('object_id')}"
    params: list[Any] = []
    sums = ", ".join(source.sums(date, stale, params))
    where = source.span(date, stale, params) + source.of_site(site, params)
    selects = []
    for i, window in enumerate(stale):
        params.append(site_preset(window.preset, site))
        # The trend rows' ``trending`` (``ObjectPeriodTotals.trending``); False for the others.
        trending = "%s"
        if window.preset == TREND:
            trending = f"CASE WHEN p{i} <= c{i} * %s THEN %s ELSE %s END"
            params += [TREND_FACTOR, True]
        params.append(False)
        selects.append(f"SELECT %s, {group}, c{i}, p{i}, {trending} FROM g WHERE c{i} > 0")
    columns = ", ".join(
        target.name(f)
        for f in ("preset", "content_type", "object_id", "current", "previous", "trending")
    )
    sql = (
        f"INSERT INTO {target.table} ({columns}) "
        f"WITH g AS (SELECT {group}, {sums} FROM {source.table} WHERE {where} GROUP BY {group}) "
        + " UNION ALL ".join(selects)
    )
    return sql, params


def path_sql(
    connection: Any, stale: Sequence[Window], site: int | None = None
) -> tuple[str, list[Any]]:
    """Rows of the "Top pages" and "Unmatched paths" tables, from one scan of ``PathHits``
    (of one ``site``'s rows when given).

    The days are grouped by (path, object) first: a path's page row adds up its groups, its
    unmatched row only its group without an object. Like the report's query, a page row shows
    the greatest of the objects among the path's rows in the window (``s<i>`` is 1 for a group
    with rows there, whatever their views). A path hash is the hash of one path text.
    """
    source, target = _Sql(connection, PathHits), _Sql(connection, PathPeriodTotals)
    date, path = source.name("date"), source.name("path")
    ct, oid = source.name("content_type"), source.name("object_id")
    key = source.name("path_hash")
    params: list[Any] = []
    aggregates = [f"MIN({path}) AS path", *source.sums(date, stale, params)]
    for i, window in enumerate(stale):
        span = Period("", window.first, window.last)
        condition = source.between(date, span, params)
        aggregates.append(f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END) AS s{i}")
    where = source.span(date, stale, params) + source.of_site(site, params)
    selects = []
    for i, window in enumerate(stale):
        sums = f"SUM(c{i}), SUM(p{i}) FROM g"
        shown = f"CASE WHEN s{i} = 1 THEN"
        preset = site_preset(window.preset, site)
        params += [preset, False]
        selects.append(
            f"SELECT %s, %s, {key}, MIN(path), MAX({shown} {ct} END), MAX({shown} {oid} END), "
            f"{sums} GROUP BY {key} HAVING SUM(c{i}) > 0"
        )
        params += [preset, True]
        selects.append(
            f"SELECT %s, %s, {key}, MIN(path), MAX({ct}), MAX({shown} {oid} END), "
            f"{sums} WHERE {ct} IS NULL GROUP BY {key} HAVING SUM(c{i}) > 0"
        )
    columns = ", ".join(
        target.name(f)
        for f in ("preset", "unmatched", "path_hash", "path", "content_type", "object_id",
                  "current", "previous")
    )  # fmt: skip
    group = f"{key}, {ct}, {oid}"
    sql = (
        f"INSERT INTO {target.table} ({columns}) WITH g AS (SELECT {group}, "
        f"{', '.join(aggregates)} FROM {source.table} WHERE {where} GROUP BY {group}) "
        + " UNION ALL ".join(selects)
    )
    return sql, params
