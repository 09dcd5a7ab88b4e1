"""parse_log stores each day's downloads per file, matched to the object whose file field holds
it (one query per model) or whose URL it is; --json says the day's total."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from admin_hits.models import DownloadHits
from tests.helpers import combined, write_log
from tests.testapp.models import Article, Document

DAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db
MODELS = ["testapp.Article", "testapp.Release", "testapp.Document"]


def parse(log: Path, *args: str) -> dict:
    out = StringIO()
    call_command("parse_log", str(log), "--date", "2026-11-28", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def at(path: str, ip: str, status: int = 200, clock: str = "12:00") -> str:
    return combined(path, f"28/Nov/2026:{clock}:00 +0100", status=status, ip=ip)


@override_settings(ADMIN_HITS_MODELS=MODELS)
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_are_matched_to_their_objects(tmp_path: Path, jobs: str) -> None:
    report = Document.objects.create(title="Report", file="docs/report 2026.pdf")
    covered = Document.objects.create(title="Kit", file="docs/kit.zip", cover="covers/kit.png")
    Document.objects.create(title="Unread", file="docs/unread.pdf")
    article = Article.objects.create(title="A", slug="a")
    lines = [
        at("/media/docs/report%202026.pdf", "203.0.113.1", 206),
        at("/media/docs/report%202026.pdf", "203.0.113.1", 206, "12:01"),
        at("/media/docs/report%202026.pdf", "203.0.113.2", 304),
        at("/media/covers/kit.png", "203.0.113.3"),
        at("/media/docs/gone.pdf", "203.0.113.3"),  # no object holds it
        at("/articles/a/", "203.0.113.3"),
        at("/downloads/a.pdf", "203.0.113.3"),  # another view's file, no object's URL
    ]
    log = write_log(tmp_path / "access.log", lines)
    data = parse(log, "--jobs", jobs)
    assert data["days"][0]["downloads"] == 5
    assert data["days"][0]["views"] == 1
    rows = {
        r.path: (r.downloads, r.requests, r.content_type_id, r.object_id)
        for r in DownloadHits.objects.filter(date=DAY)
    }
    document = ContentType.objects.get_for_model(Document).pk
    assert rows == {
        "/media/docs/report%202026.pdf": (2, 3, document, str(report.pk)),
        "/media/covers/kit.png": (1, 1, document, str(covered.pk)),
        "/media/docs/gone.pdf": (1, 1, None, ""),
        "/downloads/a.pdf": (1, 1, None, ""),
    }
    assert article.pk


@override_settings(ADMIN_HITS_MODELS=MODELS)
def test_one_query_per_model_with_file_fields(tmp_path: Path) -> None:
    for i in range(30):
        Document.objects.create(title=f"D{i}", file=f"docs/{i}.pdf")
    lines = [at(f"/media/docs/{i}.pdf", f"203.0.113.{i}") for i in range(30)]
    log = write_log(tmp_path / "access.log", lines)
    with CaptureQueriesContext(connection) as queries:
        parse(log)
    looked_up = [q["sql"] for q in queries.captured_queries if "testapp_document" in q["sql"]]
    assert len(looked_up) == 1
    assert DownloadHits.objects.filter(date=DAY, content_type__isnull=False).count() == 30


def test_running_a_day_again_replaces_its_downloads(tmp_path: Path) -> None:
    log = write_log(tmp_path / "access.log", [at("/files/a.pdf", "203.0.113.1")])
    parse(log)
    parse(log)
    assert list(DownloadHits.objects.values_list("path", "downloads")) == [("/files/a.pdf", 1)]
