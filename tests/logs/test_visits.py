from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs import Aggregator, Counts, ViewRules
from admin_hits.logs.visit_days import DayVisits, median_of, visit_days
from admin_hits.logs.visits import (
    BOUNCES,
    EXITS,
    LANDING_REFERRERS,
    LANDINGS,
    OPEN_VISITS,
    VISIT_LENGTHS,
    join_open_visits,
)
from tests.logs.visit_logs import BROWSERS, Event, events, expected

TZ = ZoneInfo("Europe/Berlin")
RULES = ViewRules(excluded_prefixes=("/static/",))
SALT = b"visits"
START = datetime(2026, 11, 27, 22, 0, tzinfo=UTC)


def counting(**kwargs: object) -> Aggregator:
    return Aggregator("combined", tz=TZ, rules=kwargs.pop("rules", RULES), salt=SALT, **kwargs)


def counted(parts: list[list[bytes]], gap: int = 30) -> dict[date, DayVisits]:
    """The visits of ``parts`` (stretches of lines, each counted apart, as the processes of
    a parallel parse do), joined."""
    total = Counts()
    for part in parts:
        aggregator = counting(rules=ViewRules(excluded_prefixes=("/static/",), visit_gap=gap))
        aggregator.feed(part)
        total.merge(aggregator.take())
    join_open_visits(total, gap)
    assert OPEN_VISITS not in total.extra
    return visit_days(total)


def assert_as_expected(found: dict[date, DayVisits], made: list[Event], gap: int = 30) -> None:
    want = expected(made, TZ, gap)
    assert {d: v.visits for d, v in found.items() if v.visits} == dict(want.visits)
    assert {d: v.bounce_total for d, v in found.items() if v.bounce_total} == dict(want.bounces)
    assert {d: v.views for d, v in found.items() if v.views} == dict(want.views)
    flat = Counter(
        {(d, p): n for d, v in found.items() for p, n in v.landings.items()}
    )  # fmt: skip
    assert flat == want.landings
    assert Counter({(d, p): n for d, v in found.items() for p, n in v.bounces.items()}) == (
        want.landing_bounces
    )
    assert Counter({(d, p): n for d, v in found.items() for p, n in v.exits.items()}) == want.exits
    assert (
        Counter({(d, p, u): n for d, v in found.items() for (p, u), n in v.referrers.items()})
        == want.referrers
    )
    assert Counter({(d, m): n for d, v in found.items() for m, n in v.lengths.items()}) == (
        want.lengths
    )


def lines_of(made: list[Event]) -> list[bytes]:
    return [event.line().encode() for event in made]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_visits_of_a_generated_log(seed: int) -> None:
    made = events(seed, 400, START)
    assert_as_expected(counted([lines_of(made)]), made)


@pytest.mark.parametrize("gap", [1, 10, 45])
def test_the_gap_is_a_setting(gap: int) -> None:
    made = events(4, 300, START)
    assert_as_expected(counted([lines_of(made)], gap=gap), made, gap=gap)


@pytest.mark.parametrize("seed", [5, 6])
def test_stretches_counted_apart_join_to_the_same_visits(seed: int) -> None:
    # What --jobs does: the lines cut into ranges that different processes count.
    made = events(seed, 400, START)
    lines = lines_of(made)
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(lines)), 12))
    parts = [lines[a:b] for a, b in zip([0, *cuts], [*cuts, len(lines)], strict=True)]
    assert_as_expected(counted(parts), made)
    # One process counting several ranges, cut between them, in any order.
    rng.shuffle(parts)
    aggregator = counting()
    for part in parts:
        aggregator.cut()
        aggregator.feed(part)
    total = aggregator.take()
    join_open_visits(total, 30)
    assert_as_expected(visit_days(total), made)


def at(minute: str, path: str, ip: str = "203.0.113.7", **kwargs: object) -> Event:
    day, clock = minute.split(" ")
    when = datetime.fromisoformat(f"{day}T{clock}:00+01:00")
    return Event(when, ip, BROWSERS[0], path, **kwargs)


def one_day(made: list[Event]) -> DayVisits:
    found = counted([lines_of(made)])
    assert len(found) == 1
    return next(iter(found.values()))


