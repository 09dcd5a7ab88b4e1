"""The registered URL rules: which object a URL name shows, for views that are not
DetailViews (``register_url``, ``ADMIN_HITS_URLS``), checked where they are read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.module_loading import import_string

from admin_hits.conf import settings
from admin_hits.exceptions import ConfigurationError

ObjectFinder = Callable[[dict[str, Any]], models.Model | None]

_registry: dict[str, URLRule] = {}


@dataclass(frozen=True)
class URLRule:
    """How to find the object behind a URL name: ``fields`` maps URL kwargs to model fields."""

    model: type[models.Model] | None = None
    fields: tuple[tuple[str, str], ...] = ()
    finder: ObjectFinder | None = None


def register_url(
    url_name: str,
    model: type[models.Model] | str | None = None,
    fields: dict[str, str] | None = None,
    finder: ObjectFinder | None = None,
) -> None:
    """Tell admin_hits which object a URL name shows, for views that are not DetailViews.

    ``register_url("shop:product", Product, {"sku": "sku"})`` maps the URL kwarg ``sku`` to the
    field ``sku`` (objects are then fetched in bulk). ``finder`` is a callable taking the URL
    kwargs and returning the object or None; it runs once per distinct path, so prefer fields.
    """
    if isinstance(model, str):
        model = apps.get_model(model)
    if (model is None) == (finder is None):
        raise ValueError("register_url needs either a model (with fields) or a finder")
    rule = URLRule(model, tuple((fields or {"pk": "pk"}).items()), finder)
    try:
        _check_fields(rule)
    except ConfigurationError as exc:
        raise ValueError(f"register_url({url_name!r}): {exc}") from exc
    _registry[url_name] = rule


def unregister_url(url_name: str) -> None:
    _registry.pop(url_name, None)


def _rule_from_setting(name: str, value: Any) -> URLRule:
    """The rule of an ``ADMIN_HITS_URLS`` entry; ``ConfigurationError`` names what is wrong
    (checked by ``manage.py check``, and at parse_log's start, not half-way through a night)."""
    try:
        if isinstance(value, str):
            return URLRule(finder=import_string(value))
        model = apps.get_model(value["model"])
        rule = URLRule(model, tuple(value.get("fields", {"pk": "pk"}).items()))
    except (ImportError, LookupError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigurationError(f"ADMIN_HITS_URLS[{name!r}]: {exc!r}") from exc
    try:
        _check_fields(rule)
    except ConfigurationError as exc:
        raise ConfigurationError(f"ADMIN_HITS_URLS[{name!r}]: {exc}") from exc
    return rule


def _check_fields(rule: URLRule) -> None:
    """The rule's fields are its model's own (or ``pk``): a lookup across relations, a
    relation from another model, or a name the model lacks, would stop the run at the first
    path of that URL."""
    if rule.model is None:
        return
    for _kwarg, name in rule.fields:
        if name != "pk":
            try:
                field = rule.model._meta.get_field(name)
            except FieldDoesNotExist:
                raise ConfigurationError(
                    f"{rule.model._meta.label} has no field {name!r}"
                ) from None
            if not isinstance(field, models.Field):
                raise ConfigurationError(
                    f"{rule.model._meta.label}.{name} is a relation from another model, "
                    "not a field of its own"
                )


def url_rules() -> dict[str, URLRule]:
    """Every URL rule: ``ADMIN_HITS_URLS``, then ``register_url``'s."""
    rules = {name: _rule_from_setting(name, value) for name, value in settings.URLS.items()}
    rules.update(_registry)
    return rules


def check_url_rules() -> None:
    """Raise ``ConfigurationError`` if an ``ADMIN_HITS_URLS`` entry can not be used."""
    url_rules()
