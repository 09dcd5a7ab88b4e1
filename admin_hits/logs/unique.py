"""Unique visitors of a path, an object or the site: exact up to ``EXACT_LIMIT``, then a sketch.

A visitor key is a 64-bit SipHash (``clients.VisitorKeys``), so its bits are already random.
``Visitors`` holds the keys themselves (an array of 64-bit integers) while they are at most
``EXACT_LIMIT``: every figure below that is exact. Past it the keys are folded into a
HyperLogLog sketch of ``2**PRECISION`` one-byte registers (128 KiB, whatever the number of
visitors) and dropped; ``len`` then estimates, with a relative standard error of 1.04 /
sqrt(2**17) = 0.29%: 99.7% of estimates (three standard errors) are within 0.87% of the
true count, so the error is at most 1% (tests/logs/test_unique.py holds it to exact counts).
2**14 registers (16 KiB) would give 0.81%, and one estimate in five off by more than 1%.
Sketches merge exactly (the
greatest register of each), so the visitors of several paths, processes (``parse_log
--jobs``) or objects unite as sets do.

The estimate is Ertl's ("New cardinality estimation algorithms for HyperLogLog sketches",
2017): unbiased from the first visitor to billions, with no table of corrections. Written here
rather than taken from datasketch, the well-kept library, which would bring numpy and scipy
into every install for one data structure of 60 lines.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any

PRECISION = 17
REGISTERS = 1 << PRECISION
EXACT_LIMIT = 20_000  # keys held before they become a sketch (20,000 keys: 160 KiB)
_PENDING = 1024  # keys added, and not merged yet, that a small set holds at most
_Q = 64 - PRECISION  # the bits of a key that give its rank
_MASK = (1 << 64) - 1
_INDEX = REGISTERS - 1


def _fold(keys: Iterable[int], registers: bytearray) -> None:
    """Add ``keys`` to ``registers``: the low bits (mixed) pick a register, which keeps the highest
    rank seen (leading zeros of the other bits, plus one)."""
    top, mask = _Q + 1, _MASK
    for key in keys:
        # splitmix64's finaliser: a bijection that spreads keys that are not hashes (small
        # numbers, say) over the registers; a SipHash key stays as random as it was.
        key = ((key ^ (key >> 30)) * 0xBF58476D1CE4E5B9) & mask
        key = ((key ^ (key >> 27)) * 0x94D049BB133111EB) & mask
        key ^= key >> 31
        rank = top - (key >> PRECISION).bit_length()
        if registers[key & _INDEX] < rank:
            registers[key & _INDEX] = rank


def estimate(registers: bytes | bytearray) -> int:
    """How many distinct keys the sketch saw (Ertl's improved estimator)."""
    m = len(registers)
    histogram = [0] * (_Q + 2)
    for rank in set(registers):
        histogram[rank] = registers.count(rank)
    z = m * _tau(1 - histogram[_Q + 1] / m)
    for k in range(_Q, 0, -1):
        z = 0.5 * (z + histogram[k])
    z += m * _sigma(histogram[0] / m)
    if math.isinf(z):  # every register empty
        return 0
    return round(m * m / (2 * math.log(2)) / z)


def _sigma(x: float) -> float:
    if x == 1:
        return math.inf
    y, z = 1.0, x
    while True:
        x *= x
        before = z
        z += x * y
        y += y
        if z == before:
            return z


def _tau(x: float) -> float:
    if x in (0, 1):
        return 0.0
    y, z = 1.0, 1 - x
    while True:
        x = math.sqrt(x)
        before = z
        y *= 0.5
        z -= (1 - x) ** 2 * y
        if z == before:
            return z / 3


class Visitors(AbstractSet[int]):
    """Visitor keys: exact up to ``EXACT_LIMIT`` of them, then a HyperLogLog sketch
    (``registers`` is then set and no key kept); ``len`` counts or estimates.

    The exact keys are machine integers in an array (8 bytes a key, where a ``set`` of Python
    ints takes some 60): its first ``_sorted`` are sorted and distinct, the rest were added
    since and are merged in (sorted, duplicates dropped) once they outnumber them, or when the
    keys are read. A day's many paths with a few thousand visitors each held most of a run's
    memory as sets."""

    __slots__ = ("_keys", "_sorted", "_registers")

    def __init__(self, keys: Iterable[int] = ()) -> None:
        self._keys = array("q")
        self._sorted = 0
        self._registers: bytearray | None = None
        self.add_many(keys)

    @property
    def registers(self) -> bytearray | None:
        """The sketch's registers; ``None`` while the keys are kept (at most the limit)."""
        self._settle()
        return self._registers

    def add_many(self, keys: Iterable[int]) -> None:
        if self._registers is not None:
            _fold(keys, self._registers)
            return
        found = self._keys
        found.extend(keys._keys if isinstance(keys, Visitors) else keys)
        if len(found) - self._sorted > max(_PENDING, self._sorted):
            self._settle()

    def _settle(self) -> None:
        """The keys sorted and distinct; a sketch past ``EXACT_LIMIT`` of them."""
        if self._registers is not None or self._sorted == len(self._keys):
            return
        distinct = sorted(set(self._keys))
        if len(distinct) > EXACT_LIMIT:
            self._registers = bytearray(REGISTERS)
            _fold(distinct, self._registers)
            self._keys, self._sorted = array("q"), 0
        else:
            self._keys, self._sorted = array("q", distinct), len(distinct)

    def __len__(self) -> int:
        self._settle()
        return self._sorted if self._registers is None else estimate(self._registers)

    def __bool__(self) -> bool:
        return self._registers is not None or bool(self._keys)

    def __iter__(self) -> Iterator[int]:
        if self.registers is not None:
            raise TypeError("a sketch of visitors holds no keys to read")
        return iter(self._keys)

    def __contains__(self, key: object) -> bool:
        if self.registers is not None:
            raise TypeError("a sketch of visitors can not tell who is in it")
        at = bisect_left(self._keys, key)  # type: ignore[call-overload]  # any key: an int or not
        return at < self._sorted and bool(self._keys[at] == key)

    def __or__(self, other: AbstractSet[Any]) -> Visitors:
        return united((self, other))

    def __ior__(self, other: AbstractSet[Any]) -> Visitors:
        theirs = getattr(other, "registers", None)  # (a ``Visitors`` settles first)
        if theirs is None:
            self.add_many(other)
            return self
        self._settle()
        if self._registers is None:
            registers = bytearray(theirs)
            _fold(self._keys, registers)
            self._registers, self._keys, self._sorted = registers, array("q"), 0
        else:
            self._registers = bytearray(map(max, self._registers, theirs))
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AbstractSet):
            return NotImplemented
        theirs = getattr(other, "registers", None)
        if self.registers is not None or theirs is not None:
            return theirs == self._registers
        if isinstance(other, Visitors):
            return self._keys == other._keys  # both settled: sorted and distinct
        return len(self) == len(other) and all(key in other for key in self)

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]  # mutable, as a set

    def __reduce__(self) -> tuple[Any, ...]:
        registers = self.registers  # settled first: the keys sent are sorted and distinct
        return _rebuilt, (self._keys.tobytes(), registers)

    def __repr__(self) -> str:
        if self.registers is None:
            return f"Visitors({set(self)!r})"
        return f"Visitors(about {len(self):,})"


def _rebuilt(keys: bytes, registers: bytearray | None) -> Visitors:
    found = Visitors()
    found._keys.frombytes(keys)
    found._sorted, found._registers = len(found._keys), registers
    return found


def united(many: Iterable[AbstractSet[int]]) -> Visitors:
    """The visitors of all of ``many`` (sets or ``Visitors``) together."""
    found = Visitors()
    for seen in many:
        found |= seen
    return found
