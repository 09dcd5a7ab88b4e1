from __future__ import annotations

import bz2
import datetime
import gc
import gzip
import json
import os
import re
import threading
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import DataError
from django.test import override_settings
from django.utils import timezone

from admin_hits.models import Hits, PathHits
from admin_hits.nightly import writing
from tests.helpers import combined, write_log
from tests.testapp.models import Article, Release

DAY = datetime.date(2026, 11, 28)


def parse(*args: str) -> str:
    out = StringIO()
    call_command("parse_log", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rows() -> set[tuple]:
    hits = {
        ("hits", h.date, h.content_type.model, h.object_id, h.views) for h in Hits.objects.all()
    }
    paths = {("path", p.date, p.path, p.views, p.object_id) for p in PathHits.objects.all()}
    return hits | paths


@pytest.fixture
def site(db):
    return {
        "a": Article.objects.create(title="A", slug="a"),
        "b": Article.objects.create(title="B", slug="b"),
        "r": Release.objects.create(title="R"),
    }


@pytest.fixture
def day_log(tmp_path: Path, site) -> Path:
    release = site["r"]
    lines = [
        combined("/articles/a/"),
        combined("/articles/a/?utm_source=news"),
        combined("/articles/a/", status=304),
        combined("/articles/b/", "28/Nov/2026:23:59:59 +0100"),
        combined(f"/releases/{release.pk}/"),
        combined("/about/"),  # counted per path, matches no object
        combined("/articles/a/", method="POST"),
        combined("/articles/b/", status=404),
        combined("/static/site.css"),
        combined("/articles/a/logo.png"),
        combined("/articles/a/", "27/Nov/2026:23:59:59 +0100"),  # the day before
        "garbage that is no log line\n",
    ]
    return write_log(tmp_path / "access.log", lines)


def test_counts_views_per_object_and_path(day_log: Path, site) -> None:
    out = parse(str(day_log), "--date", "2026-11-28")
    ct = ContentType.objects.get_for_model(Article)
    assert Hits.objects.get(content_type=ct, object_id=str(site["a"].pk), date=DAY).views == 3
    assert Hits.objects.get(content_type=ct, object_id=str(site["b"].pk), date=DAY).views == 1
    assert site["r"].hits.get().views == 1
    assert PathHits.objects.get(path="/about/").object_id == ""
    assert set(PathHits.objects.values_list("path", flat=True)) == {
        "/articles/a/", "/articles/b/", f"/releases/{site['r'].pk}/", "/about/",
    }  # fmt: skip
    assert "Read 12 lines" in out
    assert "unparsed 1" in out
    assert "2026-11-28: 6 views on 4 paths, 3 objects matched (5 views)" in out


def test_running_twice_gives_the_same_rows(day_log: Path) -> None:
    parse(str(day_log), "--date", "2026-11-28")
    first = rows()
    parse(str(day_log), "--date", "2026-11-28")
    assert rows() == first
    assert Hits.objects.count() == 3


def test_a_day_is_replaced_not_added_to(day_log: Path, tmp_path: Path, site) -> None:
    parse(str(day_log), "--date", "2026-11-28")
    smaller = write_log(tmp_path / "smaller.log", [combined("/articles/b/")])
    parse(str(smaller), "--date", "2026-11-28")
    assert {(h.object_id, h.views) for h in Hits.objects.all()} == {(str(site["b"].pk), 1)}


def test_the_days_before_and_after_are_untouched(day_log: Path, site) -> None:
    other = Hits.objects.create(
        date=DAY - datetime.timedelta(days=1), views=7,
        content_type=ContentType.objects.get_for_model(Article), object_id=str(site["a"].pk),
    )  # fmt: skip
    parse(str(day_log), "--date", "2026-11-28")
    assert Hits.objects.get(pk=other.pk).views == 7


def test_lines_count_on_their_local_date(tmp_path: Path, site) -> None:
    # 23:30 UTC on the 27th is 00:30 on the 28th in Berlin (TIME_ZONE of the tests).
    log = write_log(
        tmp_path / "utc.log",
        [combined("/articles/a/", "27/Nov/2026:23:30:00 +0000"),
         combined("/articles/a/", "28/Nov/2026:23:30:00 +0000")],
    )  # fmt: skip
    parse(str(log), "--date", "2026-11-28")
    assert site["a"].hits.get().views == 1


def test_several_files_are_merged(tmp_path: Path, site) -> None:
    one = write_log(tmp_path / "web1.log", [combined("/articles/a/")] * 2)
    two = write_log(tmp_path / "web2.log.gz", [combined("/articles/a/")] * 3, compress=True)
    three = tmp_path / "web3.log.bz2"
    three.write_bytes(bz2.compress(combined("/articles/a/").encode()))
    parse(str(one), str(two), str(three), "--date", "2026-11-28")
    assert site["a"].hits.get().views == 6


def test_corrupt_gzip_leaves_the_day_as_it_was(tmp_path: Path, day_log: Path, site) -> None:
    parse(str(day_log), "--date", "2026-11-28")
    before = rows()
    data = gzip.compress(b"".join(combined(f"/articles/{i}/").encode() for i in range(5000)))
    broken = tmp_path / "broken.log.gz"
    broken.write_bytes(data[: len(data) // 2])  # yields lines, then raises
    with pytest.raises(CommandError, match="damaged or truncated.*Nothing was written"):
        parse(str(day_log), str(broken), "--date", "2026-11-28")
    assert rows() == before


def test_failure_while_writing_rolls_back(day_log: Path, monkeypatch) -> None:
    parse(str(day_log), "--date", "2026-11-28")
    before = rows()
    real_insert = writing.insert_rows

    def insert_then_fail(using, table):
        real_insert(using, table)  # some of the new rows are in, then the disk fills up
        if table.model is Hits:
            raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "insert_rows", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        parse(str(day_log), "--date", "2026-11-28")
    assert rows() == before


def test_a_database_error_while_writing_says_which_days_were_written(
    tmp_path: Path, site, monkeypatch
) -> None:
    pattern = str(tmp_path / "%Y-%m-%d.log")
    for offset in range(2):
        day = DAY - datetime.timedelta(days=offset)
        when = day.strftime("%d/%b/%Y:12:00:00 +0100")
        write_log(Path(day.strftime(pattern)), [combined("/articles/a/", when)])
    real_insert = writing.insert_rows

    def fail_on_the_28th(using, table):
        if table.rows and table.rows[0][0] == DAY:
            raise DataError("value too long for type character varying(64)")
        real_insert(using, table)

    monkeypatch.setattr(writing, "insert_rows", fail_on_the_28th)
    with (
        override_settings(ADMIN_HITS_ACCESS_LOG=pattern),
        pytest.raises(
            CommandError,
            match=r"Writing 2026-11-28 failed: value too long.*\(2026-11-27 to 2026-11-27",
        ),
    ):
        parse("--since", "2026-11-27", "--until", "2026-11-28")
    assert list(site["a"].hits.values_list("date", flat=True)) == [DAY - datetime.timedelta(days=1)]


def test_dry_run_writes_nothing(day_log: Path) -> None:
    out = parse(str(day_log), "--date", "2026-11-28", "--dry-run")
    assert "Dry run" in out
    assert not Hits.objects.exists()


def test_json_summary(day_log: Path) -> None:
    data = json.loads(parse(str(day_log), "--date", "2026-11-28", "--json"))
    assert data["lines"] == 12
    assert data["parsed"] == 11
    assert data["skipped"] == {"unparsed": 1}
    assert data["views"] == 6
    assert data["objects"] == 3
    assert data["rows"] == 7
    assert data["days"][0]["date"] == "2026-11-28"
    assert data["lines_per_second"] > 0


def test_verbosity_zero_is_silent(day_log: Path) -> None:
    assert parse(str(day_log), "--date", "2026-11-28", "--verbosity", "0") == ""


def test_the_command_line_leaves_what_is_alive_to_the_exit(day_log: Path, monkeypatch) -> None:
    from django.db import connections

    from admin_hits.management.commands.parse_log import Command

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's own connection
    parse(str(day_log), "--date", "2026-11-28")
    assert not frozen  # call_command's caller goes on: its objects stay collectable
    Command().run_from_argv(["manage.py", "parse_log", str(day_log), "--date", "2026-11-28",
                             "-v0"])  # fmt: skip
    assert frozen == [True]
    assert Hits.objects.filter(date=DAY).count() == 3


def test_stdin(day_log: Path, monkeypatch, site) -> None:
    import sys

    class Stdin:
        buffer = day_log.open("rb")

    monkeypatch.setattr(sys, "stdin", Stdin)
    parse("-", "--date", "2026-11-28")
    assert site["a"].hits.get().views == 3


def test_missing_file_is_a_clear_error(tmp_path: Path, db) -> None:
    with pytest.raises(CommandError, match="nope.log: no such file"):
        parse(str(tmp_path / "nope.log"), "--date", "2026-11-28")


def test_empty_file_is_an_error(tmp_path: Path, db) -> None:
    empty = write_log(tmp_path / "empty.log", [])
    with pytest.raises(CommandError, match="no lines"):
        parse(str(empty), "--date", "2026-11-28")


def test_wrong_format_is_detected(day_log: Path) -> None:
    with pytest.raises(CommandError, match="match the log format.*--format"):
        parse(str(day_log), "--date", "2026-11-28", "--format", "%h %t %>s %r %{X-Thing}i")
    assert not Hits.objects.exists()


def test_unusable_format_is_an_error(day_log: Path) -> None:
    with pytest.raises(CommandError):
        parse(str(day_log), "--format", "%h %l")


@pytest.mark.parametrize(
    ("setting", "value"),
    [("ADMIN_HITS_EXCLUDE_PATHS", ["^("]), ("ADMIN_HITS_BOT_PATTERNS", ["("]),
     ("ADMIN_HITS_EXCLUDE_IPS", ["not-an-ip"])],
)  # fmt: skip
def test_view_rules_that_can_not_be_used_are_an_error(
    day_log: Path, settings, setting: str, value: list
) -> None:
    setattr(settings, setting, value)
    with pytest.raises(CommandError, match=re.escape(repr(value[0]))):
        parse(str(day_log), "--date", "2026-11-28")
    assert not Hits.objects.exists()


def test_url_rules_that_can_not_be_used_are_an_error(day_log: Path, settings) -> None:
    settings.ADMIN_HITS_URLS = {"page": {"model": "testapp.Page", "fields": {"code": "cod"}}}
    with pytest.raises(CommandError, match="ADMIN_HITS_URLS\\['page'\\].*no field 'cod'"):
        parse(str(day_log), "--date", "2026-11-28")
    assert not Hits.objects.exists()


def test_lines_of_other_dates_only_give_a_hint(day_log: Path) -> None:
    with pytest.raises(CommandError, match="No line is dated 2020-01-01.*2026-11-27 to 2026-11-28"):
        parse(str(day_log), "--date", "2020-01-01")


def test_common_format(tmp_path: Path, site) -> None:
    line = '203.0.113.9 - - [28/Nov/2026:10:00:00 +0100] "GET /articles/a/ HTTP/1.1" 200 512\n'
    log = write_log(tmp_path / "common.log", [line])
    parse(str(log), "--date", "2026-11-28", "--format", "common")
    assert site["a"].hits.get().views == 1


def test_without_a_file_or_setting(db) -> None:
    with pytest.raises(CommandError, match="ADMIN_HITS_ACCESS_LOG"):
        parse()


def test_default_is_yesterday_from_the_pattern_with_the_next_file(tmp_path, site, time_machine):
    pattern = str(tmp_path / "%Y" / "%m" / "%d" / "access.log")
    write_log(Path(DAY.strftime(pattern)), [combined("/articles/a/")] * 2)
    # The next day's file starts with a line written after midnight for a request of the 28th.
    write_log(
        Path((DAY + datetime.timedelta(days=1)).strftime(pattern)),
        [combined("/articles/a/", "28/Nov/2026:23:59:59 +0100"),
         combined("/articles/a/", "29/Nov/2026:00:00:01 +0100")],
    )  # fmt: skip
    time_machine.move_to(datetime.datetime(2026, 11, 29, 1, 0, tzinfo=datetime.UTC))
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse()
    assert site["a"].hits.get().views == 3
    assert site["a"].hits.get().date == DAY


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_hours_in_the_previous_days_file_count(tmp_path, site, monkeypatch, jobs):
    # A server in UTC rotates its logs at midnight UTC: 00:00 to 01:00 of the 28th in Berlin
    # are the last lines of the 27th's file. That file is read from its end, as far as lines
    # of the 28th go, not whole.
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_chunks_backwards.__defaults__", (4096,))
    pattern = str(tmp_path / "%Y" / "%m" / "%d" / "access.log")
    before = [combined("/articles/b/", "27/Nov/2026:12:00:00 +0000")] * 500
    early = [combined("/articles/a/", "27/Nov/2026:23:30:00 +0000")] * 2
    write_log(Path((DAY - datetime.timedelta(days=1)).strftime(pattern)), before + early)
    write_log(Path(DAY.strftime(pattern)), [combined("/articles/a/", "28/Nov/2026:12:00:00 +0000")])
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        data = json.loads(parse("--date", "2026-11-28", "--json", "--jobs", jobs))
    assert site["a"].hits.get().views == 3
    assert not site["b"].hits.exists()
    assert data["lines"] < 100  # of the 27th's 502 lines, the last blocks only


def test_without_use_tz_the_commands_run(day_log: Path) -> None:
    with override_settings(USE_TZ=False):
        parse(str(day_log), "--date", "2026-11-28")
        parse(str(day_log), "--date", "2026-11-28")  # replacing the day too
    assert Hits.objects.exists()


def test_lines_count_on_dates_of_time_zone_whatever_zone_is_active(tmp_path, site) -> None:
    # 00:30 in Berlin (TIME_ZONE) on the 28th is 18:30 on the 27th in New York.
    log = write_log(tmp_path / "a.log", [combined("/articles/a/", "28/Nov/2026:00:30:00 +0100")])
    with timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        parse(str(log), "--date", "2026-11-28")
    assert site["a"].hits.get().date == DAY


def test_until_without_since_and_a_since_after_yesterday(day_log: Path, time_machine) -> None:
    with pytest.raises(CommandError, match="--until needs --since"):
        parse(str(day_log), "--date", "2026-11-28", "--until", "2026-11-30")
    time_machine.move_to(datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC))
    with pytest.raises(CommandError, match="--since 2026-11-29 is after yesterday"):
        parse(str(day_log), "--since", "2026-11-29")


def test_a_fifo_is_not_opened_again_for_the_hint(tmp_path: Path, db) -> None:
    # With no line of the day asked for, parse_log says which dates the files hold; reading
    # a FIFO's start again would wait for a writer forever.
    fifo = tmp_path / "access.log"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "w") as stream:
            stream.write(combined("/articles/a/", "20/Nov/2026:12:00:00 +0100"))

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    failed: list[BaseException] = []
    runner = threading.Thread(target=lambda: _parse_into(failed, str(fifo)), daemon=True)
    runner.start()
    runner.join(timeout=20)
    assert not runner.is_alive(), "parse_log waits on the FIFO"
    assert failed and "No line is dated 2026-11-28" in str(failed[0])


def _parse_into(failed: list[BaseException], name: str) -> None:
    try:
        parse(name, "--date", "2026-11-28")
    except CommandError as exc:
        failed.append(exc)


def test_an_unreadable_previous_days_file_is_a_clear_error(tmp_path, site, monkeypatch):
    pattern = str(tmp_path / "%Y" / "%m" / "%d" / "access.log")
    earlier = write_log(Path((DAY - datetime.timedelta(days=1)).strftime(pattern)),
                        [combined("/articles/a/", "27/Nov/2026:12:00:00 +0100")])  # fmt: skip
    write_log(Path(DAY.strftime(pattern)), [combined("/articles/a/")])
    readable = os.access

    def access(path, mode) -> bool:  # root reads everything: as if the file were not ours
        return Path(path) != earlier and readable(path, mode)

    monkeypatch.setattr("admin_hits.nightly.logfiles.os.access", access)
    with (
        override_settings(ADMIN_HITS_ACCESS_LOG=pattern),
        pytest.raises(CommandError, match="permission denied"),
    ):
        parse("--date", "2026-11-28")
    assert not Hits.objects.exists()


def test_backfill_since_until(tmp_path: Path, site) -> None:
    pattern = str(tmp_path / "%Y-%m-%d.log.gz")
    for offset in range(3):
        day = DAY - datetime.timedelta(days=offset)
        when = day.strftime("%d/%b/%Y:12:00:00 +0100")
        write_log(Path(day.strftime(pattern)), [combined("/articles/a/", when)] * (offset + 1),
                  compress=True)  # fmt: skip
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--since", "2026-11-26", "--until", "2026-11-28")
    assert list(site["a"].hits.values_list("date", "views")) == [
        (DAY, 1), (DAY - datetime.timedelta(days=1), 2), (DAY - datetime.timedelta(days=2), 3),
    ]  # fmt: skip


def test_host_pattern_finds_compressed_day_files(tmp_path: Path, site) -> None:
    pattern = str(tmp_path / "{host}" / "%Y-%m-%d.log")
    name = DAY.strftime("%Y-%m-%d.log")
    write_log(tmp_path / "web1" / name, [combined("/articles/a/")] * 2)
    write_log(tmp_path / "web2" / f"{name}.gz", [combined("/articles/a/")] * 3, compress=True)
    # Compressed after parsing, the plain file still there, or twice: one copy is read.
    write_log(tmp_path / "web3" / name, [combined("/articles/a/")] * 5)
    write_log(tmp_path / "web3" / f"{name}.gz", [combined("/articles/a/")] * 5, compress=True)
    write_log(tmp_path / "web4" / f"{name}.gz", [combined("/articles/a/")] * 7, compress=True)
    (tmp_path / "web4" / f"{name}.bz2").write_bytes(bz2.compress(b"".join(
        combined("/articles/a/").encode() for _ in range(7))))  # fmt: skip
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        data = json.loads(parse("--date", "2026-11-28", "--json"))
    assert data["files"] == [
        str(tmp_path / "web1" / name), str(tmp_path / "web2" / f"{name}.gz"),
        str(tmp_path / "web3" / name), str(tmp_path / "web4" / f"{name}.gz"),
    ]  # fmt: skip
    assert site["a"].hits.get().views == 17


@pytest.mark.parametrize("name", ["access.log", "access-%Y-%m.log"])
def test_a_file_named_for_several_days_is_read_once(tmp_path: Path, site, name: str) -> None:
    # One file for all days, or a month: it is each day's file and the next day's too.
    pattern = str(tmp_path / name)
    write_log(Path(DAY.strftime(pattern)), [
        combined("/articles/a/", f"{day}/Nov/2026:12:00:00 +0100") for day in (26, 27, 28)
    ])  # fmt: skip
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--date", "2026-11-28")
        assert site["a"].hits.get().views == 1
        data = json.loads(parse("--since", "2026-11-26", "--until", "2026-11-28", "--json"))
    assert data["files"] == [DAY.strftime(pattern)]
    assert sorted(site["a"].hits.values_list("date", "views")) == [
        (DAY - datetime.timedelta(days=2), 1), (DAY - datetime.timedelta(days=1), 1), (DAY, 1),
    ]  # fmt: skip


def test_a_file_given_twice_is_read_once(day_log: Path, site) -> None:
    link = day_log.with_name("current.log")
    link.symlink_to(day_log)
    parse(str(day_log), str(day_log), str(link), "--date", "2026-11-28")
    assert site["a"].hits.get().views == 3


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("content", [b"", b"203.0.113.5 - - [28/Nov/2"], ids=["empty", "cut"])
def test_a_day_without_lines_is_left_as_it_was(tmp_path, site, content: bytes, jobs: str) -> None:
    pattern = str(tmp_path / "%Y-%m-%d.log")
    for day in (DAY - datetime.timedelta(days=1), DAY):
        when = day.strftime("%d/%b/%Y:12:00:00 +0100")
        write_log(Path(day.strftime(pattern)), [combined("/articles/a/", when)] * 3)
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        parse("--since", "2026-11-27", "--until", "2026-11-28")
        before = rows()
        Path(DAY.strftime(pattern)).write_bytes(content)  # a crash, a full disk
        with pytest.raises(CommandError, match="No line is dated 2026-11-28: .*Nothing was"):
            parse("--since", "2026-11-27", "--until", "2026-11-28", "--jobs", jobs)
        with pytest.raises(CommandError, match="Nothing was written"):
            parse("--date", "2026-11-28", "--jobs", jobs)
    assert rows() == before


def test_missing_day_file_from_the_pattern(tmp_path: Path, db) -> None:
    with (
        override_settings(ADMIN_HITS_ACCESS_LOG=str(tmp_path / "%Y%m%d.log")),
        pytest.raises(CommandError, match="20261128.log: no such file"),
    ):
        parse("--date", "2026-11-28")


def test_bad_dates_in_arguments() -> None:
    with pytest.raises(CommandError, match="not a date"):
        parse("--date", "yesterday")
    with pytest.raises(CommandError, match="before --since"):
        parse("--since", "2026-11-28", "--until", "2026-11-01")


def test_queries_do_not_grow_with_lines(tmp_path: Path, site, django_assert_max_num_queries):
    few = write_log(tmp_path / "few.log", [combined("/articles/a/")])
    many = write_log(
        tmp_path / "many.log",
        [combined(f"/articles/{s}/") for s in ["a", "b", *(f"n{i}" for i in range(300))]] * 20,
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        parse(str(few), "--date", "2026-11-28")
    with CaptureQueriesContext(connection) as large:
        parse(str(many), "--date", "2026-11-28")
    assert len(large) <= len(small) + 2  # bulk inserts may take an extra batch
