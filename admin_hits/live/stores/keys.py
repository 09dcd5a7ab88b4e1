"""Key names of the live stores that live in a cache (memcached, Django's cache framework).

Every key is short, ASCII and free of spaces whatever the path (8 KB long, control characters,
non-UTF-8 bytes): the path itself only enters through a fixed-length hash, so memcached's 250-byte,
no-whitespace key rules always hold. Keys are namespaced by a prefix and the date::

    hits:20261129:3f0c...e1      views of one path on that day (32 hex digits of the path's hash)
    hits:20261129:paths          how many paths the day's index holds
    hits:20261129:path:17        the 17th path counted that day (the index ``day()`` reads)

No Django import here: the pipe in memcached mode must start without Django.
"""

from __future__ import annotations

import datetime
import string
from collections.abc import Iterable

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs.hashing import path_hash

#: Counters outlive their day long enough for the nightly parse to run the morning after.
EXPIRY_SECONDS = 48 * 3600

#: memcached reads an expiry above 30 days as an absolute Unix time (protocol.txt, "Expiration
#: times"): a relative value must stay below it or the item expires at once (a date in 1970).
MEMCACHED_MAX_RELATIVE_EXPIRY = 30 * 24 * 3600

#: At most this many paths per day are remembered for listing (``hits_today`` without paths);
#: counters of further paths still count, they are only missing from the list.
INDEX_LIMIT = 200_000

MAX_PREFIX_LENGTH = 64
_PREFIX_CHARS = frozenset(string.ascii_letters + string.digits + "_-.:")


def check_prefix(prefix: str) -> str:
    """Return ``prefix`` if it can start a memcached key, else raise ``ConfigurationError``."""
    if not prefix or len(prefix) > MAX_PREFIX_LENGTH or not set(prefix) <= _PREFIX_CHARS:
        raise ConfigurationError(
            f"key prefix {prefix!r} must be 1 to {MAX_PREFIX_LENGTH} characters of "
            "letters, digits and _-.:"
        )
    return prefix


def check_expiry(seconds: int) -> int:
    """Return ``seconds`` if memcached reads it as relative, else raise ``ConfigurationError``."""
    if not 0 < seconds < MEMCACHED_MAX_RELATIVE_EXPIRY:
        raise ConfigurationError(
            f"expiry {seconds} s must be between 1 s and 30 days: memcached reads larger "
            "values as a Unix time"
        )
    return seconds


def _day_part(prefix: str, day: datetime.date) -> str:
    return f"{prefix}:{day.year:04d}{day.month:02d}{day.day:02d}"


def counter_key(prefix: str, day: datetime.date, path: str) -> str:
    """The counter of ``path`` on ``day``."""
    return f"{_day_part(prefix, day)}:{path_hash(path)}"


def counter_keys(prefix: str, day: datetime.date, paths: Iterable[str]) -> dict[str, str]:
    """``{counter key: path}`` for many paths of one day (the date is formatted once)."""
    head = _day_part(prefix, day) + ":"
    return {head + path_hash(path): path for path in paths}


def index_count_key(prefix: str, day: datetime.date) -> str:
    """The counter of the day's index slots (the number of paths listed so far)."""
    return f"{_day_part(prefix, day)}:paths"


def index_slot_keys(prefix: str, day: datetime.date, slots: range) -> list[str]:
    """Slots of the day's index; each holds a path (UTF-8, lone surrogates kept)."""
    head = _day_part(prefix, day) + ":path:"
    return [f"{head}{slot}" for slot in slots]


def encode_path(path: str) -> bytes:
    return path.encode("utf-8", "surrogatepass")


def decode_path(value: bytes | str) -> str:
    if isinstance(value, str):
        return value
    return value.decode("utf-8", "surrogatepass")
