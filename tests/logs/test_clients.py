"""Excluded networks and visitor keys."""

from __future__ import annotations

from datetime import date

import pytest

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs.clients import NetworkFilter, VisitorKeys

DAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("host", "excluded"),
    [
        ("192.0.2.7", True),
        ("192.0.2.8", False),
        ("10.20.30.40", True),
        ("::ffff:10.0.0.1", True),
        ("2001:db8::42", True),
        ("2001:db9::42", False),
        ("[2001:db8::1]", True),
        ("fe80::1%eth0", False),
        ("crawl-66-249-66-1.googlebot.com", False),
        ("", False),
        ("-", False),
    ],
)
def test_networks(host: str, excluded: bool) -> None:
    assert NetworkFilter(["192.0.2.7", "10.0.0.0/8", "2001:db8::/32"]).excluded(host) is excluded


def test_a_bad_network_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="not-an-ip"):
        NetworkFilter(["10.0.0.0/8", "not-an-ip"])


def test_visitor_keys() -> None:
    keys = VisitorKeys(b"salt")
    key = keys.key(DAY, "203.0.113.9", "Firefox")
    assert isinstance(key, int) and -(2**63) <= key < 2**63
    assert keys.key(DAY, b"203.0.113.9", b"Firefox") == key  # bytes as logged, or text
    assert keys.key(DAY, b"203.0.113.9", b"-") == keys.key(DAY, "203.0.113.9", "")
    assert keys.key(DAY, b"1.2.3.4", b"caf\xc3\xa9") == keys.key(DAY, "1.2.3.4", "café")
    assert keys.key(date(2026, 11, 29), "203.0.113.9", "Firefox") != key  # another day
    assert keys.key(DAY, "203.0.113.10", "Firefox") != key
    assert keys.key(DAY, "203.0.113.9", "Chrome") != key
    assert VisitorKeys(b"other salt").key(DAY, "203.0.113.9", "Firefox") != key
    assert VisitorKeys().key(DAY, "a", "b") == VisitorKeys().key(DAY, "a", "b")  # one process
