"""Per-owner scope: each user sees the figures of their own objects only.

``ADMIN_HITS_OBJECT_SCOPE`` names a callable ``(user, model, queryset) -> queryset`` that
narrows the objects of ``model`` a user may see figures for (say, the press releases of the
user's company). With it, every user but superusers is *scoped*: the report, the drill-down,
the changelist columns, the inline, CSV and JSON exports and the e-mails show only the objects
it lets through, the totals are theirs, and the site-wide rows (unmatched paths, status codes,
404s, bots, the site's visitors) are not shown at all. Without it, Django's view permission per
model decides, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.module_loading import import_string

from admin_hits.conf import settings
from admin_hits.models.expressions import pk_as_text

ScopeFunction = Callable[[Any, type[models.Model], models.QuerySet], models.QuerySet]
Ref = tuple[int, str]


@lru_cache(maxsize=8)
def _imported(path: str) -> ScopeFunction:
    function: ScopeFunction = import_string(path)  # a setting names it
    return function


def scope_function() -> ScopeFunction | None:
    path = settings.OBJECT_SCOPE
    return _imported(path) if path else None


@dataclass
class Owner:
    """The objects one scoped user may see figures for, among the ``chosen`` models."""

    user: Any
    function: ScopeFunction
    chosen: dict[int, type[models.Model]]  # content type id: model, of the site's models
    _allowed: dict[Ref, bool] = field(default_factory=dict, repr=False)

    def visible(self, model: type[models.Model]) -> models.QuerySet:
        """The objects of ``model`` this user may see figures for."""
        return self.function(self.user, model, model._default_manager.all())

    @property
    def condition(self) -> Q:
        """Rows of any table keyed by ``content_type`` and ``object_id`` (``Hits``, paths,
        referrers, totals) that belong to visible objects; nothing else."""
        condition = Q(pk__in=[])
        for type_id, model in self.chosen.items():
            ids = self.visible(model).order_by().annotate(text=pk_as_text(model, "pk"))
            condition |= Q(content_type_id=type_id, object_id__in=ids.values("text"))
        return condition

    def allows(self, type_id: int, object_pk: str) -> bool:
        return (type_id, object_pk) in self.allowed([(type_id, object_pk)])

    def allowed(self, refs: Iterable[Ref]) -> set[Ref]:
        """The ``refs`` (content type id, pk as text) this user may see, one query per model."""
        refs = list(refs)
        wanted: dict[int, set[str]] = {}
        for ref in refs:
            if ref not in self._allowed:
                wanted.setdefault(ref[0], set()).add(ref[1])
        for type_id, ids in wanted.items():
            model = self.chosen.get(type_id)
            found: set[str] = set()
            if model is not None:
                rows = self.visible(model).annotate(text=pk_as_text(model, "pk"))
                found = set(rows.filter(text__in=ids).values_list("text", flat=True))
            self._allowed.update(((type_id, pk), pk in found) for pk in ids)
        return {ref for ref in refs if self._allowed.get(ref)}


def owner_for(user: Any, chosen_models: Callable[[], Iterable[type[models.Model]]]) -> Owner | None:
    """``user``'s scope over the models ``chosen_models()`` gives (those whose figures the
    site shows; asked only when scoped), or None when ``user`` sees every object (no
    ``ADMIN_HITS_OBJECT_SCOPE``, or a superuser)."""
    function = scope_function()
    if function is None or getattr(user, "is_superuser", False):
        return None
    chosen = list(chosen_models())
    found = ContentType.objects.get_for_models(*chosen) if chosen else {}
    return Owner(user, function, {ct.pk: model for model, ct in found.items()})
