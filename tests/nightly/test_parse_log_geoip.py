"""``parse_log`` with ``ADMIN_HITS_GEOIP_DATABASE``: the file's countries, or a clear stop."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from admin_hits.models import AudienceHits
from tests.helpers import combined, write_log
from tests.logs.mmdb import write_database

DAY = "2026-11-28"


def parse(log: Path) -> dict:
    out = StringIO()
    call_command("parse_log", str(log), "--date", DAY, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def log(tmp_path: Path) -> Path:
    addresses = ["192.0.2.1", "192.0.2.2", "2001:db8::3", "198.51.100.4", "203.0.113.5"]
    return write_log(tmp_path / "access.log", [combined("/a/", ip=ip) for ip in addresses])


@pytest.mark.django_db
def test_the_database_countries_are_stored(log: Path, tmp_path: Path) -> None:
    with override_settings(ADMIN_HITS_GEOIP_DATABASE=str(write_database(tmp_path / "c.mmdb"))):
        day = parse(log)["days"][0]
    assert day["countries"] == {"FR": 2, "DE": 1, "JP": 1, "ZZ": 1}
    stored = AudienceHits.objects.filter(dimension="country", content_type__isnull=True)
    assert dict(stored.values_list("name", "views")) == day["countries"]


@pytest.mark.django_db
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_is_no_database_stops_the_run(log: Path, tmp_path: Path, jobs: str) -> None:
    text = tmp_path / "countries.txt"
    text.write_text("192.0.2.0/24 FR\n")
    with (
        override_settings(ADMIN_HITS_GEOIP_DATABASE=str(text)),
        pytest.raises(CommandError, match="can not be read as a MaxMind database"),
    ):
        call_command("parse_log", str(log), "--date", DAY, "--jobs", jobs, stdout=StringIO(),
                     stderr=StringIO())  # fmt: skip
    assert not AudienceHits.objects.exists()
