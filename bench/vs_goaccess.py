"""parse_log next to GoAccess on the same combined log, in the same run.

    .venv/bin/python bench/vs_goaccess.py [--lines 1000000]

Needs Debian's ``goaccess`` (``apt-get install goaccess``). Writes the same deterministic log
as ``bench/parse_log.py``, then times, by the wall clock (``--jobs 2`` uses two cores):
GoAccess 1.7 ``--process-and-exit`` (parse only, no report), and ``manage.py parse_log`` with
``--jobs 1`` and ``--jobs 2`` (classification on, results stored in SQLite). Prints lines/s
and the ratio of each to GoAccess. No pass or fail: figures to compare over time.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_log import START, TZ, Row, parse_log_command, write_log  # noqa: E402

GOACCESS = shutil.which("goaccess")


def goaccess(path: Path, lines: int) -> Row:
    row = Row("GoAccess 1.7 --process-and-exit", lines)
    if GOACCESS is None:
        row.note = "not run: install Debian's goaccess"
        return row
    command = [GOACCESS, str(path), "--log-format=COMBINED", "--no-global-config",
               "--process-and-exit", "--num-tests=0"]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL)
    row.wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    row.cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if run.returncode:
        row.note = "failed: " + run.stderr.decode(errors="replace")[-300:]
        row.wall = row.cpu = 0.0
    else:
        row.note = f"peak RSS {after.ru_maxrss / 1024:,.0f} MiB"
    return row


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=1_000_000)
    args = options.parse_args()
    day = (START.astimezone(TZ) + timedelta(days=1)).date()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        path = workdir / "access.log"
        write_log(path, args.lines)
        print(f"{args.lines:,} combined lines, {path.stat().st_size / 2**20:,.0f} MiB")
        rows = [
            goaccess(path, args.lines),
            parse_log_command(path, workdir, day, args.lines, 1, "parse_log --jobs 1"),
            parse_log_command(path, workdir, day, args.lines, 2, "parse_log --jobs 2"),
        ]
    base = rows[0].lines / rows[0].wall if rows[0].wall else 0.0
    print(f"\n{'':34} {'lines/s':>10} {'x GoAccess':>11} {'CPU s':>7}  notes")
    for row in rows:
        if not row.wall:
            print(f"{row.name:34} {'-':>10} {'':>11} {'':>7}  {row.note}")
            continue
        rate = row.lines / row.wall
        ratio = f"{rate / base:.2f}" if base else "-"
        print(f"{row.name:34} {rate:10,.0f} {ratio:>11} {row.cpu:7.1f}  {row.note}")


if __name__ == "__main__":
    main()
