"""parse_log over a real Apache log, checked against a count written independently here."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from admin_hits.conf import DEFAULT_ASSET_EXTENSIONS, DEFAULT_DOWNLOAD_EXTENSIONS
from admin_hits.models import PathHits
from tests.helpers import SHARED_LOG

FILES = (*DEFAULT_ASSET_EXTENSIONS, *DEFAULT_DOWNLOAD_EXTENSIONS)  # assets and downloads

pytestmark = pytest.mark.skipif(
    not SHARED_LOG.exists(), reason=f"the sample logs are not in {SHARED_LOG.parent}"
)

QUOTED = r'"((?:[^"\\]|\\.)*)"'
# A whole combined line: a line cut short (no closing quote) does not count.
LINE = re.compile(rf"^\S+ \S+ \S+ \[([^\]]+)\] {QUOTED} (\d{{3}}) \S+ {QUOTED} {QUOTED}$")


def independent_count() -> Counter[tuple[datetime.date, str]]:
    """Views per (local date, path), by the rules in the README, with none of the package's code."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    counts: Counter[tuple[datetime.date, str]] = Counter()
    for raw in SHARED_LOG.read_text(encoding="utf-8", errors="replace").splitlines():
        match = LINE.match(raw)
        if not match:
            continue
        when, request, status = match.group(1, 2, 3)
        parts = request.split(" ")
        if len(parts) != 3:
            continue
        method, target = parts[0], parts[1]
        path = target.split("?")[0].split("#")[0]
        code = int(status)
        if method != "GET" or not (200 <= code < 300 or code == 304):
            continue
        if path.startswith(("/static/", "/media/")) or not path.startswith("/"):
            continue
        last = path.rsplit("/", 1)[-1].lower()
        if "." in last and "." + last.rsplit(".", 1)[-1] in FILES:
            continue
        local = datetime.datetime.strptime(when, "%d/%b/%Y:%H:%M:%S %z").astimezone(tz)
        counts[local.date(), path] += 1
    return counts


@pytest.mark.django_db
def test_per_path_counts_match_an_independent_count() -> None:
    expected = independent_count()
    days = sorted({day for day, _ in expected})
    call_command(
        "parse_log", str(SHARED_LOG), "--since", days[0].isoformat(),
        "--until", days[-1].isoformat(), stdout=StringIO(),
    )  # fmt: skip
    stored = Counter()
    for row in PathHits.objects.all():
        stored[row.date, row.path] = row.views + getattr(row, "bot_views", 0)
    assert sum(expected.values()) > 3000  # the sample really holds page views
    assert stored == expected
