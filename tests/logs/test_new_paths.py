"""``Aggregator.new_paths``: the paths of the views counted since the last call, known while
counting goes on (a parallel parse matches them meanwhile), without changing any count."""

from __future__ import annotations

from datetime import date

from admin_hits.logs.counts import BOT_VIEWS
from tests.logs.cases import CASES, GET, NOV28, aggregator, line

NOV27 = date(2026, 11, 27)


def view_paths(counts) -> set[str]:
    return {path for _, path in counts.views} | {
        path for _, path in counts.extra.get(BOT_VIEWS, ())
    }


def test_each_view_path_once_and_no_other_path() -> None:
    counting = aggregator()
    counting.feed([line(GET), line(GET), line(b"GET /a/?utm_source=x HTTP/1.1")])
    counting.feed([line(b"GET /static/site.css HTTP/1.1"), line(b"POST /form/ HTTP/1.1"),
                   line(b"GET /missing/ HTTP/1.1", status=b"404")])  # fmt: skip
    assert counting.new_paths() == {"/articles/hello/", "/a/"}
    assert counting.new_paths() == set()  # nothing new since
    counting.feed([line(GET), line(b"GET /b/ HTTP/1.1")])
    assert counting.new_paths() == {"/b/"}


def test_every_view_path_of_the_cases_and_across_midnight() -> None:
    counting = aggregator()
    found: set[str] = set()
    cases = [case for case, _ in CASES]
    for start in range(0, len(cases), 7):
        counting.feed(cases[start : start + 7])
        found |= counting.new_paths()
    # A chunk across midnight is counted by whole key, not by date and span.
    counting.feed([line(b"GET /late/ HTTP/1.1", when=b"28/Nov/2026:23:59:59 +0100"),
                   line(b"GET /early/ HTTP/1.1", when=b"29/Nov/2026:00:00:01 +0100")])  # fmt: skip
    late = counting.new_paths()
    counts = counting.take()
    assert late == {"/late/", "/early/"}
    # Only the paths of odd lines that go one by one may be missing: take has them.
    assert found | late <= view_paths(counts)
    assert len(view_paths(counts) - found - late) <= 2


def test_only_the_days_asked_for() -> None:
    counting = aggregator(days={NOV28})
    counting.feed([line(b"GET /yesterday/ HTTP/1.1", when=b"27/Nov/2026:12:00:00 +0100"),
                   line(GET)])  # fmt: skip
    assert counting.new_paths() == {"/articles/hello/"}


def test_counts_are_those_of_a_run_that_never_asked() -> None:
    lines = [case for case, _ in CASES] * 3
    lines += [line(GET, when=f"28/Nov/2026:23:59:{s:02d} +0100".encode()) for s in range(60)]
    lines += [line(GET, when=f"29/Nov/2026:00:00:{s:02d} +0100".encode()) for s in range(60)]
    asked, quiet = aggregator(), aggregator()
    for start in range(0, len(lines), 50):
        asked.feed(lines[start : start + 50])
        asked.new_paths()
        quiet.feed(lines[start : start + 50])
    assert asked.take() == quiet.take()


def test_take_starts_over() -> None:
    counting = aggregator()
    counting.feed([line(GET)])
    assert counting.new_paths() == {"/articles/hello/"}
    counting.take()
    counting.feed([line(GET)])
    assert counting.new_paths() == {"/articles/hello/"}