def test_a_gap_just_under_the_limit_goes_on_and_at_it_starts_a_new_visit() -> None:
    visits = one_day([
        at("2026-11-28 10:00", "/a/", referrer="https://www.google.com/"),
        at("2026-11-28 10:29", "/b/"),  # 29 minutes: the same visit
        at("2026-11-28 10:59", "/c/"),  # 30 minutes: a new one
        at("2026-11-28 11:00", "/a/", ip="203.0.113.8"),  # another visitor, one view
    ])  # fmt: skip
    assert visits.visits == 3
    assert visits.bounce_total == 2
    assert visits.landings == {"/a/": 2, "/c/": 1}
    assert visits.bounces == {"/c/": 1, "/a/": 1}
    assert visits.exits == {"/b/": 1, "/c/": 1, "/a/": 1}
    assert visits.lengths == {29: 1, 0: 2}
    assert visits.median_length == 0
    assert visits.views == 4
    assert visits.referrers == {("/a/", "https://www.google.com/"): 1}


def test_a_visit_crossing_midnight_is_split_at_midnight() -> None:
    found = counted([lines_of([
        at("2026-11-28 23:50", "/a/"),
        at("2026-11-28 23:58", "/b/"),
        at("2026-11-29 00:05", "/c/"),  # 7 minutes later, but another day: a new visit
        at("2026-11-29 00:20", "/a/"),
    ])])  # fmt: skip
    first, second = found[date(2026, 11, 28)], found[date(2026, 11, 29)]
    assert (first.visits, first.landings, first.exits) == (1, {"/a/": 1}, {"/b/": 1})
    assert (second.visits, second.landings, second.exits) == (1, {"/c/": 1}, {"/a/": 1})
    assert first.lengths == {8: 1} and second.lengths == {15: 1}


def test_bots_assets_errors_and_robots_txt_readers_make_no_visits() -> None:
    visits = one_day([
        at("2026-11-28 10:00", "/robots.txt", ip="192.0.2.1"),
        at("2026-11-28 10:01", "/a/", ip="192.0.2.1"),  # read robots.txt: a bot for the day
        at("2026-11-28 10:02", "/static/site.css"),
        at("2026-11-28 10:02", "/missing/", status=404),
        at("2026-11-28 10:03", "/a/"),
        at("2026-11-28 10:04", "/b/", status=304),
    ])  # fmt: skip
    assert visits.visits == 1 and visits.views == 2 and visits.exits == {"/b/": 1}


def test_the_pipe_counts_no_visits() -> None:
    aggregator = counting(visits=False)
    aggregator.feed(lines_of([at("2026-11-28 10:00", "/a/")]))
    counts = aggregator.take()
    assert counts.views and not {LANDINGS, BOUNCES, EXITS, VISIT_LENGTHS} & set(counts.extra)


def test_lines_one_by_one_and_in_chunks_count_the_same_visits() -> None:
    made = events(8, 200, START)
    lines = lines_of(made)
    one_by_one = counting()
    for log_line in lines:
        one_by_one._count_line(log_line)
    by_line = one_by_one.take()
    join_open_visits(by_line, 30)
    assert_as_expected(visit_days(by_line), made)


def test_a_format_read_by_apachelogs_counts_visits_too() -> None:
    made = events(9, 100, START)
    # %{...}t is not compiled: every line goes through apachelogs.
    fmt = '%h %l %u [%{%d/%b/%Y:%H:%M:%S %z}t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
    aggregator = Aggregator(fmt, tz=TZ, rules=RULES, salt=SALT)
    assert aggregator.parser.compiled is None
    aggregator.feed(lines_of(made))
    counts = aggregator.take()
    join_open_visits(counts, 30)
    assert_as_expected(visit_days(counts), made)


def test_open_visits_are_few_and_closed_ones_are_counted_as_they_close() -> None:
    made = events(10, 600, START)
    aggregator = counting()
    aggregator.feed(lines_of(made))
    held = len(aggregator._visits.tracker)
    counts = aggregator.take()
    # Only the visitors of the last half hour are held; the visits that start within the
    # gap of the first view are kept whole, the others counted at once.
    assert held < 100
    pieces = counts.extra.get(OPEN_VISITS, Counter()).total()
    assert pieces < counts.extra[LANDINGS].total() / 4


def test_landing_referrers_are_other_sites_only() -> None:
    made = [
        at("2026-11-28 10:00", "/a/", referrer="https://www.example.com/x"),
        at("2026-11-28 11:00", "/b/", referrer="https://news.example.org/today"),
    ]
    aggregator = counting(rules=ViewRules(own_hosts=("www.example.com",)))
    aggregator.feed(lines_of(made))
    counts = aggregator.take()
    join_open_visits(counts, 30)
    assert counts.extra[LANDINGS] == {
        (date(2026, 11, 28), "/a/"): 1,
        (date(2026, 11, 28), "/b/"): 1,
    }
    assert counts.extra[LANDING_REFERRERS] == {
        (date(2026, 11, 28), "/b/", "https://news.example.org/today"): 1
    }


