"""``ADMIN_HITS_GEOIP_DATABASE``: a real MaxMind-format file, read by the real reader."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs import Aggregator, ViewRules, days_of
from admin_hits.logs.countries import Countries, check_database
from tests.helpers import combined
from tests.logs.mmdb import NETWORKS, write_database

DAY = datetime.date(2026, 11, 28)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return write_database(tmp_path / "countries.mmdb")


@pytest.mark.parametrize(
    ("host", "country"),
    [
        (b"192.0.2.7", "FR"),
        (b"::ffff:192.0.2.7", "FR"),
        ("2001:db8::1", "JP"),
        (b"[2001:db8:ffff::1]", "JP"),
        (b"198.51.100.1", "DE"),
        (b"198.51.100.200", "BR"),
        (b"203.0.113.5", "ZZ"),  # in no network of the file
        (b"10.0.0.1", "ZZ"),
        (b"example.com", "ZZ"),
    ],
)
def test_the_database_gives_the_country(database: Path, host: bytes | str, country: str) -> None:
    assert Countries(str(database), unknown="ZZ").of(host) == country


def test_without_the_database_those_addresses_have_no_country() -> None:
    # What makes the test above worth something: the built-in source places none of them.
    assert {Countries().of(n.split("/")[0].encode()) for n in NETWORKS} == {""}


def test_a_day_counts_the_database_countries(database: Path) -> None:
    rules = ViewRules(geoip_database=str(database))
    aggregator = Aggregator(tz=datetime.UTC, rules=rules)
    addresses = [("/a/", "192.0.2.9"), ("/a/", "2001:db8::9"), ("/b/", "192.0.2.10"),
                 ("/b/", "203.0.113.5")]  # fmt: skip
    aggregator.feed([combined(path, ip=ip) for path, ip in addresses])
    countries = days_of(aggregator.take())[DAY].audience.as_dict()["countries"]
    assert countries == {"FR": 2, "JP": 1, "ZZ": 1}


def test_check_database(database: Path, tmp_path: Path) -> None:
    assert check_database(str(database)) == ""
    asn = write_database(tmp_path / "asn.mmdb", database_type="GeoLite2-ASN")
    assert "may hold no countries" in check_database(str(asn))
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    for path in (tmp_path / "missing.mmdb", text, tmp_path):
        with pytest.raises(ConfigurationError, match="can not be read as a MaxMind database"):
            check_database(str(path))
