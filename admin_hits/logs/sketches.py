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
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping
from itertools import accumulate, repeat
from operator import add, mul, sub

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
    """``bins`` as bytes: the ``ZERO`` bin's count, then each bin's key as its distance from
    the previous one, then the bins' counts, as 32-bit little-endian integers, compressed by
    zlib (about 1.5 bytes a bin; a day of a busy page holds a few hundred bins). Decoding is
    C code (``zlib``, ``array``): a period's table reads thousands of them."""
    keys = sorted(k for k, n in bins.items() if k != ZERO and n > 0)
    deltas = array("i", [bins.get(ZERO, 0), *map(sub, keys, [0, *keys])])
    counts = array("I", [bins[k] for k in keys])
    if sys.byteorder == "big":
        deltas.byteswap()
        counts.byteswap()
    return zlib.compress(deltas.tobytes() + counts.tobytes())


def decode(data: bytes | memoryview | None) -> dict[int, int]:
    """The bins ``encode`` wrote (``{}`` for none)."""
    if not data:
        return {}
    raw = zlib.decompress(bytes(data))
    head = 4 * ((len(raw) - 4) // 8 + 1)  # the zero count and a distance per bin
    deltas, counts = array("i"), array("I")
    deltas.frombytes(raw[:head])
    counts.frombytes(raw[head:])
    if sys.byteorder == "big":
        deltas.byteswap()
        counts.byteswap()
    bins = dict(zip(accumulate(deltas[1:]), counts, strict=True))
    if deltas[0]:
        bins[ZERO] = deltas[0]
    return bins
