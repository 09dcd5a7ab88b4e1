from __future__ import annotations

import datetime
import pickle
import random
from collections import Counter

import pytest

from admin_hits.logs import unique
from admin_hits.logs.counts import Counts
from admin_hits.logs.visitor_views import VisitorViews

DAYS = [datetime.date(2026, 5, 11), datetime.date(2026, 5, 12)]
CLASS = ("Chrome", "Chrome 1", "Windows", "desktop", "")


def generated(seed: int, views: int = 5_000) -> list[tuple[int, tuple]]:
    """(visitor, key) per view: visitors of one or several views, some on two days."""
    rng = random.Random(seed)
    found = []
    for _ in range(views):
        visitor = rng.randrange(-(2**63), 2**63) if rng.random() < 0.5 else rng.randrange(300)
        path, hour, country = f"/p/{rng.randrange(40)}/", rng.randrange(24), rng.choice("DFZ")
        key = (rng.choice(DAYS), path, hour, CLASS, country)
        found.append((visitor, key))
    return found


def truth(views: list[tuple[int, tuple]], readers: dict[datetime.date, set[int]]) -> Counter:
    """Views per key of those who did not read robots.txt that day."""
    return Counter(key for visitor, key in views if visitor not in readers.get(key[0], set()))


def counted(views: list[tuple[int, tuple]], one_by_one: bool = False) -> VisitorViews:
    found = VisitorViews()
    if one_by_one:
        for visitor, key in views:
            found.add_view(key, visitor)
    else:
        found.add_views([key for _, key in views], [visitor for visitor, _ in views])
    return found


@pytest.mark.parametrize("seed", range(4))
def test_the_readers_views_come_off_exactly(seed: int) -> None:
    views = generated(seed)
    rng = random.Random(seed + 100)
    visitors = sorted({visitor for visitor, _ in views})
    readers = {day: set(rng.sample(visitors, 40)) for day in DAYS}
    readers[DAYS[1]].add(12345)  # a reader with no view
    found = counted(views)
    assert Counter(found) == Counter(key for _, key in views)  # everyone's
    kept = Counter(found)
    kept.subtract(found.readers_views(readers))
    assert +kept == truth(views, readers)
    assert not found.readers_views({})


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_parts_merged_and_pickled_are_the_whole(parts: int) -> None:
    views = generated(7)
    readers = {DAYS[0]: {visitor for visitor, _ in views[::97]}}
    whole = counted(views)
    size = len(views) // parts + 1
    total = Counts()
    for start in range(0, len(views), size):
        part = Counts(extra={"audience": counted(views[start : start + size], one_by_one=True)})
        total.merge(pickle.loads(pickle.dumps(part)))
    merged = total.extra["audience"]
    assert isinstance(merged, VisitorViews)
    assert merged == whole
    assert merged.readers_views(readers) == whole.readers_views(readers)
    assert merged.keys_seen == list(dict.fromkeys(key for _, key in views))


def test_who_made_the_views_counts_in_equality() -> None:
    key = (DAYS[0], "/", 3, CLASS, "DE")
    one, other = VisitorViews(), VisitorViews()
    one.add_view(key, 1, 2)
    other.add_view(key, 1)
    other.add_view(key, 2)
    assert Counter(one) == Counter(other)
    assert one != other
    other = VisitorViews()
    other.add_views([key, key], [1, 1])
    assert one == other


@pytest.mark.parametrize("seed", range(3))
def test_unique_visitors_per_key_leave_the_readers_out(seed: int) -> None:
    views = [(visitor, key[:2]) for visitor, key in generated(seed)]  # per (date, path)
    rng = random.Random(seed + 200)
    readers = {DAYS[0]: set(rng.sample(sorted({v for v, _ in views}), 30))}
    found = counted(views)
    expected: dict[tuple, set[int]] = {}
    for visitor, key in views:
        if visitor not in readers.get(key[0], set()):
            expected.setdefault(key, set()).add(visitor)
    assert found.visitors_of(readers) == expected
    assert found.visitors_of({}) == {
        key: {v for v, k in views if k == key} for key in {k for _, k in views}
    }


def test_a_key_of_many_visitors_gets_a_sketch_of_them(monkeypatch) -> None:
    monkeypatch.setattr(unique, "EXACT_LIMIT", 1_000)
    rng = random.Random(9)
    many = [rng.randrange(-(2**63), 2**63) for _ in range(150_000)]  # past a block of views
    key, few = (DAYS[0], "/busy/"), (DAYS[0], "/quiet/")
    found = counted([(v, key) for v in many] + [(v, few) for v in many[:500]])
    readers = {DAYS[0]: set(many[:300])}
    seen = found.visitors_of(readers)
    assert seen[few] == set(many[300:500])  # exact below the limit
    assert seen[key].registers is not None
    assert abs(len(seen[key]) - 149_700) <= 1_497


def test_views_given_with_their_number_count_as_that_many() -> None:
    views = generated(11, 200)
    times = [1 + i % 3 for i in range(len(views))]
    one_by_one = VisitorViews()
    for (visitor, key), n in zip(views, times, strict=True):
        one_by_one.add_view(key, visitor, n)
    at_once = VisitorViews()
    at_once.add_views([key for _, key in views], [v for v, _ in views], times)
    assert at_once == one_by_one and sum(at_once.values()) == sum(times)
