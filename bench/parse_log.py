"""How fast the log core counts an access log, next to a plain read loop and apachelogs.

    .venv/bin/python bench/parse_log.py [--lines 1000000] [--repeat 1] [--keep DIR]

Writes a deterministic combined log (two days of varied pages, assets, statuses, referrers
and user agents, a few malformed lines) to a temporary folder, then prints lines/s of:
(a) a plain loop over the file's lines, (b) apachelogs' ``LogParser.parse`` (on a slice),
(c) ``Aggregator.feed`` over the whole file, (d) ``manage.py parse_log FILE --date D --json``
end to end in a subprocess (SQLite, the test settings), with peak memory and ratios.
Rates are per second of CPU (the machine may be shared), wall-clock rates beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import apachelogs

from admin_hits.logs import Aggregator, ViewRules

REPO = Path(__file__).resolve().parents[1]
START = datetime(2026, 3, 28, 22, 0, tzinfo=UTC)  # spans the DST switch in Europe/Berlin
TZ = ZoneInfo("Europe/Berlin")
APACHELOGS_SLICE = 50_000
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "-",
    # Apache escapes a quote in a header as \"; rare in real logs, and read by a slower regex.
    'Mozilla/5.0 (Windows NT 10.0) \\"quoted\\" Edg/124.0',
]
UA_WEIGHTS = [20, 12, 8, 14, 6, 4, 2, 2, 1, 0.1]
REFERRERS = ["-", "-", "https://www.google.com/", "https://www.example.com/articles/",
             "https://duckduckgo.com/?q=django+hits", "https://t.co/abc123"]  # fmt: skip
ASSETS = ["/static/css/site.css", "/static/js/app.js", "/static/img/logo.png", "/favicon.ico",
          "/media/uploads/photo-{n}.jpg", "/static/fonts/inter.woff2", "/robots.txt"]  # fmt: skip


def request_target(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(ASSETS).format(n=rng.randrange(500))
    if roll < 0.75:
        slug = int(rng.paretovariate(1.2)) % 5000
        return f"/articles/article-{slug}/" + ("?utm_source=news" if rng.random() < 0.1 else "")
    if roll < 0.85:
        return f"/releases/{rng.getrandbits(32):08x}-0000-4000-8000-{rng.randrange(10**12):012d}/"
    if roll < 0.92:
        return f"/pages/p{rng.randrange(300)}/"
    if roll < 0.97:
        return f"/search/?q=term{rng.randrange(10000)}"
    return rng.choice(["/", "/wp-login.php", f"/random-{rng.getrandbits(40):x}", "/admin/"])


def log_lines(count: int, seed: int = 20260328, days: int = 2) -> Iterator[str]:
    """``count`` combined lines over ``days`` days from ``START``, in time order, a few of them
    malformed."""
    rng = random.Random(seed)
    step = days * 86400 / count
    hosts = [f"10.{i // 65536}.{i // 256 % 256}.{i % 256}" for i in range(20000)]
    hosts += [f"2001:db8::{i:x}" for i in range(2000)]
    for i in range(count):
        when = (START + timedelta(seconds=i * step)).astimezone(TZ)
        stamp = f"{when.day:02d}/{MONTHS[when.month - 1]}/{when.year}:{when:%H:%M:%S %z}"
        if rng.random() < 0.001:
            yield rng.choice(["- - - [bad", f'{hosts[0]} - - [{stamp}] "-" 408 0 "-" "-"'])
            continue
        method = "GET" if rng.random() < 0.93 else rng.choice(["POST", "HEAD", "OPTIONS"])
        status = rng.choices([200, 304, 404, 301, 500], weights=[80, 8, 7, 4, 1])[0]
        yield (
            f'{rng.choice(hosts)} - - [{stamp}] "{method} {request_target(rng)} HTTP/1.1" '
            f'{status} {rng.randrange(100, 90000)} "{rng.choice(REFERRERS)}" '
            f'"{rng.choices(USER_AGENTS, UA_WEIGHTS)[0]}"'
        )


def write_log(path: Path, count: int, days: int = 2) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in log_lines(count, days=days))


@dataclass
class Row:
    name: str
    lines: int = 0
    wall: float = 0.0  # seconds
    cpu: float = 0.0  # seconds of CPU: what a busy, shared machine does not stretch
    note: str = ""


def timed(name: str, function: Callable[..., int], *args: Any, repeat: int = 1) -> Row:
    """The best of ``repeat`` runs of ``function``, which returns how many lines it read."""
    best = Row(name, wall=float("inf"), cpu=float("inf"))
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        lines = function(*args)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if cpu < best.cpu:
            best = Row(name, lines, wall, cpu)
    return best


def plain_loop(path: Path) -> int:
    count = 0
    with path.open("rb") as lines:
        for _ in lines:
            count += 1
    return count


def apachelogs_loop(path: Path, limit: int) -> int:
    parser = apachelogs.LogParser(apachelogs.COMBINED)
    count = 0
    with path.open(encoding="iso-8859-1") as lines:
        for line, _ in zip(lines, range(limit), strict=False):
            with contextlib.suppress(apachelogs.InvalidEntryError):
                parser.parse(line)
            count += 1
    return count


def aggregator_loop(path: Path) -> int:
    aggregator = Aggregator("combined", tz=TZ, rules=ViewRules(excluded_prefixes=("/static/",)))
    with path.open("rb") as lines:
        aggregator.feed(lines)
    return aggregator.take().lines


def parse_log_command(
    path: Path,
    workdir: Path,
    day: date,
    lines: int,
    jobs: int = 1,
    name: str = "",
    database_url: str = "",
) -> Row:
    """``manage.py parse_log`` in a subprocess (after ``migrate``), on a fresh SQLite file, or
    on ``database_url`` (an empty database: the caller makes it)."""
    row = Row(name or "(d) manage.py parse_log --json", lines)
    database = workdir / "bench.sqlite3"
    database.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url or f"sqlite:///{database}",
        "PYTHONPATH": str(REPO),
    }
    django = [sys.executable, "-m", "django"]
    compile_bytecode()
    migrate = subprocess.run([*django, "migrate", "-v0"], env=env, cwd=REPO, capture_output=True)
    if migrate.returncode:
        row.note = "migrate failed: " + migrate.stderr.decode(errors="replace")[-300:]
        return row
    command = [*django, "parse_log", str(path), "--date", day.isoformat(), "--json"]
    command += ["--jobs", str(jobs)]
    run = run_child(command, env=env, cwd=REPO)
    if run.returncode:
        row.note = "failed: " + run.stderr.decode(errors="replace")[-300:]
        return row
    row.wall, row.cpu = run.wall, run.cpu
    summary = json.loads(run.stdout)
    row.note = f"{day}: {summary['views']:,} views; peak RSS {run.peak_mib:,.0f} MiB"
    return row


def compile_bytecode() -> None:
    """Compile the package's modules (and the test settings') as pip does when it installs
    the package: each start of ``parse_log`` then loads them, as on a user's machine. A
    checkout run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile them at every
    start, a serial cost that no installed site pays."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "admin_hits", "tests"],
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)  # fmt: skip


