from __future__ import annotations

from pathlib import Path

import pytest
from django.core import checks
from django.test import override_settings

from admin_hits.source_checks import check_sources
from tests.logs.mmdb import write_database

VHOSTS = {"ADMIN_HITS_LOG_FORMAT": "vhost_combined"}


def ids(messages) -> list[str]:
    return sorted(m.id for m in messages)


def test_nothing_set_is_clean() -> None:
    assert check_sources() == []


@override_settings(**VHOSTS)
@pytest.mark.parametrize(
    "sites",
    [
        {"www.example.com": 1, "example.com": 1, "*": 3},
        {"blog.example.com": {"site": 2, "urlconf": "tests.nightly.urls_blog"}},
        {"[2001:db8::1]": 4, "shop.example.com:8443": 5},
    ],
)
def test_good_sites(sites) -> None:
    assert check_sources() == []


@override_settings(**VHOSTS)
@pytest.mark.parametrize(
    ("sites", "fault"),
    [
        (["www.example.com"], "must be a dict"),
        ({"www.example.com": 0}, "from 1 to 32767"),
        ({"www.example.com": "1"}, "from 1 to 32767"),
        ({"www.example.com": True}, "from 1 to 32767"),
        ({"www.example.com": 40000}, "from 1 to 32767"),
        ({"www.example.com": {"urlconf": "tests.urls"}}, "from 1 to 32767"),
        ({"www.example.com": {"site": 1, "url_conf": "tests.urls"}}, "unknown keys"),
        ({"www.example.com": {"site": 1, "urlconf": "no.such.urls"}}, "can not be imported"),
        ({"http://www.example.com/": 1}, "is no host name"),
        ({"": 1}, "is no host name"),
        (
            {"a.example": {"site": 1, "urlconf": "tests.urls"},
             "b.example": {"site": 1, "urlconf": "tests.nightly.urls_blog"}},
            "two urlconfs",
        ),
    ],
)  # fmt: skip
def test_bad_sites(sites, fault: str) -> None:
    with override_settings(ADMIN_HITS_SITES=sites):
        messages = check_sources()
    assert ids(messages) == ["admin_hits.E011"]
    assert fault in messages[0].msg


@override_settings(ADMIN_HITS_SITES={"www.example.com": 1})
@pytest.mark.parametrize(
    ("log_format", "error"),
    [("combined", True), ("vhost_combined", False), ('%h %t "%r" %>s "%{Host}i"', False),
     ("auto", False)],
)  # fmt: skip
def test_sites_need_a_format_with_the_host(log_format: str, error: bool) -> None:
    with override_settings(ADMIN_HITS_LOG_FORMAT=log_format):
        assert ids(check_sources()) == (["admin_hits.E012"] if error else [])


def test_geoip_database(tmp_path: Path) -> None:
    good = write_database(tmp_path / "GeoLite2-Country.mmdb")
    asn = write_database(tmp_path / "GeoLite2-ASN.mmdb", database_type="GeoLite2-ASN")
    text = tmp_path / "countries.csv"
    text.write_text("192.0.2.0/24,FR\n")
    with override_settings(ADMIN_HITS_GEOIP_DATABASE=str(good)):
        assert check_sources() == []
    with override_settings(ADMIN_HITS_GEOIP_DATABASE=str(asn)):
        messages = check_sources()
        assert ids(messages) == ["admin_hits.W006"]
        assert isinstance(messages[0], checks.Warning)
    for path in (tmp_path / "missing.mmdb", text):
        with override_settings(ADMIN_HITS_GEOIP_DATABASE=str(path)):
            messages = check_sources()
        assert ids(messages) == ["admin_hits.E013"]
        assert str(path) in messages[0].msg
