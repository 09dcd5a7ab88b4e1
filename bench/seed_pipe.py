"""The seed's realtime ingester, kept as the benchmark's baseline (not used by the package).

    <lines> | python bench/seed_pipe.py HOST:PORT

One regex match per line and, for every view, one memcached ``incr`` with a ``set`` when the
key is missing: a network round trip per line. The ``set`` waits for its reply (``noreply=False``):
with pymemcache's default ``noreply`` the set/incr pairs on one connection stall for tens of
milliseconds each (delayed ACKs), which would make this baseline look far worse than it is.
"""

from __future__ import annotations

import hashlib
import re
import sys

from pymemcache.client.base import Client

LINE = re.compile(r'\S+ \S+ \S+ \[(\d\d)/(\w{3})/(\d{4}):[^\]]+\] "(\S+) (\S+)[^"]*" (\d{3}) ')
ASSET = re.compile(r"\.(css|js|png|jpe?g|gif|ico|svg|woff2?|txt|xml)$", re.IGNORECASE)


def main() -> None:
    host, _, port = sys.argv[1].rpartition(":")
    client = Client((host, int(port)), timeout=1.0, connect_timeout=1.0)
    for line in sys.stdin:
        found = LINE.match(line)
        if found is None:
            continue
        day, month, year, method, target, status = found.groups()
        path = target.split("?", 1)[0]
        if method != "GET" or status not in ("200", "304") or ASSET.search(path):
            continue
        if path.startswith(("/static/", "/media/")):
            continue
        key = f"seed:{year}{month}{day}:{hashlib.md5(path.encode()).hexdigest()}"
        if client.incr(key, 1, noreply=False) is None:
            client.set(key, 1, expire=172800, noreply=False)
    client.close()


if __name__ == "__main__":
    main()
