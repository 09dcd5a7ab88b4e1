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
from collections.abc import Iterable, Mapping
from typing import Any

from admin_hits.logs.days import DayTraffic
from admin_hits.logs.referrers import parse_referrer
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
from admin_hits.resolvers import ObjectRef
from admin_hits.services import Table

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
) -> list[Table]:
    """Every table's rows for ``day``: ``PathHits`` and ``Hits`` first, then the details.
    ``hashes``: ``path_hash`` of paths, already worked out (by a parallel parse)."""
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
        Table(
            StatusHits,
            ("date", "status", "views"),
            sorted((day, status, n) for status, n in traffic.statuses.items()),
        ),  # fmt: skip
        not_found_rows(day, traffic, hashes),
        Table(
            BotHits,
            ("date", "bot", "hits"),
            sorted((day, name, n) for name, n in traffic.bots.items()),
        ),  # fmt: skip
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
    views: Counter[ObjectRef] = Counter()
    bot_views: Counter[ObjectRef] = Counter()
    visitors: dict[ObjectRef, set[int]] = defaultdict(set)
    for path in sorted(traffic.paths()):
        ref = refs.get(path)
        seen = traffic.visitors.get(path, set())
        human, bots = traffic.views[path], traffic.bot_views[path]
        row = (day, path, hashes[path], human, bots, len(seen), *_object(refs, path))
        paths.rows.append(row)
        if ref is not None:
            views[ref] += human
            bot_views[ref] += bots
            visitors[ref] |= seen
    hits = Table(Hits, ("date", "views", "bot_views", "visitors", *_OBJECT), [
        (day, views[ref], bot_views[ref], len(visitors[ref]), ref.content_type_id, ref.object_id)
        for ref in sorted(set(views) | set(bot_views), key=_ref_order)
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


def _ref_order(ref: ObjectRef) -> tuple[int, str]:
    return ref.content_type_id, ref.object_id
