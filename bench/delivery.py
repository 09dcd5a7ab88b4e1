"""What counting response times and bytes costs the log core, and that the combined format
pays nothing for it.

    .venv/bin/python bench/delivery.py [--lines 300000] [--repeat 3] [--baseline /path/to/checkout]

Writes ``parse_log.py``'s deterministic combined log, and the same lines with a response
time appended (``%D``, microseconds), then prints the CPU seconds and lines/s of
``Aggregator.feed`` over: (a) the combined log, (b) the timed log read as ``combined`` (the
extra field unread: what the regexes alone cost), (c) the timed log in its own format (the
delivery counters at work). With ``--baseline`` (a checkout without this feature, e.g. the
main branch), (a) is also run with that checkout's package in a subprocess, in the same run:
the ratio (a) / baseline is what the combined format pays. Best of ``--repeat`` runs each.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_log import write_log  # noqa: E402  (the bench folder, put on the path above)

TIMED = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D'
_FEED = """
import sys, time
from zoneinfo import ZoneInfo
from admin_hits.logs import Aggregator, ViewRules
path, log_format, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = float("inf")
for _ in range(repeat):
    aggregator = Aggregator(log_format, tz=ZoneInfo("Europe/Berlin"),
                            rules=ViewRules(excluded_prefixes=("/static/",)))
    cpu = time.process_time()
    with open(path, "rb") as lines:
        aggregator.feed(lines)
    counts = aggregator.take()
    best = min(best, time.process_time() - cpu)
print(best, counts.lines)
"""


def feed(
    path: Path, log_format: str, repeat: int, checkout: Path | None = None
) -> tuple[float, int]:
    """The best CPU seconds of counting ``path``, and its lines; in a subprocess, with the
    package of ``checkout`` first on the path when given."""
    env = dict(os.environ)
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    done = subprocess.run(
        [sys.executable, "-c", _FEED, str(path), log_format, str(repeat)],
        env=env, check=True, capture_output=True, text=True, cwd=tempfile.gettempdir(),
    )  # fmt: skip
    cpu, lines = done.stdout.split()
    return float(cpu), int(lines)


def add_times(source: Path, target: Path) -> None:
    rng = random.Random(7)
    with source.open("rb") as lines, target.open("wb") as out:
        for line in lines:
            micros = int(rng.lognormvariate(10, 1.2))
            out.write(line.rstrip(b"\n") + b" %d\n" % micros)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=300_000)
    options.add_argument("--repeat", type=int, default=3)
    options.add_argument("--baseline", type=Path, help="a checkout without this feature")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain, timed = Path(folder, "combined.log"), Path(folder, "timed.log")
        write_log(plain, args.lines)
        add_times(plain, timed)
        rows = []
        if args.baseline is not None:
            found = feed(plain, "combined", args.repeat, args.baseline)
            rows.append(("baseline: combined", *found))
        unread = TIMED.replace("%D", "%I")  # a number the core does not read
        rows += [
            ("(a) combined", *feed(plain, "combined", args.repeat)),
            ("(b) timed log, time unread", *feed(timed, unread, args.repeat)),
            ("(c) timed log, %D and %b counted", *feed(timed, TIMED, args.repeat)),
        ]
    first = rows[0][1]
    print(f"{'':40} {'CPU s':>7} {'lines/s':>10} {'ratio':>6}")
    for name, cpu, lines in rows:
        print(f"{name:40} {cpu:7.2f} {lines / cpu:10,.0f} {cpu / first:6.2f}")
    print(f"({args.lines:,} lines, best of {args.repeat}; {time.strftime('%H:%M:%S')})")


if __name__ == "__main__":
    main()
