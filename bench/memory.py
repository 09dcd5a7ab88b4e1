"""Peak memory of ``manage.py parse_log`` as a day grows, every line from a new client.

    .venv/bin/python bench/memory.py [--lines 1000000 5000000] [--keep DIR]

Writes one day's combined log per size, in time order, where every line comes from a client
(IP address) never seen before: the worst case for what a run holds per visitor (unique
visitors per path, visits). 45% of the lines are assets, the rest views of 50,000 paths with a
long tail; a PDF now and then. Each log is parsed by ``manage.py parse_log FILE --date D
--json`` in a subprocess (SQLite, the test settings), which prints the lines/s, the peak RSS
and the ratio of each size's peak to the first size's. The goal: at most 400 MiB at 5M lines,
and no more than 1.3 times the 1M figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from parse_log import REPO, Child, compile_bytecode, run_child  # noqa: E402

DAY = date(2026, 5, 12)
AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
ASSETS = ["/static/css/site.css", "/static/js/app.js", "/static/img/logo.png", "/favicon.ico"]


def write_log(path: Path, lines: int, seed: int = 1) -> None:
    """``lines`` lines of ``DAY`` in time order, each from a new client address."""
    rng = random.Random(seed)
    start = datetime(DAY.year, DAY.month, DAY.day, 0, 0, 0)
    step = 86_000 / lines  # seconds between two lines: the day, less a margin at midnight
    with path.open("w", encoding="ascii") as out:
        for n in range(lines):
            when = start + timedelta(seconds=1 + n * step)
            stamp = when.strftime("%d/%b/%Y:%H:%M:%S +0200")
            ip = f"{10 + n // 16_777_216}.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            roll = rng.random()
            if roll < 0.45:
                target = rng.choice(ASSETS)
            elif roll < 0.47:
                target = f"/files/report-{rng.randrange(200)}.pdf"
            else:
                target = f"/articles/{int(rng.paretovariate(1.1)) % 50_000}/"
            out.write(f'{ip} - - [{stamp}] "GET {target} HTTP/1.1" 200 5120 "-" "{AGENT}"\n')


def parse(log: Path, folder: Path) -> Child:
    """``manage.py parse_log`` of ``log`` in a subprocess, on a fresh SQLite file."""
    database = folder / "memory.sqlite3"
    database.unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
           "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(REPO)}  # fmt: skip
    django = [sys.executable, "-m", "django"]
    compile_bytecode()
    subprocess.run([*django, "migrate", "-v0"], env=env, cwd=REPO, check=True)
    return run_child([*django, "parse_log", str(log), "--date", DAY.isoformat(), "--json"],
                     env=env, cwd=REPO)  # fmt: skip


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 5_000_000])
    options.add_argument("--keep", type=Path, help="write the logs into this folder and keep them")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        first_peak = None
        print(f"{'lines':>12} {'lines/s CPU':>12} {'peak RSS':>10} {'x first':>8}")
        for count in args.lines:
            log = folder / f"new-clients-{count}.log"
            if not log.exists():
                write_log(log, count)
            run = parse(log, folder)
            if run.returncode:
                print(f"{count:>12,} failed: {run.stderr.decode(errors='replace')[-300:]}")
                continue
            summary = json.loads(run.stdout)
            day = summary["days"][0]
            peak = run.peak_mib
            first_peak = first_peak or peak
            rate = count / run.cpu if run.cpu else 0
            note = f"{day['views']:,} views, {day.get('visits', 0):,} visits"
            print(
                f"{count:>12,} {rate:>12,.0f} {peak:>6,.0f} MiB {peak / first_peak:>8.2f}  {note}"
            )


if __name__ == "__main__":
    main()
