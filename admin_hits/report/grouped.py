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
    # The first rows, fetched with a page further down: the paginator shows them next
    # when that page is past the end (``_fetch``).
    _first: tuple[int | None, list[dict[str, Any]]] | None = field(default=None, repr=False)

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
        limit = None if key.stop is None else key.stop - start
        if start == 0 and self._first is not None and self._first[0] == limit:
            return self._first[1]
        return self._fetch(start, limit)

    def _all(self) -> list[dict[str, Any]]:
        if self._cache is None:
            self._cache = self._fetch(0, None)
        return self._cache

    def _fetch(self, offset: int, limit: int | None) -> list[dict[str, Any]]:
        """Rows ``offset`` to ``offset + limit``. A page further down is fetched with the
        first rows, from one grouping of the rows: a page past the end (any page number can
        be asked for) then costs what the first one does, not twice as much."""
        sql, params = self._grouped()
        if not sql:
            return []
        connection = connections[self.using]
        quote = connection.ops.quote_name
        order = ", ".join(
            f"{quote(name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}"
            for name in self.ordering
        )
        order_by = f" ORDER BY {order}" if order else ""
        names = [name for name, _ in self.columns]
        first = offset > 0 and limit is not None
        if first:
            # A common table expression read twice is computed once (SQLite, PostgreSQL 12+).
            shown = ", ".join(quote(name) for name in names)
            pages = [
                f"SELECT {top} AS top_page, {shown} FROM (SELECT * FROM g{order_by}"
                f"{self._window(limit, start)}) page{top}"
                for top, start in ((0, offset), (1, 0))
            ]
            then = order_by.replace(" ORDER BY ", ", ")
            sql = f"WITH g AS ({sql}) SELECT * FROM ({' UNION ALL '.join(pages)}) pages "
            sql += f"ORDER BY top_page{then}"
        else:
            sql += order_by + self._window(limit, offset)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not first:
            return [dict(zip(names, row, strict=True)) for row in rows]
        self._first = (limit, [dict(zip(names, row[1:], strict=True)) for row in rows if row[0]])
        return [dict(zip(names, row[1:], strict=True)) for row in rows if not row[0]]

    def _window(self, limit: int | None, offset: int) -> str:
        # SQLite needs a LIMIT before an OFFSET: -1 is "no limit" there, ALL elsewhere.
        if limit is None:
            limit_sql = "-1" if connections[self.using].vendor == "sqlite" else "ALL"
        else:
            limit_sql = str(int(limit))
        return f" LIMIT {limit_sql} OFFSET {int(offset)}"

    def _grouped(self) -> tuple[str, list[Any]]:
        """The grouped union without its order (empty when no part can hold a row)."""
        quote = connections[self.using].ops.quote_name
        names = [name for name, _ in self.columns]
        # Each part's columns named and ordered explicitly: the union matches them by place.
        picked = ", ".join(f"{quote(f'u_{name}')} AS {quote(name)}" for name in names)
        selects: list[str] = []
        params: list[Any] = []
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
