"""parse_log next to GoAccess on the same combined logs, in the same run.

    .venv/bin/python bench/vs_goaccess.py [--lines 1000000] [--postgres URL] [--repeat N]

Needs Debian's ``goaccess`` (``apt-get install goaccess``). Writes two deterministic logs of
``--lines`` lines with the traffic of ``bench/parse_log.py``: one day's (what cron hands
parse_log each night: 23 of its 24 hours are the day counted) and two days' (the log of
``bench/parse_log.py``: half its lines are of the day counted, the others only counted as
another day's). On each it times, by the wall clock (``--jobs 2`` uses two cores): GoAccess 1.7
``--process-and-exit`` (parse only, no report), and ``manage.py parse_log`` with ``--jobs 1``
and ``--jobs 2`` (classification on, results stored in a fresh SQLite file; with
``--postgres``, also in that PostgreSQL database, dropped and created again before each run).
``--repeat N`` keeps the best of N runs of each parse_log row, run in turn. Prints lines/s, the
ratio of each to GoAccess and of ``--jobs 2`` to ``--jobs 1``: of the best runs and, with
``--repeat``, the median over the rounds (a round runs every row once, one after the other,
so that each ratio compares runs of the same moment). No pass or fail: figures to compare
over time.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_log import START, TZ, Row, parse_log_command, run_child, write_log  # noqa: E402

GOACCESS = shutil.which("goaccess")


def goaccess(path: Path, lines: int) -> Row:
    row = Row("GoAccess 1.7 --process-and-exit", lines)
    if GOACCESS is None:
        row.note = "not run: install Debian's goaccess"
        return row
    command = [GOACCESS, str(path), "--log-format=COMBINED", "--no-global-config",
               "--process-and-exit", "--num-tests=0"]  # fmt: skip
    run = run_child(command)
    if run.returncode:
        row.note = "failed: " + run.stderr.decode(errors="replace")[-300:]
    else:
        row.wall, row.cpu = run.wall, run.cpu
        row.note = f"peak RSS {run.peak_mib:,.0f} MiB"
    return row


def recreate(url: str) -> None:
    """Drop and create the PostgreSQL database of ``url`` (its server's ``postgres`` database
    runs the statements)."""
    import psycopg

    server, _, name = url.rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def measure(
    path: Path, workdir: Path, lines: int, postgres: str, repeat: int
) -> tuple[list[Row], list[list[float]]]:
    """GoAccess once, then the parse_log rows ``repeat`` times in turn, the best of each kept
    (so that a drift of the machine's speed weighs on every row alike); and the wall-clock
    seconds of each row in each round (0: that run failed)."""
    day = (START.astimezone(TZ) + timedelta(days=1)).date()
    runs = [(jobs, "", f"parse_log --jobs {jobs}") for jobs in (1, 2)]
    if postgres:
        runs += [(jobs, postgres, f"parse_log --jobs {jobs}, PostgreSQL") for jobs in (1, 2)]
    best: list[Row] = [Row(name) for _, _, name in runs]
    walls: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for i, (jobs, url, name) in enumerate(runs):
            if url:
                recreate(url)
            row = parse_log_command(path, workdir, day, lines, jobs, name, url)
            walls[i].append(row.wall)
            if not best[i].wall or 0 < row.wall < best[i].wall:
                best[i] = row  # a failure (with its note) stays only until a run succeeds
    return [goaccess(path, lines), *best], walls


def print_table(rows: list[Row], walls: list[list[float]]) -> None:
    base = rows[0].lines / rows[0].wall if rows[0].wall else 0.0
    print(f"{'':34} {'lines/s':>10} {'x GoAccess':>11} {'CPU s':>7}  notes")
    for row in rows:
        if not row.wall:
            print(f"{row.name:34} {'-':>10} {'':>11} {'':>7}  {row.note}")
            continue
        rate = row.lines / row.wall
        ratio = f"{rate / base:.2f}" if base else "-"
        print(f"{row.name:34} {rate:10,.0f} {ratio:>11} {row.cpu:7.1f}  {row.note}")
    pairs = zip(rows[1::2], rows[2::2], walls[0::2], walls[1::2], strict=True)
    for one, two, ones, twos in pairs:
        if not (one.wall and two.wall):
            continue
        line = f"{two.name + ' / --jobs 1':50} {one.wall / two.wall:.2f} times as fast (best runs)"
        # On a busy machine the best runs may come from different moments; the two rows of
        # one round ran one after the other.
        rounds = sorted(a / b for a, b in zip(ones, twos, strict=True) if a and b)
        if len(rounds) > 1:
            line += (f"; round by round: median {statistics.median(rounds):.2f} "
                     f"({rounds[0]:.2f} to {rounds[-1]:.2f}, {len(rounds)} rounds)")  # fmt: skip
        print(line)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=1_000_000)
    options.add_argument("--postgres", default="", metavar="URL", help="also parse_log into "
                         "this PostgreSQL database (dropped and created again)")  # fmt: skip
    options.add_argument("--repeat", type=int, default=1, help="best of N runs of each "
                         "parse_log row")  # fmt: skip
    args = options.parse_args()
    logs = [(1, "one day's log, as cron hands it to parse_log"),
            (2, "two days' log, as in bench/parse_log.py")]  # fmt: skip
    for days, title in logs:
        with tempfile.TemporaryDirectory() as temporary:
            workdir = Path(temporary)
            path = workdir / "access.log"
            write_log(path, args.lines, days)
            size = path.stat().st_size / 2**20
            print(f"\n{title}: {args.lines:,} combined lines, {size:,.0f} MiB")
            print_table(*measure(path, workdir, args.lines, args.postgres, args.repeat))


if __name__ == "__main__":
    main()
