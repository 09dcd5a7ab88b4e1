"""Stored launches (``ObjectLaunch``): the same figures as the daily rows give, kept with the
days by ``parse_log`` (a day parsed again, a day replaced, a failed refresh, ``hits_prune``),
and the same launch curves, peers' bands, recent launches and publication days as reading the
daily rows and the admin's log."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.admin.models import ADDITION
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from admin_hits.models import Hits, LaunchLog, ObjectLaunch, PathHits
from admin_hits.models.publication import publication_dates, published_between
from admin_hits.nightly import launches as stored_launches
from admin_hits.nightly.rows import Table
from admin_hits.nightly.writing import replace_day
from admin_hits.report.editorial.launches import band, launches
from tests.admin.factories import add_hits, days_ago, superuser, today
from tests.nightly.test_period_totals import log_day
from tests.report.factories import add_paths
from tests.report.test_publication import log, moment
from tests.testapp.models import Article, Story

HORIZON = 30


@pytest.fixture(autouse=True)
def stories_too(settings: Any) -> None:
    """Stories (dated by their field) launch too, next to articles (dated by the admin's log)."""
    settings.ADMIN_HITS_MODELS = ["testapp.Article", "testapp.Release", "testapp.Story"]


def counted_from_rows(obj: object, published: datetime.date) -> list[int]:
    """The object's views on each of its first 30 days, added up here from its daily rows."""
    ct = ContentType.objects.get_for_model(obj)
    days = [0] * HORIZON
    for row in Hits.objects.filter(content_type=ct, object_id=str(obj.pk)):
        offset = (row.date - published).days
        if 0 <= offset < HORIZON:
            days[offset] += row.views
    return days


def assert_stored_as_counted() -> None:
    """Every stored launch with days holds its object's daily rows, and every published
    object of the models has a launch stored."""
    for model in (Article, Story):
        ids = [str(pk) for pk in model.objects.values_list("pk", flat=True)]
        dates = publication_dates(model, ids)
        ct = ContentType.objects.get_for_model(model)
        stored = {row.object_id: row for row in ObjectLaunch.objects.filter(content_type=ct)}
        assert set(stored) == set(dates), model
        for obj in model.objects.all():
            row = stored[str(obj.pk)]
            assert row.published == dates[str(obj.pk)]
            assert row.days == counted_from_rows(obj, row.published), obj


def editor() -> object:
    from django.contrib.auth.models import User

    return User.objects.filter(username="editor").first() or superuser("editor")


def article(slug: str, added_days_ago: int, daily: dict[int, int] | None = None) -> Article:
    """An article added in the admin ``added_days_ago`` days ago, with ``{days ago: views}``."""
    obj = Article.objects.create(title=slug.title(), slug=slug)
    log(obj, ADDITION, moment(days_ago(added_days_ago), 9), editor())
    add_hits(obj, daily or {})
    return obj


def story(slug: str, published_days_ago: int, daily: dict[int, int]) -> Story:
    obj = Story.objects.create(title=slug.title(), slug=slug,
                               published=moment(days_ago(published_days_ago), 10))  # fmt: skip
    add_hits(obj, daily)
    return obj


def add_launches() -> list[object]:
    """Articles dated by the admin's log and stories by their field, at many ages, with ties
    of publication day and views before, in and after their first 30 days."""
    objects: list[object] = []
    for n in range(12):
        age = 2 + 3 * n
        daily = {age - i: (n * 7 + i * 3) % 50 for i in range(-2, 40) if age - i >= 0}
        objects.append(article(f"a{n}", age, daily))
        objects.append(article(f"t{n}", age - age % 5 + 1, daily))  # same day as others
        objects.append(story(f"s{n}", age + 1, {d: v + 1 for d, v in daily.items()}))
    return objects


def report_figures() -> dict[str, object]:
    """What the report shows of the launches: curves, bands, the period's launches."""
    found: dict[str, object] = {}
    for model in (Article, Story):
        name = model.__name__
        published = published_between(model, days_ago(40), today())
        found[f"{name} published"] = list(published.items())
        found[f"{name} launches"] = {
            pk: (launch.days, launch.age)
            for pk, launch in launches(model, published, today()).items()
        }
        for days in (1, 3, 7, 30):
            peers = band(model, days, today(), exclude=list(published)[:2])
            found[f"{name} band {days}"] = (peers.peers, peers.median, peers.upper)
        found[f"{name} recent"] = list(published_between(model, None, days_ago(5), limit=7))
        ct = ContentType.objects.get_for_model(model)
        viewed = Hits.objects.filter(content_type=ct, date__gte=days_ago(6), views__gt=40)
        unviewed = published_between(model, None, days_ago(6), excluding=viewed.values("object_id"))
        assert 0 < len(unviewed) < len(published_between(model, None, days_ago(6)))
        found[f"{name} not viewed"] = list(unviewed.items())  # stale content's
    return found


@pytest.mark.django_db
def test_stored_launches_are_the_daily_rows_and_the_report_shows_the_same() -> None:
    add_launches()
    summed = report_figures()
    assert stored_launches.refresh() == 36
    assert_stored_as_counted()
    assert report_figures() == summed
    with CaptureQueriesContext(connection) as queries:
        band(Article, 7, today())
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "admin_hits_hits" not in read and "GROUP BY" not in read  # stored rows only


@pytest.mark.django_db
def test_a_refresh_again_changes_nothing_and_counts_nothing() -> None:
    add_launches()
    stored_launches.refresh()
    before = sorted(ObjectLaunch.objects.values_list("object_id", "published", "added", "days"))
    assert stored_launches.refresh() == 0
    after = sorted(ObjectLaunch.objects.values_list("object_id", "published", "added", "days"))
    assert after == before


@pytest.mark.django_db
def test_a_replaced_day_is_counted_again_with_its_new_rows() -> None:
    objects = add_launches()
    stored_launches.refresh()
    day = days_ago(4)
    rows = Table(Hits, ("date", "views", "content_type", "object_id"))
    for n, obj in enumerate(objects[::2]):
        rows.rows.append((day, 1000 + n, ContentType.objects.get_for_model(obj).pk, str(obj.pk)))
    replace_day(day, [rows])
    # In the day's transaction: the launches holding the day are read from the rows now.
    waiting = ObjectLaunch.objects.filter(days__isnull=True)
    assert set(waiting.values_list("published", flat=True)) <= {
        days_ago(n) for n in range(4, 4 + HORIZON)
    }
    assert waiting.exists()
    summed = report_figures()
    pending = waiting.count()
    assert stored_launches.refresh() == pending
    assert not ObjectLaunch.objects.filter(days__isnull=True).exists()
    assert_stored_as_counted()
    assert report_figures() == summed


@pytest.mark.django_db
def test_objects_added_after_the_refresh_are_read_from_the_log() -> None:
    add_launches()
    stored_launches.refresh()
    late = article("late", 3, {3: 50, 2: 5})
    again = Article.objects.get(slug="a0")  # added again, later: keeps its first day
    log(again, ADDITION, moment(days_ago(1), 9), editor())
    assert publication_dates(Article, [str(late.pk), str(again.pk)]) == {
        str(late.pk): days_ago(3), str(again.pk): days_ago(2)}  # fmt: skip
    summed = report_figures()
    LaunchLog.objects.all().delete()  # the admin's log read whole, as before anything stored
    assert report_figures() == summed


@pytest.mark.django_db
def test_a_changed_publication_day_is_counted_again() -> None:
    add_launches()
    stored_launches.refresh()
    moved = Story.objects.get(slug="s3")
    moved.published = moment(days_ago(6), 8)
    moved.save()
    summed = report_figures()  # the report reads the moved story's rows until the refresh
    stored_launches.refresh()
    assert_stored_as_counted()
    assert report_figures() == summed


def stored_of(obj: Article) -> ObjectLaunch:
    ct = ContentType.objects.get_for_model(obj)
    return ObjectLaunch.objects.get(content_type=ct, object_id=str(obj.pk))


def parse(path: Path, day: datetime.date) -> None:
    call_command("parse_log", str(path), "--date", day.isoformat(), stdout=StringIO())


def snapshot() -> list[tuple]:
    return sorted(ObjectLaunch.objects.values_list("object_id", "published", "added", "days"))


@pytest.mark.django_db
def test_parse_log_keeps_them_and_a_rerun_gives_the_same_rows(tmp_path: Path) -> None:
    add_launches()
    day = days_ago(2)
    first = log_day(tmp_path, day, {"/articles/a0/": 7, "/articles/t3/": 2}, "one.log")
    parse(first, day)
    assert_stored_as_counted()
    once = snapshot()
    parse(first, day)
    assert snapshot() == once
    second = log_day(tmp_path, day, {"/articles/a1/": 4}, "two.log")  # the day replaced
    parse(second, day)
    assert_stored_as_counted()
    assert stored_of(Article.objects.get(slug="a0")).days[0] == 0


@pytest.mark.django_db
def test_a_failed_refresh_leaves_the_report_reading_the_rows(tmp_path: Path) -> None:
    add_launches()
    stored_launches.refresh()
    day = days_ago(2)
    log_file = log_day(tmp_path, day, {"/articles/a0/": 9}, "one.log")
    with (
        mock.patch.object(stored_launches, "_count", side_effect=DatabaseError("disk full")),
        pytest.raises(CommandError, match="days were written.*disk full"),
    ):
        parse(log_file, day)
    a0 = Article.objects.get(slug="a0")
    assert stored_of(a0).days is None
    launch = launches(Article, {str(a0.pk): days_ago(2)}, today())[str(a0.pk)]
    assert launch.days[:1] == [9]
    parse(log_file, day)
    assert_stored_as_counted()


@pytest.mark.django_db
def test_hits_prune_keeps_them_as_counted() -> None:
    add_launches()
    stored_launches.refresh()
    call_command("hits_prune", "--days", "20", "--hits", stdout=StringIO())
    assert not Hits.objects.filter(date__lt=days_ago(20)).exists()
    assert_stored_as_counted()


@pytest.mark.django_db
def test_hits_prune_of_detail_rows_only_counts_nothing_again() -> None:
    add_launches()
    add_paths("/old/", {40: 3})
    stored_launches.refresh()
    before = snapshot()
    with mock.patch.object(stored_launches, "refresh") as refresh:
        call_command("hits_prune", "--days", "20", stdout=StringIO())
    assert not PathHits.objects.filter(path="/old/").exists()
    assert snapshot() == before
    refresh.assert_not_called()
