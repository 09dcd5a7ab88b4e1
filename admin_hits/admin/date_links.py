"""The date links of the changelists, read from the days that have rows (``changelists``).

``distinct_days`` finds those days with one index probe per day; ``date_links`` turns a list of
days into what Django's ``{% date_hierarchy %}`` tag shows for rows on them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.admin.views.main import ChangeList
from django.db import connections, models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext

from admin_hits.models.fields import column_of


def distinct_days(
    field: models.Field[Any, Any],
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    using: str,
    equal: dict[str, Any] | None = None,
) -> list[datetime.date]:
    """The days from ``start`` to before ``end`` with rows, ascending: a recursive query that
    asks the date index for the next day after each one, so it reads one index entry per day
    instead of every row (PostgreSQL and SQLite alike). ``equal``: {column: value} the rows
    must have too; each day found is then kept if the index on (date, column) has a row of
    that value on it: one more probe per day, whatever the value. (Asking the index for the
    next row of that value instead would walk every row of each day without one.)"""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, column = quote(field.model._meta.db_table), quote(column_of(field))
    bounds, params = [], []
    for operator, day in ((">=", start), ("<", end)):
        if day is not None:
            bounds.append(f"{column} {operator} %s")
            params.append(connection.ops.adapt_datefield_value(day))
    within = "".join(f" AND {bound}" for bound in bounds)
    sql = (
        f"WITH RECURSIVE days (day) AS (SELECT MIN({column}) FROM {table} WHERE 1 = 1{within} "
        f"UNION ALL SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > days.day{within}) "
        "FROM days WHERE days.day IS NOT NULL) SELECT day FROM days WHERE day IS NOT NULL"
    )
    values = list((equal or {}).values())
    if equal:
        same = " AND ".join(f"{quote(name)} = %s" for name in equal)
        sql += f" AND EXISTS (SELECT 1 FROM {table} WHERE {column} = days.day AND {same})"
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params + values)
        return [field.to_python(row[0]) for row in cursor.fetchall()]


def date_links(cl: ChangeList, days: list[datetime.date]) -> dict[str, Any]:
    """The context of ``admin/date_hierarchy.html`` that Django's ``date_hierarchy`` tag gives
    for rows on ``days`` (its ``admin_list.date_hierarchy``, from a list instead of queries)."""
    name = cl.date_hierarchy
    year_field, month_field, day_field = (f"{name}__{part}" for part in ("year", "month", "day"))
    year, month, day = (cl.params.get(f) for f in (year_field, month_field, day_field))

    def link(filters: dict[str, Any]) -> str:
        return cl.get_query_string(filters, [f"{name}__"])

    if not (year or month or day) and days and days[0].year == days[-1].year:
        year = days[0].year  # one year (or month) only: start there, as Django does
        if days[0].month == days[-1].month:
            month = days[0].month
    if year and month and day:
        chosen = datetime.date(int(year), int(month), int(day))
        back = {"link": link({year_field: year, month_field: month}),
                "title": capfirst(formats.date_format(chosen, "YEAR_MONTH_FORMAT"))}  # fmt: skip
        title = capfirst(formats.date_format(chosen, "MONTH_DAY_FORMAT"))
        return {"show": True, "back": back, "choices": [{"title": title}]}
    if year and month:
        choices = [
            {"link": link({year_field: year, month_field: month, day_field: d.day}),
             "title": capfirst(formats.date_format(d, "MONTH_DAY_FORMAT"))}
            for d in days
        ]  # fmt: skip
        back = {"link": link({year_field: year}), "title": str(year)}
        return {"show": True, "back": back, "choices": choices}
    if year:
        months = sorted({d.replace(day=1) for d in days})
        choices = [
            {"link": link({year_field: year, month_field: m.month}),
             "title": capfirst(formats.date_format(m, "YEAR_MONTH_FORMAT"))}
            for m in months
        ]  # fmt: skip
        return {"show": True, "back": {"link": link({}), "title": gettext("All dates")},
                "choices": choices}  # fmt: skip
    years = sorted({d.year for d in days})
    choices = [{"link": link({year_field: str(y)}), "title": str(y)} for y in years]
    return {"show": True, "back": None, "choices": choices}
