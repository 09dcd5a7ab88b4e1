"""How long the log core takes over its slowest hostile line, next to a typical one.

    .venv/bin/python bench/hostile_lines.py [--random 5000] [--repeat 3] [--seed 1]

Judges the hostile lines of the tests (``tests/hostile.py``: the corpus of what attackers,
broken clients and broken writers log, lines of spaces for a format with ambiguous unquoted
fields, and ``--random`` lines built the way the tests' fuzzing builds them: pieces of real
and hostile lines joined, lines of the corpus with pieces inserted or bytes overwritten, random
bytes) with ``Aggregator.verdict`` and ``LineParser.parse`` in each format: compiled ones
(``combined``, the status first, the request in parts) and ones apachelogs parses (``%k``
added to ``combined``; an unquoted ``%{X-Forwarded-For}i``, whose regex may split a line of
spaces in every way). Each line's time is the least of ``--repeat`` runs, in CPU time of this
thread with the garbage collector off, so that what the machine does meanwhile stretches it
least. Prints, per format and function, the median line, the slowest line and their ratio: a
regex that backtracks shows as a slowest line hundreds of times the median.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from admin_hits.logs import Aggregator, LineParser, ViewRules  # noqa: E402
from admin_hits.logs.fallback import FALLBACK_MAX_LINE_LENGTH, FALLBACK_TIMEOUT  # noqa: E402
from tests import hostile  # noqa: E402
from tests.logs.cases import CASES  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
FORMATS = {
    "combined": "combined",
    "status first": hostile.TWO_SPANS,
    "%m %U%q": hostile.SPLIT_REQUEST,
    "apachelogs (%k)": hostile.FALLBACK,
    "apachelogs, ambiguous": hostile.AMBIGUOUS,
}


def random_lines(count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` lines of the four kinds the tests fuzz with, in turn."""
    rng = random.Random(seed)
    bases = [case for case, _ in CASES] + [log_line for _, log_line in hostile.CORPUS]

    def edits(most: int, width: int) -> list[tuple[int, bytes]]:
        return [(rng.randrange(width), rng.choice(hostile.PIECES)) for _ in range(most)]

    makers: list[tuple[str, Callable[[], bytes]]] = [
        ("pieced", lambda: b"".join(rng.choices(hostile.PIECES, k=rng.randrange(200)))),
        ("inserted", lambda: hostile.inserted(rng.choice(bases), edits(6, 20_000))),
        ("overwritten", lambda: hostile.overwritten(rng.choice(bases), edits(4, 400))),
        ("random bytes", lambda: rng.randbytes(rng.randrange(2000))),
    ]
    return [(f"{makers[n % 4][0]} #{n}", makers[n % 4][1]()) for n in range(count)]


def all_lines(count: int, seed: int) -> list[tuple[str, bytes]]:
    ambiguous = [
        (f"{filler!r} run, #{n}", data)
        for filler in hostile.AMBIGUOUS_FILLERS
        for n, data in enumerate(hostile.ambiguous_lines(filler))
    ]
    return hostile.CORPUS + ambiguous + random_lines(count, seed)


def cpu_seconds(judge: Callable[[bytes], Any], data: bytes, repeat: int) -> float:
    """The least CPU seconds of this thread that ``judge(data)`` took in ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        judge(data)
        best = min(best, time.thread_time() - start)
    return best


Timed = tuple[float, str, int]  # CPU seconds, the line's name, its length in bytes


def measure(log_format: str, lines: list[tuple[str, bytes]], repeat: int) -> dict[str, list[Timed]]:
    """Per function, the time of every line."""
    aggregator = Aggregator(log_format, tz=BERLIN, rules=ViewRules(), max_line_length=16384)
    parser = LineParser(log_format, default_tz=BERLIN)
    judges = {"verdict": aggregator.verdict, "parse": parser.parse}
    found: dict[str, list[Timed]] = {name: [] for name in judges}
    for name, data in lines:
        one = hostile.as_format(data, log_format)
        for function, judge in judges.items():
            found[function].append((cpu_seconds(judge, one, repeat), name, len(one)))
    return found


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--random", type=int, default=5000, help="fuzzed lines besides the corpus")
    options.add_argument("--repeat", type=int, default=3, help="runs per line; the least counts")
    options.add_argument("--seed", type=int, default=1)
    args = options.parse_args()
    lines = all_lines(args.random, args.seed)
    print(
        f"{'format':22} {'function':8} {'median ms':>10} {'slowest ms':>11} {'ratio':>7}"
        f"  {'slowest line':22} {'bytes':>6}"
    )
    gc.collect()
    gc.disable()
    try:
        for label, log_format in FORMATS.items():
            for function, times in measure(log_format, lines, args.repeat).items():
                median = statistics.median(seconds for seconds, _, _ in times)
                slowest, name, size = max(times)
                ratio = slowest / median if median else float("inf")
                print(
                    f"{label:22} {function:8} {median * 1000:10.4f} {slowest * 1000:11.3f}"
                    f" {ratio:7.0f}  {name:22} {size:6,}"
                )
    finally:
        gc.enable()
    print(
        f"({len(lines):,} lines, {args.random:,} of them random (seed {args.seed}), least of"
        f" {args.repeat} runs each, garbage collector off; {time.strftime('%H:%M:%S')})"
    )
    print(
        f"(apachelogs' match gives up after {FALLBACK_TIMEOUT * 1000:g} ms; lines over"
        f" {FALLBACK_MAX_LINE_LENGTH:,} bytes are skipped before it runs)"
    )


if __name__ == "__main__":
    main()
