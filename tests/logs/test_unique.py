from __future__ import annotations

import pickle
import random

import pytest

from admin_hits.logs import unique
from admin_hits.logs.unique import EXACT_LIMIT, Visitors, united


def keys(n: int, seed: int) -> list[int]:
    """Visitor keys as the log core makes them: 64-bit hashes, signed."""
    rng = random.Random(seed)
    return [rng.randrange(-(2**63), 2**63) for _ in range(n)]


def test_exact_up_to_the_limit() -> None:
    found = Visitors(keys(EXACT_LIMIT, 1) * 2)
    assert found.registers is None and len(found) == EXACT_LIMIT
    assert found == set(keys(EXACT_LIMIT, 1))


@pytest.mark.parametrize(("n", "seed"), [(EXACT_LIMIT + 1, 2), (60_000, 3), (250_000, 4)])
def test_a_sketch_counts_within_one_percent(n: int, seed: int) -> None:
    found = Visitors()
    for start in range(0, n, 10_000):  # as blocks of views come
        found.add_many(keys(n, seed)[start : start + 10_000])
    assert found.registers is not None
    assert abs(len(found) - n) <= n / 100


def test_the_error_over_many_sketches_is_as_stated() -> None:
    """The relative standard error of 2**17 registers is 1.04 / 362 = 0.29%."""
    errors = []
    for seed in range(12):
        n = 30_000 + 5_000 * seed
        errors.append((len(Visitors(keys(n, 100 + seed))) - n) / n)
    rms = (sum(e * e for e in errors) / len(errors)) ** 0.5
    assert rms < 0.0029 * 1.5
    assert max(map(abs, errors)) < 0.01


def test_sketches_unite_as_sets_do() -> None:
    a, b, c = keys(30_000, 5), keys(15_000, 6), keys(5_000, 7)
    parts = [Visitors(a[:20_000] + b), Visitors(a[10_000:]), Visitors(c), {c[0], a[0]}]
    whole = Visitors(a + b + c)
    assert united(parts) == whole  # the same registers, whatever the order
    assert united(reversed(parts)) == whole
    assert len(whole) == len(parts[0] | parts[1] | parts[2])
    assert abs(len(whole) - 50_000) <= 500  # 1%


def test_small_sets_unite_exactly() -> None:
    one, two = Visitors({1, 2, 3}), {3, 4}
    assert united([one, two]) == {1, 2, 3, 4} and len(one | two) == 4


def test_pickled() -> None:
    for found in (Visitors({1, 2}), Visitors(keys(EXACT_LIMIT + 5, 8))):
        again = pickle.loads(pickle.dumps(found))
        assert again == found and len(again) == len(found)


def test_keys_that_are_not_hashes_are_spread(monkeypatch) -> None:
    monkeypatch.setattr(unique, "EXACT_LIMIT", 100)
    assert abs(len(Visitors(range(40_000))) - 40_000) <= 400


def test_pickled_with_keys_added_since_they_were_last_sorted() -> None:
    found = Visitors([5, 3])
    found.add_many([3, 9, 1, 9])  # a few: kept as they came until read
    again = pickle.loads(pickle.dumps(found))
    assert again == found == {1, 3, 5, 9} and len(again) == 4 and 9 in again and 4 not in again


def test_a_sketch_reached_by_keys_added_in_blocks_is_that_of_all_of_them(monkeypatch) -> None:
    monkeypatch.setattr(unique, "EXACT_LIMIT", 100)
    many = keys(1_000, 9)
    found = Visitors()
    for start in range(0, len(many), 30):
        found.add_many(many[start : start + 30] * 2)
    assert found.registers is not None and found == Visitors(many)
    with pytest.raises(TypeError, match="sketch"):
        list(found)
