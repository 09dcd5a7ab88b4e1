"""manage.py hits_prune: detail rows older than the retention go, daily Hits stay."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings

from admin_hits.models import (
    AICrawlerHits,
    AudienceHits,
    BotHits,
    CampaignHits,
    DayTotals,
    DownloadHits,
    Hits,
    HourHits,
    LandingHits,
    LandingReferrerHits,
    NotFoundHits,
    ObjectAudience,
    PageDelivery,
    PathHits,
    ReferrerHits,
    SearchHits,
    SiteDelivery,
    StatusHits,
    VisitLengths,
    VisitTotals,
)
from tests.testapp.models import Article

TODAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db


def day(ago: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=ago)


@pytest.fixture
def rows():
    article = Article.objects.create(title="A", slug="a")
    ct = ContentType.objects.get_for_model(Article)
    for ago in (0, 10, 30, 31, 400):
        date = day(ago)
        Hits.objects.create(date=date, views=1, content_type=ct, object_id=str(article.pk))
        DayTotals.objects.create(date=date, views=1)
        PathHits.objects.create(date=date, path="/a/", views=1)
        ReferrerHits.objects.create(date=date, path="/a/", host="x.example", url="", views=1)
        SearchHits.objects.create(date=date, path="/a/", engine="Google", views=1)
        CampaignHits.objects.create(date=date, path="/a/", source="s", views=1)
        StatusHits.objects.create(date=date, status=200, views=1)
        NotFoundHits.objects.create(date=date, path="/b/", hits=1)
        BotHits.objects.create(date=date, bot="Googlebot", hits=1)
        LandingHits.objects.create(date=date, path="/a/", visits=1)
        LandingReferrerHits.objects.create(date=date, path="/a/", host="x.example", visits=1)
        DownloadHits.objects.create(date=date, path="/a.pdf", downloads=1)
        VisitLengths.objects.create(date=date, minutes=3, visits=1)
        VisitTotals.objects.create(date=date, visits=1)
        AudienceHits.objects.create(date=date, dimension="browser", name="Firefox", views=1)
        HourHits.objects.create(date=date, hour=9, views=1)
        ObjectAudience.objects.create(date=date, content_type=ct, object_id="1", views=1)
        AICrawlerHits.objects.create(date=date, bot="GPTBot", views=1)
        PageDelivery.objects.create(date=date, path="/a/", requests=1, bytes=10)
        SiteDelivery.objects.create(date=date, requests=1, bytes=10)


DETAILS = (PathHits, ReferrerHits, SearchHits, CampaignHits, StatusHits, NotFoundHits, BotHits,
           LandingHits, LandingReferrerHits, DownloadHits, VisitLengths, AudienceHits, HourHits,
           ObjectAudience, AICrawlerHits, PageDelivery)  # fmt: skip


def prune(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)):
        call_command("hits_prune", *args, stdout=out)
    return out.getvalue()


def test_detail_rows_older_than_the_days_go(rows) -> None:
    out = prune("--days", "30")
    for model in DETAILS:
        assert sorted(model.objects.values_list("date", flat=True)) == [day(30), day(10), day(0)]
    assert Hits.objects.count() == DayTotals.objects.count() == VisitTotals.objects.count() == 5
    assert SiteDelivery.objects.count() == 5
    assert "PathHits 2" in out and "BotHits 2" in out and "DownloadHits 2" in out


def test_hits_go_only_when_asked(rows) -> None:
    prune("--days", "30", "--hits")
    assert Hits.objects.count() == DayTotals.objects.count() == VisitTotals.objects.count() == 3
    assert SiteDelivery.objects.count() == 3


@override_settings(ADMIN_HITS_RETENTION_DAYS=365)
def test_the_setting_is_the_default(rows) -> None:
    prune()
    assert PathHits.objects.count() == 4


def test_dry_run_deletes_nothing(rows) -> None:
    out = prune("--days", "1", "--dry-run")
    assert "Would delete" in out and "PathHits 4" in out
    assert PathHits.objects.count() == 5


@override_settings(ADMIN_HITS_RETENTION_DAYS=None)
def test_no_retention_keeps_everything(rows) -> None:
    assert "no daily rows are pruned" in prune()
    assert PathHits.objects.count() == 5


def test_days_must_be_positive(rows) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        prune("--days", "0")


def test_a_retention_longer_than_the_calendar_keeps_everything(rows) -> None:
    prune("--days", "1000000")  # before year 1: no day is older
    assert PathHits.objects.count() == 5
