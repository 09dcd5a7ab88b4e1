"""Migration 0019: the month totals stored before the sites had theirs stay, as every site's
(site -1), with their stamps; and back."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("admin_hits", "0018_landing_totals")]
AFTER = [("admin_hits", "0019_site_month_totals")]
MONTH = datetime.date(2026, 9, 1)
REFRESHED = datetime.datetime(2026, 10, 1, 3, 0, tzinfo=datetime.UTC)


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def add_rows(apps) -> int:
    """A month as a version before 0019 stored it; returns the content type's id."""
    ct = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="testapp", model="article"
    )[0]
    model = lambda name: apps.get_model("admin_hits", name)  # noqa: E731
    model("MonthTotals").objects.create(month=MONTH, refreshed=REFRESHED)
    model("ObjectMonthTotals").objects.create(month=MONTH, content_type_id=ct.pk, object_id="7",
                                              views=40)  # fmt: skip
    model("PathMonthTotals").objects.create(month=MONTH, path_hash="h", path="/a/", views=41,
                                            content_type_id=ct.pk, object_id="7")  # fmt: skip
    model("LandingMonthTotals").objects.create(month=MONTH, path_hash="h", path="/a/", visits=9,
                                               bounces=2, exits=3)  # fmt: skip
    model("SiteDeliveryMonth").objects.create(month=MONTH, requests=50, bytes=900, sketch=b"x")
    model("PageDeliveryMonth").objects.create(month=MONTH, path_hash="h", path="/a/",
                                              requests=45, sketch=b"y")  # fmt: skip
    return ct.pk


def stored(apps, *, with_site: bool) -> dict[str, list[tuple]]:
    names = {
        "MonthTotals": ("month", "refreshed"),
        "ObjectMonthTotals": ("month", "content_type_id", "object_id", "views"),
        "PathMonthTotals": ("month", "path", "object_id", "views"),
        "LandingMonthTotals": ("month", "path", "visits", "bounces", "exits"),
        "SiteDeliveryMonth": ("month", "requests", "bytes", "sketch"),
        "PageDeliveryMonth": ("month", "path", "requests", "sketch"),
    }
    site = ("site",) if with_site else ()
    return {
        name: [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
               for row in apps.get_model("admin_hits", name).objects.values_list(*fields, *site)]
        for name, fields in names.items()
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_stored_months_become_every_sites_and_back() -> None:
    apps = migrate(BEFORE)
    ct = add_rows(apps)
    before = stored(apps, with_site=False)
    try:
        apps = migrate(AFTER)
        after = stored(apps, with_site=True)
        assert after == {name: [(*row, -1) for row in rows] for name, rows in before.items()}
        # A site's own month beside every site's (the new keys allow it), gone going back.
        model = lambda name: apps.get_model("admin_hits", name)  # noqa: E731
        model("MonthTotals").objects.create(month=MONTH, site=2, refreshed=REFRESHED)
        model("ObjectMonthTotals").objects.create(month=MONTH, site=2, content_type_id=ct,
                                                  object_id="7", views=4)  # fmt: skip
        model("SiteDeliveryMonth").objects.create(month=MONTH, site=2, requests=5)
        apps = migrate(BEFORE)
        assert stored(apps, with_site=False) == before
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
