"""Report rows summed over several tables at once: a ``UNION ALL`` of querysets, grouped.

A custom range is read from the stored month totals and the daily rows of its edge days
(``month_rows``): the rows of an object or path come from both tables and are added up before
they are ordered, so that the top of the table is exact. Django's ORM can not group a union;
``GroupedRows`` writes that one statement around the querysets' own SQL (their filters, a
scoped user's condition, parameters and quoting stay Django's), and behaves as the report's
tables need a queryset to: ``order_by``, slices paged in the database (``LIMIT``/``OFFSET``, so
a page far down costs what the first does), ``count``, and iteration for the CSV export.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from admin_hits.models import Hits

#: A column of the rows, and how the union's rows of one group make it (None: a group key).
Column = tuple[str, str | None]
#: A queryset, and the expression of each column over its rows.
Part = tuple[QuerySet, dict[str, Any]]
ADDED = "SUM"


@dataclass
class _Query:
    order_by: tuple[str, ...]


@dataclass
class GroupedRows:
    """Rows of ``columns``, one per group of the ``parts``' rows (each part a queryset and the
    expression of every column over its rows), kept when their ``current`` is above 0."""

    parts: Sequence[Part]
    columns: Sequence[Column]
    ordering: tuple[str, ...]
    using: str
    model: type = Hits  # what the rows count, for the tables' names
    _cache: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def query(self) -> _Query:
        return _Query(self.ordering)

    def order_by(self, *names: str) -> GroupedRows:
        known = {name for name, _ in self.columns}
        for name in names:
            if name.lstrip("-") not in known:
                raise ValueError(f"the rows have no column {name!r}")
        return GroupedRows(self.parts, self.columns, tuple(names), self.using, self.model)

    def count(self) -> int:
        if self._cache is not None:
            return len(self._cache)
        sql, params = self._grouped()
        if not sql:
            return 0
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) counted", params)
            return int(cursor.fetchone()[0])

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._all())

    def __bool__(self) -> bool:
        return bool(self._all())

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, int):
            rows = self[key : key + 1]
            if not rows:
                raise IndexError(key)
            return rows[0]
        if key.step is not None or (key.start or 0) < 0 or (key.stop or 0) < 0:
            raise ValueError("only a forward slice of the rows")
        start = key.start or 0
        if self._cache is not None:
            return self._cache[start : key.stop]
        if key.stop is not None and key.stop <= start:
            return []
        return self._fetch(start, None if key.stop is None else key.stop - start)

    def _all(self) -> list[dict[str, Any]]:
        if self._cache is None:
            self._cache = self._fetch(0, None)
        return self._cache

    def _fetch(self, offset: int, limit: int | None) -> list[dict[str, Any]]:
        sql, params = self._grouped()
        if not sql:
            return []
        connection = connections[self.using]
        quote = connection.ops.quote_name
        order = ", ".join(
            f"{quote(name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}"
            for name in self.ordering
        )
        sql += f" ORDER BY {order}" if order else ""
        # SQLite needs a LIMIT before an OFFSET: -1 is "no limit" there.
        sql += f" LIMIT {-1 if limit is None else int(limit)} OFFSET {int(offset)}"
        if limit is None and connection.vendor != "sqlite":
            sql = sql.replace(" LIMIT -1", " LIMIT ALL")
        names = [name for name, _ in self.columns]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _grouped(self) -> tuple[str, list[Any]]:
        """The grouped union without its order (empty when no part can hold a row)."""
        quote = connections[self.using].ops.quote_name
        names = [name for name, _ in self.columns]
        # Each part's columns named and ordered explicitly: the union matches them by place.
        picked = ", ".join(f"{quote(f'u_{name}')} AS {quote(name)}" for name in names)
        selects, params = [], []
        for queryset, expressions in self.parts:
            values = queryset.order_by().values(**{f"u_{n}": expressions[n] for n in names})
            try:
                sql, part_params = values.query.get_compiler(self.using).as_sql()
            except EmptyResultSet:
                continue
            selects.append(f"SELECT {picked} FROM ({sql}) p{len(selects)}")
            params.extend(part_params)
        if not selects:
            return "", []
        shown, keys = [], []
        for name, how in self.columns:
            column = f"u.{quote(name)}"
            if how is None:
                keys.append(column)
                shown.append(f"{column} AS {quote(name)}")
            elif how == ADDED:
                # An integer on every database (PostgreSQL's SUM of a bigint is a numeric).
                shown.append(f"CAST(SUM({column}) AS BIGINT) AS {quote(name)}")
            else:
                shown.append(f"{how}({column}) AS {quote(name)}")
        union = " UNION ALL ".join(selects)
        current = f"SUM(u.{quote('current')})"
        sql = (
            f"SELECT {', '.join(shown)} FROM ({union}) u GROUP BY {', '.join(keys)} "
            f"HAVING {current} > 0"
        )
        return sql, params
