"""Objects, users and hits for the admin tests."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from admin_hits.live.stores import get_store
from admin_hits.models import Hits


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(n: int) -> datetime.date:
    return today() - datetime.timedelta(days=n)


def add_hits(obj: models.Model, views_by_days_ago: dict[int, int]) -> None:
    """``{days_ago: views}`` rows for ``obj``, as parse_log would write them."""
    ct = ContentType.objects.get_for_model(obj)
    Hits.objects.bulk_create(
        Hits(content_type=ct, object_id=str(obj.pk), date=days_ago(n), views=views)
        for n, views in views_by_days_ago.items()
    )


def add_live(obj: models.Model, views: int) -> None:
    """Today's views of ``obj`` in the live store, as the pipe would add them."""
    store = get_store()
    store.add(today(), {obj.get_absolute_url(): views})
    store.close()


def staff(username: str, *perms: str) -> User:
    """A staff user with the given ``app_label.codename`` permissions."""
    user = User.objects.create_user(username, password="x", is_staff=True)
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def superuser(username: str = "boss") -> User:
    return User.objects.create_superuser(username, f"{username}@example.com", "x")
