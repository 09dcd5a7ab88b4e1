"""How fast ``python -m admin_hits.pipe`` counts piped log lines into a real memcached.

    .venv/bin/python bench/pipe.py [--lines 1000000] [--seed-lines 100000]

Writes the deterministic combined log of bench/parse_log.py, starts memcached on a free
loopback port and pushes the log through a kernel pipe (``cat FILE |``, as Apache writes it) into:
(a) a bare ``for line in sys.stdin`` loop, (b) the seed's way (bench/seed_pipe.py: one
memcached ``incr`` per line, ``set`` on a miss) on the first ``--seed-lines`` lines, and
(c) ``python -m admin_hits.pipe --no-supervisor --store memcached://...`` on all of them.
Prints lines/s (start-up, flushes and the final write included), each one's peak RSS, the
ratios, and checks the views in memcached against the log core's own count.
Goals for (c): >= 250,000 lines/s on one core and <= 60 MB peak RSS.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parse_log import START, TZ, write_log  # bench/parse_log.py: the same generated log

from admin_hits.live.hours import without_hours
from admin_hits.live.stores.memcached import MemcachedStore
from admin_hits.logs import Aggregator, ViewRules

REPO = Path(__file__).resolve().parents[1]
BARE_LOOP = "import sys\nfor line in sys.stdin:\n    pass\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_memcached(port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("memcached") or "/usr/bin/memcached"
    command = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "256"]
    if os.geteuid() == 0:
        command += ["-u", "nobody"]
    server = subprocess.Popen(command)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("memcached did not start")


def piped(command: list[str], path: Path, head: int | None = None) -> tuple[float, float]:
    """Run ``command`` with ``path`` piped into its stdin; (seconds, peak RSS in MiB)."""
    source = ["head", "-n", str(head), str(path)] if head else ["cat", str(path)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    feeder = subprocess.Popen(source, stdout=subprocess.PIPE)
    process = subprocess.Popen(command, stdin=feeder.stdout, env=env, cwd=REPO)
    assert feeder.stdout is not None
    feeder.stdout.close()  # the consumer holds the only read end: EOF when cat is done
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    feeder.wait(timeout=60)
    if process.returncode:
        raise SystemExit(f"{command} exited with {process.returncode}")
    return seconds, usage.ru_maxrss / 1024


def expected_views(path: Path) -> int:
    aggregator = Aggregator(
        "combined", tz=TZ, rules=ViewRules(excluded_prefixes=("/static/", "/media/"))
    )
    with path.open("rb") as lines:
        aggregator.feed(lines)
    return aggregator.take().views_total


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=1_000_000)
    options.add_argument("--seed-lines", type=int, default=100_000)
    args = options.parse_args()
    port = free_port()
    server = start_memcached(port)
    try:
        with tempfile.TemporaryDirectory() as workdir:
            path = Path(workdir) / "access.log"
            write_log(path, args.lines)
            print(f"{args.lines:,} combined lines ({path.stat().st_size / 2**20:,.0f} MiB), "
                  f"memcached on 127.0.0.1:{port}, {os.cpu_count()} cores\n")  # fmt: skip
            run(path, port, args)
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(path: Path, port: int, args: argparse.Namespace) -> None:
    python = sys.executable
    url = f"memcached://127.0.0.1:{port}"
    bare = piped([python, "-c", BARE_LOOP], path)
    seed = piped([python, str(REPO / "bench/seed_pipe.py"), f"127.0.0.1:{port}"], path,
                 head=args.seed_lines)  # fmt: skip
    pipe = piped([python, "-m", "admin_hits.pipe", "--no-supervisor", "--store", url,
                  "--time-zone", "Europe/Berlin", "--status-interval", "0"], path)  # fmt: skip
    rows = [
        ("(a) for line in sys.stdin: pass", args.lines, *bare),
        ("(b) seed: incr per line, set on miss", args.seed_lines, *seed),
        ("(c) python -m admin_hits.pipe", args.lines, *pipe),
    ]
    ours = args.lines / pipe[0]
    print(f"{'':40} {'lines':>9} {'lines/s':>9} {'peak RSS':>9} {'pipe is':>12}")
    for name, lines, seconds, rss in rows:
        rate = lines / seconds
        ratio = f"{ours / rate:5.2f}x this"
        print(f"{name:40} {lines:>9,} {rate:>9,.0f} {rss:>6.0f} MiB {ratio:>12}")
    store = MemcachedStore([("127.0.0.1", port)])
    first = START.astimezone(TZ).date()  # the log spans two days, from 22:00 UTC
    days = [first + datetime.timedelta(days=i) for i in range(3)]
    counted = sum(sum(without_hours(store.day(day)).values()) for day in days)
    expected = expected_views(path)
    verdict = "same" if counted == expected else "DIFFERENT"
    print(f"\nviews in memcached: {counted:,}; log core on the file: {expected:,} ({verdict})")
    goal = "met" if ours >= 250_000 and pipe[1] <= 60 else "NOT met"
    print(f"goal >= 250,000 lines/s and <= 60 MiB: {goal}")


if __name__ == "__main__":
    main()
