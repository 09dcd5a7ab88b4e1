"""Views counted with the robots.txt readers known before (``ReaderViews``) give what views
remembered with their visitors (``VisitorViews``) give once the readers are known."""

from __future__ import annotations

import datetime
import pickle
import random
from collections import Counter

import pytest

from admin_hits.logs import unique
from admin_hits.logs.counts import Counts
from admin_hits.logs.reader_views import KnownReaders, ReaderViews
from admin_hits.logs.visitor_views import VisitorViews

DAYS = [datetime.date(2026, 5, 11), datetime.date(2026, 5, 12)]


def generated(seed: int, views: int = 5_000) -> list[tuple[int, tuple]]:
    """(visitor, key) per view: visitors of one or several views, some on two days."""
    rng = random.Random(seed)
    found = []
    for _ in range(views):
        visitor = rng.randrange(-(2**63), 2**63) if rng.random() < 0.5 else rng.randrange(300)
        found.append((visitor, (rng.choice(DAYS), f"/p/{rng.randrange(40)}/")))
    return found


def readers_of(views: list[tuple[int, tuple]], seed: int) -> dict[datetime.date, set[int]]:
    rng = random.Random(seed + 100)
    visitors = sorted({visitor for visitor, _ in views})
    found = {day: set(rng.sample(visitors, 40)) for day in DAYS}
    found[DAYS[1]].add(12345)  # a reader with no view
    return found


def counted(views, readers=None, one_by_one=False, unique_visitors=True):
    found = VisitorViews() if readers is None else ReaderViews(KnownReaders.of(readers),
                                                                unique_visitors)  # fmt: skip
    if one_by_one:
        for visitor, key in views:
            found.add_view(key, visitor)
    else:
        found.add_views([key for _, key in views], [visitor for visitor, _ in views])
    return found


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("one_by_one", [False, True])
def test_the_same_views_readers_and_visitors_as_views_kept_with_their_visitors(
    seed: int, one_by_one: bool
) -> None:
    views = generated(seed)
    readers = readers_of(views, seed)
    known = counted(views, readers, one_by_one)
    kept = counted(views)
    assert Counter(known) == Counter(kept) == Counter(key for _, key in views)
    assert known.readers_views(readers) == kept.readers_views(readers)
    # Independently: each key's visitors but that day's readers.
    truth: dict[tuple, set[int]] = {}
    for visitor, key in views:
        if visitor not in readers[key[0]]:
            truth.setdefault(key, set()).add(visitor)
    assert {k: set(v) for k, v in known.visitors_of(readers).items()} == truth
    assert {k: set(v) for k, v in kept.visitors_of(readers).items()} == truth


def test_views_repeated_count_once_per_time_and_a_reader_on_one_day_only() -> None:
    key_one, key_two = (DAYS[0], "/a/"), (DAYS[1], "/a/")
    found = ReaderViews(KnownReaders.of({DAYS[0]: {7}}))
    found.add_views([key_one, key_two, key_one], [7, 7, 8], [3, 2, 1])
    assert found == _made({key_one: 4, key_two: 2}, {key_one: 3}, {key_one: {8}, key_two: {7}})


def _made(totals, taken, seen) -> ReaderViews:
    made = ReaderViews(KnownReaders.of({DAYS[0]: {7}}))
    dict.update(made, totals)
    made.taken.update(taken)
    made.seen = {key: unique.Visitors(visitors) for key, visitors in seen.items()}
    return made


def test_without_unique_visitors_only_the_readers_views_are_kept() -> None:
    views = generated(3)
    readers = readers_of(views, 3)
    found = counted(views, readers, unique_visitors=False)
    assert not found.seen
    assert found.readers_views(readers) == counted(views).readers_views(readers)


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_parts_merged_and_pickled_are_the_whole(parts: int) -> None:
    views = generated(7)
    readers = readers_of(views, 7)
    whole = counted(views, readers)
    size = len(views) // parts + 1
    total = Counts()
    for start in range(0, len(views), size):
        part = Counts(extra={"visits": counted(views[start : start + size], readers, True)})
        total.merge(pickle.loads(pickle.dumps(part)))
    merged = total.extra["visits"]
    assert isinstance(merged, ReaderViews)
    assert merged == whole


def test_past_the_exact_limit_a_key_s_visitors_are_a_sketch(monkeypatch) -> None:
    monkeypatch.setattr(unique, "EXACT_LIMIT", 100)
    key = (DAYS[0], "/a/")
    found = ReaderViews(KnownReaders.of({}))
    for start in range(0, 1000, 50):  # in batches, as chunks come
        found.add_views([key] * 50, list(range(start, start + 50)))
    seen = found.visitors_of({})[key]
    assert seen.registers is not None
    assert abs(len(seen) - 1000) <= 30


def test_views_kept_with_their_visitors_do_not_take_known_readers_views() -> None:
    with pytest.raises(TypeError, match="known readers"):
        counted(generated(1), {}).merge_into(counted(generated(2)))
