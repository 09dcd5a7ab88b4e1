"""Model fields read by name, as fields with a column: what raw SQL and bulk writes need.

``Model._meta.get_field`` also finds the relations other models have to this one (the reverse
side of their foreign keys), which have neither a value nor a column of their own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """``model``'s own field ``name``; ``FieldDoesNotExist`` for a relation from another model
    too, as for a name the model lacks."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(f"{model._meta.label}.{name} is a relation from another model")
    return field


def column_of(field: models.Field[Any, Any]) -> str:
    """The field's column; ``ValueError`` for a field without one (a generic foreign key)."""
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column


def site_field() -> models.PositiveSmallIntegerField[int, int]:
    """The site a daily row counts (``models.sites``): 0 in a single-site configuration. Its
    database default keeps the rows written before sites existed valid, as site 0."""
    return models.PositiveSmallIntegerField(_("site"), default=0, db_default=0)
