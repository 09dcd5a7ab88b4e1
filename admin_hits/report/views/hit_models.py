"""The models and objects the report's URLs name by content type: the models whose admin
shows hits (the top objects table's filter), and the drill-down's object."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import gettext

from admin_hits.models import Hits
from admin_hits.report.naming import may_view_model
from admin_hits.report.sections import Section
from admin_hits.report.views.links import Link, query_url


def hits_models(site: admin.AdminSite) -> dict[int, type[models.Model]]:
    """``{content type id: model}`` of the models whose admin on ``site`` shows hits."""
    # ``shows_hits`` is set by the admin's ``HitsAdminMixin``; the report sits below the admin
    # layer and asks the attribute rather than importing the class.
    chosen = [m for m, a in site._registry.items() if getattr(a, "shows_hits", False)]
    types = ContentType.objects.get_for_models(*chosen) if chosen else {}
    return {ct.pk: model for model, ct in types.items()}


def model_key(section: Section) -> str:
    return f"{section.slug}-model"


def chosen_model(
    choices: dict[int, type[models.Model]], params: QueryDict, section: Section
) -> ContentType | None:
    """The model picked by ``?<slug>-model=<content type id>``, when it is one of ``choices``."""
    value = params.get(model_key(section), "")
    if not value.isdigit() or int(value) not in choices:
        return None
    return ContentType.objects.get_for_id(int(value))


def model_filters(
    choices: dict[int, type[models.Model]],
    params: QueryDict,
    chosen: ContentType | None,
    key: str,
) -> list[Link]:
    """ "All" and one link per model, for the top objects table (none for a single model)."""
    if len(choices) < 2:
        return []
    links = [Link(gettext("All"), query_url(params, **{key: None}), chosen is None)]
    by_name = sorted(choices.items(), key=lambda item: str(item[1]._meta.verbose_name_plural))
    for type_id, model in by_name:
        selected = chosen is not None and chosen.pk == type_id
        links.append(
            Link(
                model._meta.verbose_name_plural or "", query_url(params, **{key: type_id}), selected
            )
        )
    return links


def object_of(type_id: int, object_pk: str) -> tuple[ContentType, models.Model | None]:
    """The object a drill-down URL names; None when it is gone (its rows may remain).

    Raises ``ContentType.DoesNotExist`` for an unknown content type.
    """
    ct = ContentType.objects.get_for_id(type_id)
    model = ct.model_class()
    if model is None:
        return ct, None
    try:
        return ct, model._default_manager.get(pk=model._meta.pk.to_python(object_pk))
    except (ObjectDoesNotExist, ValidationError):  # the model's DoesNotExist is one
        return ct, None


def reported_object(
    request: HttpRequest, site: admin.AdminSite, type_id: int, object_pk: str
) -> models.Model | None:
    """The object a drill-down URL names, None when it is gone but its rows remain.

    Only objects the report shows anyway: those with ``Hits`` rows (named or not, as
    ``admin_hits.report.naming`` decides), and objects of a model whose admin on ``site``
    shows hits, for users who may view that model. Any other object of any model (a user, an
    unpublished article without views) is 404, whether it exists or not: counting ids through
    would tell which exist.
    """
    try:
        ct, obj = object_of(type_id, object_pk)
    except ContentType.DoesNotExist:
        raise Http404 from None
    if Hits.objects.filter(content_type_id=type_id, object_id=object_pk).exists():
        return obj
    if (
        obj is not None
        and type_id in hits_models(site)
        and may_view_model(request, site, ct.model_class())
    ):
        return obj
    raise Http404
