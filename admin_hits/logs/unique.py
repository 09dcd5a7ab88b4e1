"""Unique visitors of a path, an object or the site: exact up to ``EXACT_LIMIT``, then a sketch.

A visitor key is a 64-bit SipHash (``clients.VisitorKeys``), so its bits are already random.
``Visitors`` is a ``set`` of keys while it holds at most ``EXACT_LIMIT`` of them: every
figure below that is exact. Past it the keys are folded into a HyperLogLog sketch of
``2**PRECISION`` one-byte registers (128 KiB, whatever the number of visitors) and the set is
emptied; ``len`` then estimates, with a relative standard error of 1.04 / sqrt(2**17) = 0.29%:
99.7% of estimates (three standard errors) are within 0.87% of the true count, so the error
is at most 1% (tests/logs/test_unique.py holds it to exact counts). 2**14 registers (16 KiB)
would give 0.81%, and one estimate in five off by more than 1%. Sketches merge exactly (the
greatest register of each), so the visitors of several paths, processes (``parse_log
--jobs``) or objects unite as sets do.

The estimate is Ertl's ("New cardinality estimation algorithms for HyperLogLog sketches",
2017): unbiased from the first visitor to billions, with no table of corrections. Written here
rather than taken from datasketch, the well-kept library, which would bring numpy and scipy
into every install for one data structure of 60 lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from typing import Any

PRECISION = 17
REGISTERS = 1 << PRECISION
EXACT_LIMIT = 20_000  # keys a set holds before it becomes a sketch (a set of 20,000: ~1 MiB)
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


class Visitors(set[int]):
    """A set of visitor keys that becomes a HyperLogLog sketch past ``EXACT_LIMIT`` keys
    (``registers`` is then set, and the set empty); ``len`` counts or estimates."""

    __slots__ = ("registers",)

    def __init__(self, keys: Iterable[int] = ()) -> None:
        super().__init__(keys)
        self.registers: bytearray | None = None
        self._bound()

    def add_many(self, keys: Iterable[int]) -> None:
        if self.registers is None:
            self.update(keys)
            self._bound()
        else:
            _fold(keys, self.registers)

    def _bound(self) -> None:
        if self.registers is None and set.__len__(self) > EXACT_LIMIT:
            self.registers = bytearray(REGISTERS)
            _fold(set.__iter__(self), self.registers)
            self.clear()

    def __len__(self) -> int:
        return set.__len__(self) if self.registers is None else estimate(self.registers)

    def __or__(self, other: AbstractSet[Any]) -> Visitors:  # type: ignore[override]  # a set of ints still, and a sketch when either is
        return united((self, other))

    def __ior__(self, other: AbstractSet[Any]) -> Visitors:  # type: ignore[override]  # as ``__or__``
        theirs = getattr(other, "registers", None)
        if theirs is None:
            self.add_many(set.__iter__(other) if isinstance(other, set) else iter(other))
            return self
        if self.registers is None:
            self.registers = bytearray(theirs)
            _fold(set.__iter__(self), self.registers)
            self.clear()
        else:
            self.registers = bytearray(map(max, self.registers, theirs))
        return self

    def __eq__(self, other: object) -> bool:
        if getattr(other, "registers", None) != self.registers:
            return False
        return set.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = None  # mutable, as a set

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (list(set.__iter__(self)), self.registers)

    def __repr__(self) -> str:
        if self.registers is None:
            return f"Visitors({set(self)!r})"
        return f"Visitors(about {len(self):,})"


def _rebuilt(keys: list[int], registers: bytearray | None) -> Visitors:
    found = Visitors()
    set.update(found, keys)
    found.registers = registers
    return found


def united(many: Iterable[AbstractSet[int]]) -> Visitors:
    """The visitors of all of ``many`` (sets or ``Visitors``) together."""
    found = Visitors()
    for seen in many:
        found |= seen
    return found
