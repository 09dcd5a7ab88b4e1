"""manage.py hits_prune and the ``db`` live store: its rows go after two days, like cache keys."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from admin_hits.models import LiveHits

TODAY = datetime.date(2026, 11, 28)
pytestmark = pytest.mark.django_db


def day(ago: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=ago)


@pytest.fixture
def live_rows() -> None:
    for ago in (0, 1, 2, 3, 40):
        LiveHits.objects.create(date=day(ago), path_hash=f"{ago:032x}", path="/a/", views=1)


def prune(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)):
        call_command("hits_prune", *args, stdout=out)
    return out.getvalue()


def live_days() -> list[datetime.date]:
    return sorted(LiveHits.objects.values_list("date", flat=True), reverse=True)


def test_live_rows_older_than_two_days_go(live_rows) -> None:
    out = prune("--days", "30")
    assert live_days() == [day(0), day(1), day(2)]
    assert f"Deleted live counts dated before {day(2)}: LiveHits 2." in out


@override_settings(ADMIN_HITS_RETENTION_DAYS=None)
def test_live_rows_go_even_when_the_retention_keeps_everything(live_rows) -> None:
    out = prune()
    assert live_days() == [day(0), day(1), day(2)]
    assert "no daily rows are pruned" in out and "LiveHits 2" in out


def test_dry_run_counts_live_rows_and_keeps_them(live_rows) -> None:
    out = prune("--dry-run")
    assert len(live_days()) == 5
    assert f"Would delete live counts dated before {day(2)}: LiveHits 2." in out


@pytest.mark.django_db
def test_the_pipes_heartbeats_of_old_days_go_with_the_live_counts() -> None:
    from django.utils import timezone

    from admin_hits.live.stores.db import DatabaseStore
    from admin_hits.live.stores.heartbeats import Heartbeat
    from admin_hits.models import LivePipe

    today = timezone.localdate()
    for days_ago in (0, 1, 2, 10):
        DatabaseStore().beat(today - datetime.timedelta(days=days_ago), Heartbeat("w", 1, "1", 0))
    call_command("hits_prune", stdout=StringIO())
    kept = sorted((today - day).days for day in LivePipe.objects.values_list("date", flat=True))
    assert kept == [0, 1, 2]  # as the live counts: two days back
