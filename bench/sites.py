"""What counting several sites costs ``parse_log``: the same lines as one site, two and four.

    .venv/bin/python bench/sites.py [--lines 500000] [--repeat 2]

Writes ``parse_log.py``'s log with a virtual host before each line (``vhost_combined``: the
hosts ``site1.example`` to ``site4.example`` in turn), then runs ``manage.py parse_log`` on it
(a fresh SQLite file each time) as one site (``ADMIN_HITS_SITES`` unset), as two sites (two
hosts each) and as four, and prints each run's lines per CPU second and its ratio to one
site's in the same run. With N sites, ``parse_log`` reads the files N times and counts each
line once; the other N-1 passes only read the line's host and drop it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import parse_log  # noqa: E402

HOSTS = [f"site{n}.example" for n in range(1, 5)]
CONFIGS = {
    "one site": None,
    "two sites": {host: 1 + n // 2 for n, host in enumerate(HOSTS)},
    "four sites": {host: 1 + n for n, host in enumerate(HOSTS)},
}


def write_log(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n, line in enumerate(parse_log.log_lines(lines)):
            out.write(f"{HOSTS[n % len(HOSTS)]}:443 {line}\n")


def run(path: Path, workdir: Path, sites: dict[str, int] | None) -> parse_log.Child:
    settings = workdir / "bench_sites_settings.py"
    settings.write_text(
        "from tests.settings import *  # noqa: F403\n"
        f"ADMIN_HITS_LOG_FORMAT = 'vhost_combined'\nADMIN_HITS_SITES = {sites or {}!r}\n"
    )
    database = workdir / "bench.sqlite3"
    database.unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_sites_settings",
           "DATABASE_URL": f"sqlite:///{database}",
           "PYTHONPATH": f"{REPO}{os.pathsep}{workdir}"}  # fmt: skip
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v0"], env=env, cwd=REPO, check=True)
    day = (parse_log.START.astimezone(parse_log.TZ) + timedelta(days=1)).date()
    command = [*django, "parse_log", str(path), "--date", day.isoformat(), "--json"]
    child = parse_log.run_child(command, env=env, cwd=REPO)
    if child.returncode:
        raise SystemExit(child.stderr.decode(errors="replace")[-500:])
    return child


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=500_000)
    options.add_argument("--repeat", type=int, default=2, help="rounds, taken in turn")
    args = options.parse_args()
    parse_log.compile_bytecode()
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        path = workdir / "access.log"
        started = time.perf_counter()
        write_log(path, args.lines)
        print(f"{args.lines:,} lines written in {time.perf_counter() - started:.1f} s")
        best: dict[str, parse_log.Child] = {}
        for _ in range(args.repeat):
            for name, sites in CONFIGS.items():
                child = run(path, workdir, sites)
                if name not in best or child.cpu < best[name].cpu:
                    best[name] = child
    base = best["one site"].cpu
    print(f"\n{'':12} {'CPU s':>7} {'lines/s CPU':>12} {'ratio':>6} {'peak RSS':>9}")
    for name, child in best.items():
        print(f"{name:12} {child.cpu:7.2f} {args.lines / child.cpu:12,.0f} "
              f"{child.cpu / base:6.2f} {child.peak_mib:6,.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
