"""The fixed-length hash every store and table keys a path by.

Paths come from visitors: up to 8 KB, control characters, bytes that are not UTF-8. The live
stores (memcached's keys allow 250 ASCII bytes, no spaces) and the daily tables (an indexed
column of fixed width) both key a path by this hash, so the pipe's counters and ``parse_log``'s
rows name a path alike.
"""

from __future__ import annotations

import hashlib


def path_hash(path: str) -> str:
    """Fixed-length hash of a path: 32 hex digits (also ``admin_hits.models.path_hash``)."""
    return hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
