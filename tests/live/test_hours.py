"""The hour counters of the live store: of all the sites, and of each of several sites."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from admin_hits.conf import view_rules
from admin_hits.live.hours import (
    hour_deltas,
    hour_key,
    hours_of,
    site_hour_key,
    site_key,
    site_paths,
    without_hours,
)
from admin_hits.live.pipe.sites import SitesAggregator
from admin_hits.logs.live_hours import LIVE_HOURS
from admin_hits.logs.vhosts import host_sites
from tests.live.site_hours import hourly_log
from tests.nightly.test_parse_log_sites import SITES

DAY = datetime.date(2026, 12, 2)


def test_each_sites_hours_are_kept_under_names_of_their_own() -> None:
    extra = {LIVE_HOURS: {(DAY, 7): 3, (DAY, 13): 1}}
    assert hour_deltas(extra, 2) == {(DAY, "*hours/2/07"): 3, (DAY, "*hours/2/13"): 1}
    assert hour_deltas(extra) == {(DAY, "*hours/07"): 3, (DAY, "*hours/13"): 1}
    assert hour_deltas({}, 2) == {}


def test_a_day_with_every_kind_of_counter() -> None:
    day = {
        "/a/": 5, hour_key(7): 5,
        site_key(1, "/a/"): 4, site_hour_key(1, 7): 4,
        site_key(2, "/a/"): 1, site_hour_key(2, 7): 1, site_hour_key(12, 23): 9,
    }  # fmt: skip
    assert without_hours(day) == {"/a/": 5}
    assert hours_of(day) == {7: 5}  # the sites' hours are not all the sites' hours
    assert hours_of(day, 1) == {7: 4}
    assert hours_of(day, 2) == {7: 1}  # not site 12's
    assert hours_of(day, 12) == {23: 9}
    assert hours_of(day, 3) == {}
    assert site_paths(day, 1) == {"/a/": 4}  # the site's hours are no path of the site


@given(
    site=st.integers(min_value=1, max_value=32767),
    hours=st.dictionaries(st.integers(0, 23), st.integers(1, 10**9)),
)
def test_a_sites_hours_read_back_as_written(site: int, hours: dict[int, int]) -> None:
    extra = {LIVE_HOURS: {(DAY, hour): n for hour, n in hours.items()}}
    day = {key: n for (_, key), n in hour_deltas(extra, site).items()}
    assert hours_of(day, site) == hours
    assert hours_of(day) == {} and without_hours(day) == {}
    assert hours_of(day, site + 1) == {} and site_paths(day, site) == {}


def test_the_pipes_sites_aggregator_counts_each_sites_hours() -> None:
    log = hourly_log(DAY, seed=5)
    aggregator = SitesAggregator(
        "vhost_combined", host_sites(SITES), tz=ZoneInfo("Europe/Berlin"), rules=view_rules(),
        visits=False,
    )  # fmt: skip
    aggregator.feed(line.encode() for line in log.lines)
    counts = aggregator.take()
    day = {
        key: n for (_, key), n in {**aggregator.site_deltas, **hour_deltas(counts.extra)}.items()
    }
    assert hours_of(day) == log.site_hours(None)
    for site in (1, 2):
        assert hours_of(day, site) == log.site_hours(site)
    assert log.site_hours(1) != log.site_hours(2)
