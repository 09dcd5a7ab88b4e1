from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_hits.exceptions import ConfigurationError
from admin_hits.live.stores import keys
from admin_hits.models import path_hash as model_path_hash

DAY = datetime.date(2026, 11, 29)

# Any text, lone surrogates included: that is how undecodable bytes of a log line arrive.
any_path = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=300)


def _memcached_safe(key: str) -> bool:
    raw = key.encode("ascii")
    return len(raw) <= 250 and not any(b <= 32 or b == 127 for b in raw)


@given(any_path)
def test_counter_key_is_fixed_length_ascii_without_spaces(path: str) -> None:
    key = keys.counter_key("hits", DAY, path)
    assert _memcached_safe(key)
    assert key.startswith("hits:20261129:")
    assert len(key) == len("hits:20261129:") + 32


@given(any_path, any_path)
def test_different_paths_different_keys(a: str, b: str) -> None:
    assert (keys.counter_key("hits", DAY, a) == keys.counter_key("hits", DAY, b)) == (a == b)


@given(any_path)
def test_paths_survive_the_index_encoding(path: str) -> None:
    assert keys.decode_path(keys.encode_path(path)) == path


@pytest.mark.parametrize(
    "path",
    ["/", "/x" * 4096, "/with space/", "/ctl\x00\x1b[31m\n", "/\udcff\udc80-latin1", "/ü/€/😀"],
)
def test_ugly_paths(path: str) -> None:
    assert _memcached_safe(keys.counter_key("hits", DAY, path))
    assert keys.path_hash(path) == model_path_hash(path)


def test_index_keys_can_not_collide_with_counters() -> None:
    assert keys.index_count_key("p", DAY) == "p:20261129:paths"
    assert keys.index_slot_keys("p", DAY, range(17, 19)) == [
        "p:20261129:path:17",
        "p:20261129:path:18",
    ]


def test_the_day_separates_keys() -> None:
    assert keys.counter_key("hits", DAY, "/a") != keys.counter_key(
        "hits", DAY + datetime.timedelta(days=1), "/a"
    )


@pytest.mark.parametrize("prefix", ["", "has space", "x" * 65, "ctl\n", "ü"])
def test_bad_prefix_is_refused(prefix: str) -> None:
    with pytest.raises(ConfigurationError, match="key prefix"):
        keys.check_prefix(prefix)


def test_expiry_stays_relative_for_memcached() -> None:
    assert keys.EXPIRY_SECONDS < keys.MEMCACHED_MAX_RELATIVE_EXPIRY
    assert keys.check_expiry(keys.EXPIRY_SECONDS) == 48 * 3600
    with pytest.raises(ConfigurationError, match="Unix time"):
        keys.check_expiry(31 * 24 * 3600)
