"""Writing days: per-path counts from the log core become ``PathHits`` and ``Hits`` rows.

A day is always replaced whole, in one transaction: the files are the truth, so re-running a
day gives the same rows and a run that fails before ``write_day`` changes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connections, router, transaction

from admin_hits.logs.days import DayTraffic
from admin_hits.logs.delivery_days import DayDelivery
from admin_hits.logs.downloads import DayDownloads
from admin_hits.logs.visit_days import DayVisits
from admin_hits.models import Hits, PathHits, path_hash
from admin_hits.models.fields import column_of, concrete_field
from admin_hits.nightly.delivery_rows import delivery_rows
from admin_hits.nightly.download_rows import download_rows
from admin_hits.nightly.launches import invalidate as invalidate_launches
from admin_hits.nightly.period_totals import invalidate as invalidate_period_totals
from admin_hits.nightly.resolvers import Match, ObjectRef, PathResolver
from admin_hits.nightly.rollups import traffic_tables
from admin_hits.nightly.rows import Table
from admin_hits.nightly.visit_rows import visit_tables

BATCH_SIZE = 2000
# First key of PostgreSQL's two-key advisory locks held while a day is replaced ("hits").
ADVISORY_LOCK_CLASS = 0x68697473


@dataclass(frozen=True)
class DayResult:
    """What ``write_day`` stored for one day (or would have, on a dry run)."""

    date: datetime.date
    views: int
    paths: int
    objects: int
    matched_views: int

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "views": self.views,
            "paths": self.paths,
            "objects": self.objects,
            "matched_views": self.matched_views,
        }


def views_by_day(views: Mapping[tuple[datetime.date, str], int]) -> dict[datetime.date, Counter]:
    """Split the core's ``{(date, path): views}`` into ``{date: Counter({path: views})}``."""
    days: dict[datetime.date, Counter] = defaultdict(Counter)
    for (day, path), n in views.items():
        days[day][path] += n
    return days


def build_rows(
    day: datetime.date, paths: Mapping[str, int], refs: Mapping[str, ObjectRef]
) -> tuple[Table, Table]:
    """The day's ``PathHits`` (one per path) and ``Hits`` (one per object, paths summed)."""
    path_rows = Table(PathHits, ("date", "path", "path_hash", "views", "content_type", "object_id"))
    per_object: Counter[ObjectRef] = Counter()
    for path, n in paths.items():
        ref = refs.get(path)
        if ref is None:
            path_rows.rows.append((day, path, path_hash(path), n, None, ""))
        else:
            path_rows.rows.append(
                (day, path, path_hash(path), n, ref.content_type_id, ref.object_id)
            )
            per_object[ref] += n
    hit_rows = Table(Hits, ("date", "views", "content_type", "object_id"))
    hit_rows.rows = [(day, n, ref.content_type_id, ref.object_id) for ref, n in per_object.items()]
    return path_rows, hit_rows


@dataclass
class KnownPaths:
    """What a parallel parse worked out about paths while it counted, so that writing a day
    does not do it again: URL ``matches`` (``None``: no object's URL), ``hashes``
    (``path_hash``), and ``objects`` looked up (``None``: no such object)."""

    matches: dict[str, Match | None] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    objects: dict[str, ObjectRef | None] = field(default_factory=dict)

    def update(self, other: KnownPaths) -> None:
        self.matches.update(other.matches)
        self.hashes.update(other.hashes)
        self.objects.update(other.objects)


def write_day(
    day: datetime.date,
    paths: Mapping[str, int],
    resolver: PathResolver | None = None,
    *,
    known: KnownPaths | None = None,
    traffic: DayTraffic | None = None,
    details: Callable[[datetime.date], list[Table]] | None = None,
    visits: DayVisits | None = None,
    downloads: DayDownloads | None = None,
    delivery: DayDelivery | None = None,
    dry_run: bool = False,
) -> DayResult:
    """Replace the day's rows with those computed from ``paths`` (path -> views): see
    ``day_tables``."""
    tables, result = day_tables(
        day, paths, resolver, known=known, traffic=traffic, details=details, visits=visits,
        downloads=downloads, delivery=delivery,
    )  # fmt: skip
    if not dry_run:
        replace_day(day, tables)
    return result


