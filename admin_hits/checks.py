"""System checks for the ``ADMIN_HITS_*`` settings, with stable ids (``admin_hits.E001`` ...)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks

from admin_hits.conf import settings
from admin_hits.exceptions import AdminHitsError


@checks.register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    errors += _check_log_format()
    errors += _check_models()
    errors += _check_store_url()
    return errors


def _check_log_format() -> list[checks.CheckMessage]:
    from admin_hits.logs import LineParser

    try:
        LineParser(settings.LOG_FORMAT)
    except AdminHitsError as exc:
        return [
            checks.Error(
                f"ADMIN_HITS_LOG_FORMAT can not be used: {exc}",
                hint="Use an apachelogs nickname such as 'combined' or an Apache LogFormat "
                "string with %t, %r (or %m and %U) and %>s.",
                id="admin_hits.E001",
            )
        ]
    return []


def _check_models() -> list[checks.CheckMessage]:
    errors = []
    for label in settings.MODELS:
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                checks.Error(
                    f"ADMIN_HITS_MODELS names {label!r}, which is not an installed model.",
                    hint="Use 'app_label.ModelName'.",
                    id="admin_hits.E002",
                )
            )
    return errors


def _check_store_url() -> list[checks.CheckMessage]:
    from admin_hits.stores import parse_store_url

    try:
        parse_store_url(settings.STORE)
    except AdminHitsError as exc:
        return [
            checks.Error(
                f"ADMIN_HITS_STORE can not be used: {exc}",
                hint="Use 'db', 'memcached://host:port[,host:port...]' or 'django-cache://alias'.",
                id="admin_hits.E003",
            )
        ]
    return []
