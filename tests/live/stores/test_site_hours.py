"""Each site's views per hour, written by the real pipe into a real store and read back as
the report reads them (memcached, and the ``db`` store on the test database)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from admin_hits.live.hours import PREFIX as HOURS
from admin_hits.live.stores import get_store
from admin_hits.report.scope import LiveDay
from tests.fixtures.memcached import MemcachedServer
from tests.helpers import write_log
from tests.live.pipe.test_same_counts import run_worker
from tests.live.site_hours import hourly_log
from tests.nightly.test_parse_log_sites import SITES

DAY = datetime.date(2026, 12, 2)


@pytest.fixture
def sites(settings) -> None:
    settings.ADMIN_HITS_SITES = SITES
    settings.ADMIN_HITS_LOG_FORMAT = "vhost_combined"


def check_hours_of_each_site(tmp_path: Path, store: str, settings) -> None:
    log = hourly_log(DAY, seed=31)
    settings.ADMIN_HITS_STORE = store
    run_worker(write_log(tmp_path / "access.log", log.lines).read_bytes(), "--store", store)
    for site in (1, 2, None):
        live = LiveDay.read(DAY, site)
        assert live.hours == log.site_hours(site)
        assert live.total == log.views(site)
    assert log.site_hours(1) != log.site_hours(2)


@pytest.mark.services
@pytest.mark.django_db
def test_memcached_keeps_each_sites_hours(
    tmp_path: Path, sites, settings, memcached: MemcachedServer
) -> None:
    check_hours_of_each_site(tmp_path, memcached.url, settings)


@pytest.mark.django_db(transaction=True)
def test_the_database_keeps_each_sites_hours(tmp_path: Path, sites, settings) -> None:
    check_hours_of_each_site(tmp_path, "db", settings)


@pytest.mark.django_db(transaction=True)
def test_a_single_site_pipe_writes_no_counter_of_a_site(tmp_path: Path) -> None:
    log = hourly_log(DAY, seed=32)
    single = [line.partition(" ")[2] for line in log.lines]  # combined, without the host
    run_worker(write_log(tmp_path / "access.log", single).read_bytes())
    store = get_store()
    try:
        keys = set(store.day(DAY))
    finally:
        store.close()
    hours = {key for key in keys if key.startswith(HOURS)}
    assert hours and all(key[len(HOURS) :].isdigit() for key in hours)
    assert all(key.startswith("/") for key in keys - hours)