def day_tables(
    day: datetime.date,
    paths: Mapping[str, int],
    resolver: PathResolver | None = None,
    *,
    known: KnownPaths | None = None,
    traffic: DayTraffic | None = None,
    details: Callable[[datetime.date], list[Table]] | None = None,
    visits: DayVisits | None = None,
    downloads: DayDownloads | None = None,
    delivery: DayDelivery | None = None,
) -> tuple[list[Table], DayResult]:
    """The day's rows computed from ``paths`` (path -> views), and what they hold.

    ``known``: what is known of the paths already (by a parallel parse); the rest is worked
    out here. With ``traffic`` (the day's ``DayTraffic``; ``paths`` are then its human views)
    every table of the day is written: bots, visitors, referrers, keywords, campaigns,
    statuses, 404s (``rollups.py``). ``details``: gives the day's referrer, search, campaign
    and 404 tables, built elsewhere from the same counts (by a parallel parse's worker, while
    this process builds the others); asked for once the others are built. With ``traffic``,
    the visit, download and delivery tables are written too, from ``visits``, ``downloads``
    and ``delivery`` (none when not given).
    """
    if traffic is not None:
        paths = {**dict.fromkeys(traffic.bot_views, 0), **paths}
    resolver = resolver or PathResolver()
    known = known or KnownPaths()
    refs = resolver.fetch(_to_fetch(paths, resolver, known))
    objects = known.objects
    refs.update((p, ref) for p in paths if (ref := objects.get(p)) is not None)
    if traffic is not None:
        tables = traffic_tables(day, traffic, refs, known.hashes, details)
        tables += visit_tables(day, visits or DayVisits(), refs, known.hashes)
        tables.append(download_rows(day, downloads or DayDownloads(), resolver, known.hashes))
        tables += delivery_rows(day, delivery, refs, known.hashes, traffic.lines)
    else:
        tables = list(build_rows(day, paths, refs))
    path_rows, hit_rows = tables[:2]
    return tables, DayResult(
        date=day,
        views=sum(paths.values()),
        paths=len(path_rows.rows),
        objects=len(hit_rows.rows),
        matched_views=sum(row[1] for row in hit_rows.rows),
    )


def _to_fetch(paths: Iterable[str], resolver: PathResolver, known: KnownPaths) -> dict[str, Match]:
    """The URL matches of ``paths`` whose objects are still to look up; paths not matched
    yet are matched here. One pass: a busy day has 100,000 paths."""
    matches, objects = known.matches, known.objects
    wanted: dict[str, Match] = {}
    unmatched = []
    for path in paths:
        if path not in matches:
            unmatched.append(path)
        elif path not in objects and (match := matches[path]) is not None:
            wanted[path] = match
    wanted.update(resolver.match_many(unmatched))
    return wanted


def replace_day(day: datetime.date, tables: Sequence[Table]) -> None:
    """Delete the day's rows of every table and insert the new ones, atomically."""
    using = router.db_for_write(Hits)
    with roomy_page_cache(using), transaction.atomic(using=using):
        lock_day(using, day)
        for table in tables:
            table.model._default_manager.using(using).filter(date=day).delete()
            insert_rows(using, table)
        # The report's stored totals of this day's periods go with the old rows; parse_log
        # computes them again once all its days are written (period_totals.refresh).
        invalidate_period_totals(day, using=using)
        # So do the stored launches whose first days hold it (nightly.launches.refresh).
        invalidate_launches(day, using=using)


@contextmanager
def roomy_page_cache(using: str, kib: int = 65536) -> Iterator[None]:
    """On SQLite, a page cache of up to ``kib`` KiB while a day is written and committed,
    then the connection's own size again. The default 2 MiB is smaller than a busy day's
    indexes: SQLite writes pages out of it to the file and reads them back, a sixth of the
    write's time (85,000 paths). Pages are only taken as they are used."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-int(kib)}")
        try:
            yield
        finally:
            # If the connection is gone, the next one starts with its own size.
            with suppress(DatabaseError):
                cursor.execute(f"PRAGMA cache_size = {int(before)}")


# Values the database drivers take as they are; other columns go through the field's own
# preparation (dates, for one, are text on SQLite).
_RAW_TYPES = {"CharField", "TextField", "SlugField", "ForeignKey"} | {
    f"{size}IntegerField" for size in ("", "Big", "Small", "Positive", "PositiveBig")
}


def insert_rows(using: str, table: Table) -> None:
    """Insert the table's rows: ``COPY`` on PostgreSQL with psycopg 3, otherwise one
    ``executemany`` per batch."""
    if not table.rows:
        return
    connection = connections[using]
    fields = [concrete_field(table.model, name) for name in table.fields]
    quote = connection.ops.quote_name
    into = "{} ({})".format(
        quote(table.model._meta.db_table), ", ".join(quote(column_of(f)) for f in fields)
    )
    prepared = [(i, f) for i, f in enumerate(fields) if f.get_internal_type() not in _RAW_TYPES]
    rows: Sequence[Sequence[Any]] = table.rows
    if prepared:
        # Prepared once per distinct value (every row of a day has the same date), column by
        # column: the transposing and the look-ups run in C, not a Python loop per row.
        columns: list[Iterable[Any]] = list(zip(*rows, strict=True))
        for i, f in prepared:
            values = {value: f.get_db_prep_save(value, connection) for value in set(columns[i])}
            columns[i] = map(values.__getitem__, columns[i])
        rows = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        copy = getattr(cursor.cursor, "copy", None) if connection.vendor == "postgresql" else None
        if copy is not None:
            # One stream instead of a statement per row: an executemany round of a busy day's
            # tens of thousands of rows takes seconds, and the server builds the indexes as
            # the rows arrive.
            with copy(f"COPY {into} FROM STDIN") as stream:
                for row in rows:
                    stream.write_row(row)
            return
        sql = "INSERT INTO {} VALUES ({})".format(into, ", ".join(["%s"] * len(fields)))
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def lock_day(using: str, day: datetime.date) -> None:
    """Serialise writers of the same day: a second ``parse_log`` for a day waits for the first
    and then replaces its rows whole, instead of failing on the unique constraint half-way.
    SQLite needs nothing: it lets one write transaction run at a time anyway."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, day.toordinal()]
            )