@dataclass
class Child:
    returncode: int
    stdout: bytes
    stderr: bytes
    wall: float  # seconds
    cpu: float  # seconds, of the process and the workers it waited for
    peak_mib: float  # the biggest resident size of the process or one of those workers


def run_child(command: list[str], **popen: Any) -> Child:
    """Run ``command`` to its end; its own time and memory (``wait4``: not those of the
    processes run before it, as ``RUSAGE_CHILDREN`` would mix in)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                 **popen)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(child.returncode, out.read(), err.read(), wall,
                     usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # fmt: skip


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=1_000_000)
    options.add_argument("--repeat", type=int, default=1, help="best of N runs of (a) to (c)")
    options.add_argument("--keep", type=Path, help="write the log into this folder and keep it")
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = args.keep or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        path = workdir / "access.log"
        start = time.perf_counter()
        write_log(path, args.lines)
        size = path.stat().st_size / 2**20
        print(f"{args.lines:,} lines, {size:,.0f} MiB, written in "
              f"{time.perf_counter() - start:.1f} s: {path}")  # fmt: skip
        rows = measure(path, workdir, args.lines, args.repeat)
    print_table(rows)


def measure(path: Path, workdir: Path, lines: int, repeat: int) -> list[Row]:
    rows = [timed("(a) plain read loop", plain_loop, path, repeat=repeat)]
    limit = min(lines, APACHELOGS_SLICE)
    rows.append(timed("(b) apachelogs LogParser.parse", apachelogs_loop, path, limit))
    rows[-1].note = f"first {limit:,} lines"
    rows.append(timed("(c) Aggregator.feed", aggregator_loop, path, repeat=repeat))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows[-1].note = f"peak RSS {peak:,.0f} MiB (this process)"
    if (REPO / "admin_hits/management/commands/parse_log.py").exists():
        day = (START.astimezone(TZ) + timedelta(days=1)).date()
        rows.append(parse_log_command(path, workdir, day, lines))
    else:
        rows.append(Row("(d) manage.py parse_log", note="not run: the command does not exist"))
    return rows


def print_table(rows: list[Row]) -> None:
    plain, apache = (row.lines / row.cpu for row in rows[:2])
    print(f"\n{'':31} {'lines/s CPU':>12} {'wall':>11} {'/plain':>7} {'/apachelogs':>11}  notes")
    for row in rows:
        if not row.cpu:
            print(f"{row.name:31} {'-':>12} {'-':>11} {'':>7} {'':>11}  {row.note}")
            continue
        rate = row.lines / row.cpu
        print(
            f"{row.name:31} {rate:12,.0f} {row.lines / row.wall:11,.0f} {rate / plain:7.3f} "
            f"{rate / apache:11.1f}  {row.note}"
        )


if __name__ == "__main__":
    main()
