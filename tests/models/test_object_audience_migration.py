"""Migration 0014: the objects' AudienceHits and HourHits rows become one ObjectAudience row
per object, day and site, with the same figures; the site's rows stay; and back."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("admin_hits", "0016_delivery_months")]
AFTER = [("admin_hits", "0017_object_audience")]
DAY = datetime.date(2026, 11, 20)
# (object id, site, dimension, name, views) and (object id, site, hour, views) of DAY.
NAMES = [
    ("1", 0, "browser", "Chrome", 5), ("1", 0, "browser", "Other", 2),
    ("1", 0, "country", "DE", 7), ("2", 0, "device", "mobile", 3), ("1", 2, "os", "iOS", 4),
]  # fmt: skip
HOURS = [("1", 0, 9, 3), ("1", 0, 23, 4), ("2", 0, 0, 3), ("1", 2, 12, 4)]


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_objects_rows_become_one_row_each_with_the_same_figures() -> None:
    apps = migrate(BEFORE)
    ct = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="testapp", model="article"
    )[0]
    names = apps.get_model("admin_hits", "AudienceHits")
    hours = apps.get_model("admin_hits", "HourHits")
    for oid, site, dimension, name, views in NAMES:
        names.objects.create(date=DAY, content_type_id=ct.pk, object_id=oid, site=site,
                             dimension=dimension, name=name, views=views)  # fmt: skip
    for oid, site, hour, views in HOURS:
        hours.objects.create(date=DAY, content_type_id=ct.pk, object_id=oid, site=site,
                             hour=hour, views=views)  # fmt: skip
    names.objects.create(date=DAY, dimension="browser", name="Chrome", views=99)  # the site's
    hours.objects.create(date=DAY, hour=9, views=99)
    try:
        apps = migrate(AFTER)
        rows = apps.get_model("admin_hits", "ObjectAudience").objects.order_by("object_id", "site")
        got = {(r.object_id, r.site): (r.views, json.loads(r.hours), json.loads(r.names))
               for r in rows}  # fmt: skip
        expected = {}
        for key in {(oid, site) for oid, site, *_ in NAMES + HOURS}:
            own_hours = [0] * 24
            for oid, site, hour, views in HOURS:
                if (oid, site) == key:
                    own_hours[hour] += views
            own_names: dict = {}
            for oid, site, dimension, name, views in NAMES:
                if (oid, site) == key:
                    own_names.setdefault(dimension, {})[name] = views
            expected[key] = (sum(own_hours), own_hours, own_names)
        assert got == expected
        names = apps.get_model("admin_hits", "AudienceHits")
        hours = apps.get_model("admin_hits", "HourHits")
        assert list(names.objects.values_list("content_type", "views")) == [(None, 99)]
        assert list(hours.objects.values_list("content_type", "views")) == [(None, 99)]
        apps = migrate(BEFORE)
        names = apps.get_model("admin_hits", "AudienceHits")
        hours = apps.get_model("admin_hits", "HourHits")
        back = names.objects.filter(content_type__isnull=False)
        assert sorted(back.values_list("object_id", "site", "dimension", "name", "views")) == (
            sorted(NAMES)
        )
        back_hours = hours.objects.filter(content_type__isnull=False)
        assert sorted(back_hours.values_list("object_id", "site", "hour", "views")) == sorted(HOURS)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
