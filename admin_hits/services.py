"""Writing days: per-path counts from the log core become ``PathHits`` and ``Hits`` rows.

A day is always replaced whole, in one transaction: the files are the truth, so re-running a
day gives the same rows and a run that fails before ``write_day`` changes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connections, router, transaction

from admin_hits.models import Hits, PathHits, path_hash
from admin_hits.resolvers import ObjectRef, PathResolver

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
) -> tuple[list[PathHits], list[Hits]]:
    """The day's ``PathHits`` (one per path) and ``Hits`` (one per object, paths summed)."""
    path_rows = []
    per_object: Counter[ObjectRef] = Counter()
    for path, n in paths.items():
        ref = refs.get(path)
        path_rows.append(
            PathHits(
                date=day,
                path=path,
                path_hash=path_hash(path),
                views=n,
                content_type_id=ref.content_type_id if ref else None,
                object_id=ref.object_id if ref else "",
            )
        )
        if ref is not None:
            per_object[ref] += n
    hit_rows = [
        Hits(date=day, views=n, content_type_id=ref.content_type_id, object_id=ref.object_id)
        for ref, n in per_object.items()
    ]
    return path_rows, hit_rows


def write_day(
    day: datetime.date,
    paths: Mapping[str, int],
    resolver: PathResolver | None = None,
    *,
    dry_run: bool = False,
) -> DayResult:
    """Replace the day's rows with those computed from ``paths`` (path -> views)."""
    refs = (resolver or PathResolver()).resolve_many(paths)
    path_rows, hit_rows = build_rows(day, paths, refs)
    if not dry_run:
        replace_day(day, path_rows, hit_rows)
    return DayResult(
        date=day,
        views=sum(paths.values()),
        paths=len(path_rows),
        objects=len(hit_rows),
        matched_views=sum(h.views for h in hit_rows),
    )


def replace_day(day: datetime.date, path_rows: list[PathHits], hit_rows: list[Hits]) -> None:
    """Delete the day's rows and insert the new ones, atomically."""
    using = router.db_for_write(Hits)
    with transaction.atomic(using=using):
        lock_day(using, day)
        Hits.objects.using(using).filter(date=day).delete()
        PathHits.objects.using(using).filter(date=day).delete()
        PathHits.objects.using(using).bulk_create(path_rows, batch_size=BATCH_SIZE)
        Hits.objects.using(using).bulk_create(hit_rows, batch_size=BATCH_SIZE)


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
