"""A day's visits (``logs.visit_days.DayVisits``) as rows of the visit tables.

Landing rows are per path (every path a visit started or ended on); an object's landings are
the sum of its paths'. Referrers of landings are capped like the referrer table: the top
``REFERRERS_PER_LANDING`` URLs of a path, the rest summed per host with ``url`` "".
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping

from admin_hits.logs.referrers import parse_referrer
from admin_hits.logs.visit_days import DayVisits
from admin_hits.models import LandingHits, LandingReferrerHits, VisitLengths, VisitTotals
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rollups import PathHashes
from admin_hits.nightly.rows import Table

REFERRERS_PER_LANDING = 20
_OBJECT = ("content_type", "object_id")


def visit_tables(
    day: datetime.date,
    visits: DayVisits,
    refs: Mapping[str, ObjectRef],
    hashes: Mapping[str, str] | None = None,
) -> list[Table]:
    """The day's ``VisitTotals``, ``VisitLengths``, ``LandingHits`` and
    ``LandingReferrerHits`` rows (tables without rows when the day had no visit)."""
    hashes = hashes if isinstance(hashes, PathHashes) else PathHashes(hashes or {})
    totals = Table(VisitTotals, ("date", "visits", "bounces", "views", "median_minutes"))
    if visits.visits:
        totals.rows.append(
            (day, visits.visits, visits.bounce_total, visits.views, visits.median_length)
        )
    lengths = Table(
        VisitLengths,
        ("date", "minutes", "visits"),
        [(day, minutes, n) for minutes, n in sorted(visits.lengths.items())],
    )
    landings = Table(
        LandingHits,
        ("date", "path", "path_hash", *_OBJECT, "visits", "bounces", "exits"),
        [
            (day, path, hashes[path], *_object(refs, path), visits.landings.get(path, 0),
             visits.bounces.get(path, 0), visits.exits.get(path, 0))
            for path in sorted(set(visits.landings) | set(visits.exits))
        ],
    )  # fmt: skip
    return [totals, lengths, landings, referrer_rows(day, visits, refs, hashes)]


def referrer_rows(
    day: datetime.date, visits: DayVisits, refs: Mapping[str, ObjectRef], hashes: PathHashes
) -> Table:
    table = Table(
        LandingReferrerHits, ("date", "path", "path_hash", *_OBJECT, "host", "url", "visits")
    )
    per_path: dict[str, Counter[str]] = defaultdict(Counter)
    for (path, url), n in visits.referrers.items():
        per_path[path][url] += n
    hosts: dict[str, str] = {}
    for path in sorted(per_path):
        rows: Counter[tuple[str, str]] = Counter()
        ranked = sorted(per_path[path].items(), key=lambda item: (-item[1], item[0]))
        for rank, (url, n) in enumerate(ranked):
            if (host := hosts.get(url)) is None:
                parsed = parse_referrer(url)
                host = hosts[url] = parsed.host if parsed is not None else ""
            rows[host, url if rank < REFERRERS_PER_LANDING else ""] += n
        head = (day, path, hashes[path], *_object(refs, path))
        table.rows += [(*head, host, url, n) for (host, url), n in sorted(rows.items())]
    return table


def _object(refs: Mapping[str, ObjectRef], path: str) -> tuple[int | None, str]:
    ref = refs.get(path)
    return (ref.content_type_id, ref.object_id) if ref is not None else (None, "")
