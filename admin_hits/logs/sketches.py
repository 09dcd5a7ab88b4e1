"""Response-time percentiles from DDSketch bins, and the bins stored compactly.

A DDSketch (Datadog's, the ``ddsketch`` package) keeps a count per logarithmic bin of the
values it is given: any percentile it reports is within ``RELATIVE_ACCURACY`` (1%) of the
true one, and two sketches merge by adding their bins. The log core counts the bins itself,
as ``Counter`` keys (``delivery.py``), so that sketches of chunks, files, worker processes and
days merge the way every other count does: by adding. Here bins become a ``DDSketch`` for its
quantiles, and bytes for a database column (``encode`` / ``decode``).

Values are milliseconds. A response time of 0 (``%T`` in whole seconds logs 0 for most
requests) has a bin of its own, ``ZERO``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from itertools import repeat
from operator import add, mul

from ddsketch import DDSketch, LogarithmicMapping

RELATIVE_ACCURACY = 0.01
QUANTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
MAPPING = LogarithmicMapping(RELATIVE_ACCURACY)
# The bin of values too small for the mapping (0 ms); no logarithmic bin reaches it.
ZERO = -(2**31)
# ``LogarithmicMapping``'s own multiplier of log2, computed as it computes it: the same bins.
_MULTIPLIER = math.log(2) / math.log1p(2 * RELATIVE_ACCURACY / (1 - RELATIVE_ACCURACY))

Bins = Mapping[int, int]  # bin key: values


def bin_of(milliseconds: float) -> int:
    """The bin of a response time in milliseconds (0 and less: ``ZERO``)."""
    if milliseconds <= MAPPING.min_possible:
        return ZERO
    return MAPPING.key(milliseconds)


class Binner:
    """The bins of logged numbers of one unit (``scale``: milliseconds per unit), many at a
    time: ``MAPPING.key`` (``ceil(log2(ms) * multiplier)``) as a chain of ``map`` over C
    functions, ``log2(n) * m + log2(scale) * m``, so that a chunk's times cost no Python call
    each. A number whose logarithm does not exist (0, or less) goes one at a time."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._multiplier = _MULTIPLIER
        self._shift = math.log2(scale) * self._multiplier

    def many(self, numbers: list[float]) -> list[int | None]:
        try:
            logs = map(math.log2, numbers)
            return list(map(math.ceil, map(add, map(mul, logs, repeat(self._multiplier)),
                                           repeat(self._shift))))  # fmt: skip
        except ValueError:  # a 0 (or a negative number: refused before)
            return [self.one(n) for n in numbers]

    def one(self, number: float) -> int | None:
        """The bin of one number (``None``: a negative one, which no server logs)."""
        if number < 0:
            return None
        if number * self.scale <= MAPPING.min_possible:
            return ZERO
        return math.ceil(math.log2(number) * self._multiplier + self._shift)


def sketch_of(bins: Bins) -> DDSketch:
    """A ``DDSketch`` holding ``bins`` (each bin's values at its representative value, which
    the sketch maps back to the same bin)."""
    sketch = DDSketch(RELATIVE_ACCURACY)
    for key, n in bins.items():
        if n > 0:
            sketch.add(0.0 if key == ZERO else MAPPING.value(key), n)
    return sketch


def percentiles(bins: Bins) -> dict[str, float | None]:
    """p50, p95 and p99 of ``bins`` in milliseconds (``None`` each when there are none)."""
    sketch = sketch_of(bins)
    found: dict[str, float | None] = {}
    for name, quantile in QUANTILES.items():
        value = sketch.get_quantile_value(quantile)
        found[name] = None if value is None else round(float(value), 3)
    return found


def merged(many: Iterable[Bins]) -> dict[int, int]:
    """The bins of several sketches merged (a period's from its days')."""
    total: dict[int, int] = {}
    for bins in many:
        for key, n in bins.items():
            total[key] = total.get(key, 0) + n
    return total


def encode(bins: Bins) -> bytes:
    """``bins`` as bytes: per bin, in key order, the key's distance from the previous one and
    its count, as variable-length integers (a few bytes a bin; a day of a busy page holds a
    few hundred bins). The ``ZERO`` bin's count comes first."""
    out = bytearray()
    _put(out, bins.get(ZERO, 0))
    last = 0
    for key in sorted(k for k, n in bins.items() if k != ZERO and n > 0):
        _put(out, _zigzag(key - last))
        _put(out, bins[key])
        last = key
    return bytes(out)


def decode(data: bytes | memoryview | None) -> dict[int, int]:
    """The bins ``encode`` wrote (``{}`` for none)."""
    if not data:
        return {}
    numbers = list(_numbers(bytes(data)))
    bins: dict[int, int] = {ZERO: numbers[0]} if numbers[0] else {}
    key = 0
    for i in range(1, len(numbers) - 1, 2):
        key += _unzigzag(numbers[i])
        bins[key] = numbers[i + 1]
    return bins


def _zigzag(n: int) -> int:
    return n * 2 if n >= 0 else -n * 2 - 1


def _unzigzag(n: int) -> int:
    return n // 2 if n % 2 == 0 else -(n + 1) // 2


def _put(out: bytearray, n: int) -> None:
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)


def _numbers(data: bytes) -> Iterable[int]:
    n = shift = 0
    for byte in data:
        n |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
            continue
        yield n
        n = shift = 0