@pytest.mark.parametrize(
    ("histogram", "median"),
    [({}, 0), ({0: 1}, 0), ({0: 1, 4: 1}, 2), ({1: 2, 9: 1}, 1), ({0: 3, 2: 1, 7: 2}, 1),
     ({5: 4}, 5), ({1: 1, 2: 1, 3: 1, 10: 1}, 2.5)],
)  # fmt: skip
def test_median_of_a_histogram(histogram: dict[int, int], median: float) -> None:
    values = sorted(v for v, n in histogram.items() for _ in range(n))
    if values:
        middle = len(values) // 2
        by_list = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
        assert by_list == median
    assert median_of(histogram) == median


def test_summary_has_the_top_landings() -> None:
    visits = DayVisits(landings=Counter({f"/p{i}/": i + 1 for i in range(150)}))
    summary = visits.summary()
    assert summary["visits"] == sum(range(1, 151))
    assert len(summary["landing"]) == 100
    assert next(iter(summary["landing"])) == "/p149/"


@pytest.mark.parametrize("gap", [0, -5, "30", 1.5, True])
def test_a_bad_gap_is_refused(gap: object) -> None:
    with pytest.raises(ConfigurationError, match="ADMIN_HITS_VISIT_GAP"):
        ViewRules(visit_gap=gap)


def test_minutes_are_read_in_any_zone() -> None:
    # The same instant logged in two zones is the same minute: one visit of two views.
    first = at("2026-11-28 10:00", "/a/")
    second = Event(first.when.astimezone(UTC) + timedelta(minutes=5), first.ip, first.agent, "/b/")
    visits = one_day([first, second])
    assert visits.visits == 1 and visits.lengths == {5: 1}


@pytest.mark.parametrize("one_by_one", [False, True], ids=["chunks", "one-by-one"])
def test_a_robots_txt_reader_loses_the_visits_not_over_when_it_read_it(one_by_one: bool) -> None:
    reader = "192.0.2.1"
    made = [
        at("2026-11-28 07:00", "/a/", ip=reader),  # over at 07:31: before the read, counted
        at("2026-11-28 07:01", "/b/", ip=reader),
        at("2026-11-28 09:00", "/c/", ip=reader),  # not over when robots.txt is read
        at("2026-11-28 09:20", "/robots.txt", ip=reader),
        at("2026-11-28 11:00", "/d/", ip=reader),  # after it: not counted
        at("2026-11-28 11:00", "/a/"),
    ]
    aggregator = counting()
    if one_by_one:
        for log_line in lines_of(made):
            aggregator._count_line(log_line)
    else:
        aggregator.feed(lines_of(made))
    counts = aggregator.take()
    join_open_visits(counts, 30)
    visits = visit_days(counts)[date(2026, 11, 28)]
    assert visits.landings == {"/a/": 2}
    assert visits.exits == {"/b/": 1, "/a/": 1}


def test_lines_that_follow_no_others_keep_only_their_last_visits_as_pieces() -> None:
    # parse_log reading one day's file first: its first visits can join no earlier piece.
    made = events(11, 600, START)
    alone, waiting = counting(), counting()
    alone.starts_alone()
    for aggregator in (alone, waiting):
        aggregator.feed(lines_of(made))
    held = {name: len(aggregator._visits.tracker) for name, aggregator in
            (("alone", alone), ("waiting", waiting))}  # fmt: skip
    first, second = alone.take(), waiting.take()
    pieces = [counts.extra[OPEN_VISITS].total() for counts in (first, second)]
    assert pieces[0] == held["alone"] < pieces[1]  # the last half hour's visits only
    for counts in (first, second):
        join_open_visits(counts, 30)
        assert_as_expected(visit_days(counts), made)


def test_lines_fed_after_a_cut_may_follow_others_again() -> None:
    made = events(12, 400, START)
    lines = lines_of(made)
    aggregator = counting()
    aggregator.starts_alone()
    aggregator.feed(lines[: len(lines) // 2])
    aggregator.cut()  # the second half's first visits may go on from the first half's
    aggregator.feed(lines[len(lines) // 2 :])
    total = aggregator.take()
    join_open_visits(total, 30)
    assert_as_expected(visit_days(total), made)
