"""parse_log on a first run: a wrong --format, --format auto, a --date the files do not hold."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from admin_hits.models import Hits
from tests.helpers import BROWSER, combined, write_log
from tests.testapp.models import Article

WHEN = "28/Nov/2026:12:00:00 +0100"
REQUEST = f'[{WHEN}] "GET /articles/a/ HTTP/1.1" 200 512'
LINES = {
    "common": f"203.0.113.9 - - {REQUEST}\n",
    "vhost_common": f"www.example.com 203.0.113.9 - - {REQUEST}\n",
    "combined": combined("/articles/a/", WHEN),
    "vhost_combined": f'www.example.com:443 203.0.113.9 - - {REQUEST} "-" "{BROWSER}"\n',
    "vhost_combined without the port": (
        f'www.example.com 203.0.113.9 - - {REQUEST} "-" "{BROWSER}"\n'
    ),
    # nginx's default: '$remote_addr - $remote_user [$time_local] "$request" $status
    # $body_bytes_sent "$http_referer" "$http_user_agent"'
    "nginx": f'203.0.113.9 - alice {REQUEST} "https://example.org/" "{BROWSER}"\n',
}
OPTION = {
    "vhost_combined without the port": '\'%v %h %l %u %t "%r" %>s %O "%{Referer}i" '
    '"%{User-Agent}i"\'',
    "nginx": "combined",
}


def parse(*args: str) -> str:
    out = StringIO()
    call_command("parse_log", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def article(db) -> Article:
    return Article.objects.create(title="A", slug="a")


@pytest.mark.parametrize("kind", list(LINES))
@pytest.mark.parametrize("count", [1, 3, 40])  # a first try, and a file of any size
def test_no_line_in_the_format_names_the_one_they_are_in(
    tmp_path: Path, article, kind: str, count: int
) -> None:
    log = write_log(tmp_path / "access.log", [LINES[kind]] * count)
    wrong = "vhost_common" if kind != "vhost_common" else "common"
    with pytest.raises(CommandError) as failed:
        parse(str(log), "--date", "2026-11-28", "--format", wrong)
    message = str(failed.value)
    assert message.startswith(f"None of the {count} lines match the log format '{wrong}'")
    assert f"pass --format {OPTION.get(kind, kind)} (or set" in message
    assert "No line is dated" not in message and not Hits.objects.exists()


def test_lines_in_no_known_format_say_so(tmp_path: Path, article) -> None:
    log = write_log(tmp_path / "access.log", ["2026-11-28T12:00:00 GET /articles/a/ 200\n"] * 3)
    with pytest.raises(CommandError, match="match none of the known formats .* either"):
        parse(str(log), "--date", "2026-11-28")


def test_too_few_lines_in_the_format_name_the_right_one(tmp_path: Path, article) -> None:
    lines = [LINES["vhost_combined"]] * 18 + [LINES["combined"]] * 2
    log = write_log(tmp_path / "access.log", lines)
    with pytest.raises(CommandError, match=r"Only 2 of the 20 lines .*--format vhost_combined"):
        parse(str(log), "--date", "2026-11-28")


@pytest.mark.parametrize("kind", list(LINES))
def test_format_auto_picks_and_says_it(tmp_path: Path, article, kind: str) -> None:
    log = write_log(tmp_path / "access.log", [LINES[kind]] * 2)
    out = parse(str(log), "--date", "2026-11-28", "--format", "auto")
    label = "combined (Apache's, or nginx's default)" if kind in ("nginx", "combined") else kind
    assert out.startswith(f"Log format: {label}, from the first lines of {log}.\n")
    assert article.hits.get().views == 2


def test_format_auto_from_the_setting(tmp_path: Path, article, settings) -> None:
    settings.ADMIN_HITS_LOG_FORMAT = "auto"
    log = write_log(tmp_path / "access.log.gz", [LINES["vhost_combined"]], compress=True)
    out = parse(str(log), "--date", "2026-11-28")
    assert "Log format: vhost_combined, from the first lines of" in out
    assert article.hits.get().views == 1


def test_format_auto_on_lines_of_no_known_format(tmp_path: Path, article) -> None:
    log = write_log(tmp_path / "access.log", ["nothing like a log line\n"])
    with pytest.raises(CommandError, match="--format auto: the first lines of .* match none"):
        parse(str(log), "--format", "auto")


def test_format_auto_can_not_read_stdin_twice(article, monkeypatch) -> None:
    with pytest.raises(CommandError, match="stdin can not be read twice: pass --format"):
        parse("-", "--format", "auto")


def test_a_date_the_files_do_not_hold_names_the_days_they_do(tmp_path: Path, article) -> None:
    log = write_log(tmp_path / "access.log", [LINES["combined"]])
    with pytest.raises(CommandError) as failed:
        parse(str(log), "--date", "2026-12-01")
    message = str(failed.value)
    assert message == (
        "No line is dated 2026-12-01: the files hold 2026-11-28 to 2026-11-28. Pass one of "
        "those days, or the files of 2026-12-01. Nothing was written."
    )
    assert not re.search("Pass --date", message)


def test_the_default_day_still_says_pass_date(tmp_path: Path, article, time_machine) -> None:
    time_machine.move_to("2026-12-05 12:00 +01:00")
    log = write_log(tmp_path / "access.log", [LINES["combined"]])
    with pytest.raises(CommandError, match="No line is dated 2026-12-04: .*Pass --date or"):
        parse(str(log))
