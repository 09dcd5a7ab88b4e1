"""A day's traffic (``logs.days.DayTraffic``) as rows of every table ``parse_log`` writes.

Rows are roll-ups, capped so a day stays a few rows per path whatever the traffic: the top
``REFERRERS_PER_PATH`` referrer URLs of a path (the rest summed per host, with ``url`` ""), the
top ``KEYWORDS_PER_PATH`` keywords (the rest summed per engine into keyword ""), the top
``NOT_FOUND_PATHS`` 404 paths with their top ``NOT_FOUND_REFERRERS`` referrers (the rest summed
into referrer ""; the day's 404 total stays exact in ``StatusHits`` and ``DayTotals``). Ties are
broken by text, so the same day always gives the same rows.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from admin_hits.logs.days import DayTraffic
from admin_hits.logs.referrers import parse_referrer
from admin_hits.logs.unique import united
from admin_hits.models import (
    BotHits,
    CampaignHits,
    DayTotals,
    Hits,
    NotFoundHits,
    PathHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
    path_hash,
)
from admin_hits.nightly.audience_rows import audience_tables
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rows import Table

REFERRERS_PER_PATH = 20
KEYWORDS_PER_PATH = 50
NOT_FOUND_PATHS = 1000
NOT_FOUND_REFERRERS = 10
_OBJECT = ("content_type", "object_id")


def traffic_tables(
    day: datetime.date,
    traffic: DayTraffic,
    refs: Mapping[str, ObjectRef],
    hashes: Mapping[str, str] | None = None,
    details: Callable[[datetime.date], list[Table]] | None = None,
) -> list[Table]:
    """Every table's rows for ``day``: ``PathHits`` and ``Hits`` first, then the details.
    ``hashes``: ``path_hash`` of paths, already worked out (by a parallel parse).
    ``details``: gives the ``detail_tables`` of a day, built elsewhere from the same counts
    (by a parallel parse's worker); asked for once the other tables are built."""
    hashes = PathHashes(hashes or {})  # most paths have a row in several tables: hashed once
    return [
        *path_and_object_rows(day, traffic, refs, hashes),
        Table(
            DayTotals,
            ("date", "views", "bot_views", "visitors", "not_found", "lines"),
            [
                (
                    day,
                    traffic.views.total(),
                    traffic.bot_views.total(),
                    traffic.site_visitors(),
                    traffic.statuses[404],
                    traffic.lines,
                )
            ],
        ),  # fmt: skip
        Table(
            StatusHits,
            ("date", "status", "views"),
            sorted((day, status, n) for status, n in traffic.statuses.items()),
        ),  # fmt: skip
        Table(
            BotHits,
            ("date", "bot", "hits"),
            sorted((day, name, n) for name, n in traffic.bots.items()),
        ),  # fmt: skip
        *(details(day) if details else detail_tables(day, traffic, refs, hashes)),
        *audience_tables(day, traffic.audience, refs),
    ]


def detail_tables(
    day: datetime.date,
    traffic: DayTraffic,
    refs: Mapping[str, ObjectRef],
    hashes: PathHashes | None = None,
) -> list[Table]:
    """The day's referrer, search, campaign and 404 rows. They read only the counts that
    ``DayTraffic.take_details`` splits off and the objects of their paths, so a parallel
    parse has a worker build them while the other tables are built."""
    hashes = PathHashes() if hashes is None else hashes
    return [
        referrer_rows(day, traffic, refs, hashes),
        search_rows(day, traffic, refs, hashes),
        Table(
            CampaignHits,
            ("date", "path", "path_hash", *_OBJECT, "source", "medium", "campaign", "views"),
            [  # fmt: skip
                (day, path, hashes[path], *_object(refs, path), source, medium, campaign, n)
                for (path, source, medium, campaign), n in sorted(traffic.campaigns.items())
            ],
        ),
        not_found_rows(day, traffic, hashes),
    ]


class PathHashes(dict[str, str]):
    """``path_hash`` of each path asked for, computed once."""

    def __missing__(self, path: str) -> str:
        value = self[path] = path_hash(path)
        return value


def path_and_object_rows(
    day: datetime.date,
    traffic: DayTraffic,
    refs: Mapping[str, ObjectRef],
    hashes: PathHashes,
) -> tuple[Table, Table]:
    """``PathHits`` for every path viewed by people or bots; ``Hits`` per object, with its
    unique visitors over all its paths."""
    fields = ("date", "path", "path_hash", "views", "bot_views", "visitors", *_OBJECT)
    paths = Table(PathHits, fields)
    # One pass per path of a busy day (100,000 of them), with plain ``dict.get``s. Objects
    # are keyed by (content type, id): a tuple hashes in C, an ``ObjectRef`` in Python.
    human_views, robot_views, path_visitors = traffic.views, traffic.bot_views, traffic.visitors
    nobody: frozenset[int] = frozenset()
    # Per object: views, bot views, visitor keys, whether those are a set of its own yet.
    per_object: dict[tuple[int, str], list[Any]] = {}
    rows = paths.rows
    for path in sorted(traffic.paths()):
        ref = refs.get(path)
        seen = path_visitors.get(path, nobody)
        human, bots = human_views.get(path, 0), robot_views.get(path, 0)
        if ref is None:
            rows.append((day, path, hashes[path], human, bots, len(seen), None, ""))
            continue
        key = (ref.content_type_id, ref.object_id)
        rows.append((day, path, hashes[path], human, bots, len(seen), *key))
        if (entry := per_object.get(key)) is None:
            per_object[key] = [human, bots, seen, False]
            continue
        entry[0] += human
        entry[1] += bots
        if entry[3]:
            entry[2] |= seen
        else:  # a copy at the second path, so that the first path's set stays as it is
            entry[2], entry[3] = united((entry[2], seen)), True
    hits = Table(Hits, ("date", "views", "bot_views", "visitors", *_OBJECT), [
        (day, human, bots, len(seen), *key)
        for key, (human, bots, seen, _) in sorted(per_object.items())
    ])  # fmt: skip
    return paths, hits


def referrer_rows(
    day: datetime.date,
    traffic: DayTraffic,
    refs: Mapping[str, ObjectRef],
    hashes: PathHashes,
) -> Table:
    hosts: dict[str, str] = {}  # the same few referrers recur on many paths: parsed once
    table = Table(ReferrerHits, ("date", "path", "path_hash", *_OBJECT, "host", "url", "views"))
    per_path: dict[str, Counter[str]] = defaultdict(Counter)
    for (path, url), n in traffic.referrers.items():
        per_path[path][url] += n
    for path in sorted(per_path):
        rows: Counter[tuple[str, str]] = Counter()
        for rank, (url, n) in enumerate(_top(per_path[path].items())):
            if (host := hosts.get(url)) is None:
                parsed = parse_referrer(url)
                host = hosts[url] = parsed.host if parsed is not None else ""
            rows[host, url if rank < REFERRERS_PER_PATH else ""] += n
        head = (day, path, hashes[path], *_object(refs, path))
        table.rows += [(*head, host, url, n) for (host, url), n in sorted(rows.items())]
    return table


def search_rows(
    day: datetime.date,
    traffic: DayTraffic,
    refs: Mapping[str, ObjectRef],
    hashes: PathHashes,
) -> Table:
    table = Table(SearchHits, ("date", "path", "path_hash", *_OBJECT, "engine", "keyword",
                               "views"))  # fmt: skip
    per_path: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for (path, engine, keyword), n in traffic.searches.items():
        per_path[path][engine, keyword] += n
    for path in sorted(per_path):
        rows: Counter[tuple[str, str]] = Counter()
        for rank, ((engine, keyword), n) in enumerate(_top(per_path[path].items())):
            rows[engine, keyword if rank < KEYWORDS_PER_PATH else ""] += n
        head = (day, path, hashes[path], *_object(refs, path))
        table.rows += [(*head, engine, keyword, n) for (engine, keyword), n in sorted(rows.items())]
    return table


def not_found_rows(day: datetime.date, traffic: DayTraffic, hashes: PathHashes) -> Table:
    table = Table(NotFoundHits, ("date", "path", "path_hash", "referrer", "hits"))
    per_path: dict[str, Counter[str]] = defaultdict(Counter)
    for (path, url), n in traffic.not_found.items():
        per_path[path][url] += n
    totals = ((path, referrers.total()) for path, referrers in per_path.items())
    for path, _ in list(_top(totals))[:NOT_FOUND_PATHS]:
        rows: Counter[str] = Counter()
        for rank, (url, n) in enumerate(_top(per_path[path].items())):
            rows[url if rank < NOT_FOUND_REFERRERS else ""] += n
        table.rows += [(day, path, hashes[path], url, n) for url, n in sorted(rows.items())]
    return table


def _top(items: Iterable[tuple[Any, int]]) -> list[tuple[Any, int]]:
    """Most first; ties in the order of the key, so a day's rows never depend on dict order."""
    return sorted(items, key=lambda item: (-item[1], item[0]))


def _object(refs: Mapping[str, ObjectRef], path: str) -> tuple[int | None, str]:
    ref = refs.get(path)
    return (ref.content_type_id, ref.object_id) if ref is not None else (None, "")
