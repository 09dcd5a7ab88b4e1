"""Paths to model objects: Django's URL resolver, DetailView conventions and registrations.

Every distinct path is resolved once; objects are then fetched with one query per model and
lookup field, so the number of queries grows with the number of models, never with lines.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Q
from django.urls import Resolver404, get_resolver
from django.utils import translation
from django.utils.encoding import repercent_broken_unicode
from django.views.generic.detail import SingleObjectMixin

from admin_hits.models.fields import concrete_field
from admin_hits.nightly.url_rules import (
    ObjectFinder,
    URLRule,
    check_url_rules,
    register_url,
    unregister_url,
    url_rules,
)
from admin_hits.nightly.url_walk import PathLanguages, locale_prefix, plain, view_name, walk

__all__ = [
    "Match",
    "ObjectRef",
    "PathResolver",
    "check_url_rules",
    "path_info",
    "register_url",
    "unregister_url",
]

_KEY_LENGTH = 64  # Hits.object_id's max_length (migration 0001)


@dataclass(frozen=True)
class ObjectRef:
    """A counted object: its content type and primary key as text (how ``Hits`` stores it)."""

    content_type_id: int
    object_id: str


def path_info(path: str) -> str:
    """The ``request.path_info`` Django would see for a logged path (percent-decoded as Django
    does, with ``FORCE_SCRIPT_NAME`` removed)."""
    script_name = (getattr(django_settings, "FORCE_SCRIPT_NAME", None) or "").rstrip("/")
    if script_name and path.startswith(script_name + "/"):
        path = path[len(script_name) :]
    if "%" not in path and path.isascii():
        return path  # what the decoding below would give back unchanged
    raw = unquote_to_bytes(path.encode("utf-8", "surrogateescape"))
    return repercent_broken_unicode(raw).decode("utf-8", "replace")


def detail_rule(func: Any, kwargs: dict[str, Any]) -> URLRule | None:
    """A DetailView-style rule: the view declares a model (or queryset) and takes pk or slug."""
    view_class = getattr(func, "view_class", None)
    if view_class is None or not issubclass(view_class, SingleObjectMixin):
        return None
    initkwargs = getattr(func, "view_initkwargs", {})

    def attr(name: str) -> Any:
        return initkwargs.get(name, getattr(view_class, name, None))

    model = attr("model")
    if model is None and attr("queryset") is not None:
        model = attr("queryset").model
    if model is None:
        return None
    pk_kwarg, slug_kwarg = attr("pk_url_kwarg") or "pk", attr("slug_url_kwarg") or "slug"
    if pk_kwarg in kwargs:
        return URLRule(model, ((pk_kwarg, "pk"),))
    if slug_kwarg in kwargs:
        return URLRule(model, ((slug_kwarg, attr("slug_field") or "slug"),))
    return None


@dataclass
class _Lookup:
    """Pending lookups of one model by one tuple of fields: values -> paths waiting for them."""

    model: type[models.Model]
    fields: tuple[str, ...]
    wanted: dict[tuple[Any, ...], list[str]] = field(default_factory=lambda: defaultdict(list))


def _clean(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` as the field's Python value, or raise ValueError when the database would choke
    (a 20-digit id in a path must not overflow a bigint column and abort the whole run)."""
    model_field = model._meta.pk if name == "pk" else concrete_field(model, name)
    try:
        value = model_field.to_python(value)
    except ValidationError as exc:
        raise ValueError(str(exc)) from exc
    internal = model_field.get_internal_type()
    if isinstance(value, int) and ("IntegerField" in internal or internal.endswith("AutoField")):
        connection = connections[router.db_for_read(model)]
        low, high = connection.ops.integer_field_range(internal)
        if (low is not None and value < low) or (high is not None and value > high):
            raise ValueError(f"{value} is out of range for {internal}")
    return value


class Match(NamedTuple):
    """A path matched to a lookup, found without the database (so worker processes of a
    parallel parse can match paths and send the result back: everything here pickles)."""

    view_name: str
    model: str  # "app_label.model_name", or "" for a finder
    fields: tuple[str, ...]
    values: tuple[Any, ...]  # cleaned field values; for a finder, the URL kwargs' items


# Above this many rows of a model per value wanted, values are fetched in chunks of IN (...).
_SCAN_RATIO = 4
Resolved = tuple[str, Any, dict[str, Any]]  # view name, view function, URL kwargs


class PathResolver:
    """Resolve many paths to objects: ``resolve_many(paths) -> {path: ObjectRef}``.

    Two phases: ``match_many`` (URL resolver only, no query) and ``fetch`` (one query per
    model and lookup fields, in chunks).
    """

    def __init__(self, urlconf: str | None = None) -> None:
        self.resolver = get_resolver(urlconf)
        self.rules = url_rules()
        self._plain = plain(self.resolver)
        # Only a URLconf with i18n_patterns resolves differently in different languages (a
        # translated route outside them is resolved in the active language, as Django does).
        prefix = locale_prefix(self.resolver)
        self._languages = PathLanguages(prefix) if prefix is not None else None
        # DetailView rules per (view, kwarg names): the same few views serve most paths.
        self._detail_rules: dict[tuple[Any, tuple[str, ...]], URLRule | None] = {}

    def resolve(self, path: str) -> Resolved | None:
        """(view name, view function, kwargs) of a logged path, or ``None``: no URL. With
        ``i18n_patterns``, in the language Django would activate for the path (its prefix's),
        whatever language is active here (parse_log's, or the staff user's in the report)."""
        try:
            info = path_info(path)
        except ValueError:
            return None
        if self._languages is not None:
            language = self._languages.of(info)
            if language != translation.get_language():
                with translation.override(language):
                    return self._resolve(info)
        return self._resolve(info)

    def _resolve(self, info: str) -> Resolved | None:
        try:
            if not self._plain:
                resolved = self.resolver.resolve(info)
                return resolved.view_name, resolved.func, resolved.kwargs
            found = walk(self.resolver, info)
        except (Resolver404, ValueError):
            return None
        if found is None:
            return None
        func, kwargs, name, namespaces = found
        return view_name(func, name, namespaces), func, kwargs

    def resolve_many(self, paths: Iterable[str]) -> dict[str, ObjectRef]:
        return self.fetch(self.match_many(paths))

    def match_many(self, paths: Iterable[str]) -> dict[str, Match]:
        matches = {}
        for language, group in self._by_language(set(paths)).items():
            # One switch of language per group, not one per path (each costs microseconds).
            with translation.override(language) if language else nullcontext():
                for path in group:
                    match = self.match(path)
                    if match is not None:
                        matches[path] = match
        return matches

    def _by_language(self, paths: Iterable[str]) -> dict[str | None, list[str]]:
        """``paths`` by the language to resolve them in (None: the active one will do)."""
        if self._languages is None:
            return {None: list(paths)}
        groups: dict[str | None, list[str]] = defaultdict(list)
        for path in paths:
            try:
                groups[self._languages.of(path_info(path))].append(path)
            except ValueError:
                groups[None].append(path)  # resolves to nothing in any language
        return groups

    def match(self, path: str) -> Match | None:
        resolved = self.resolve(path)
        if resolved is None:
            return None
        name, func, kwargs = resolved
        rule = self.rules.get(name) or self._detail_rule(func, kwargs)
        if rule is None:
            return None
        if rule.finder is not None:
            return Match(name, "", (), tuple(sorted(kwargs.items())))
        assert rule.model is not None
        try:
            values = tuple(_clean(rule.model, f, kwargs[k]) for k, f in rule.fields)
        except (KeyError, ValueError):
            return None
        fields = tuple(f for _, f in rule.fields)
        return Match(name, rule.model._meta.label_lower, fields, values)

    def _detail_rule(self, func: Any, kwargs: dict[str, Any]) -> URLRule | None:
        key = (func, tuple(kwargs))
        try:
            return self._detail_rules[key]
        except KeyError:
            rule = self._detail_rules[key] = detail_rule(func, kwargs)
        except TypeError:  # a view that can not be a dict key
            rule = detail_rule(func, kwargs)
        return rule

    def fetch(self, matches: dict[str, Match]) -> dict[str, ObjectRef]:
        lookups: dict[tuple[str, tuple[str, ...]], _Lookup] = {}
        found: dict[str, ObjectRef] = {}
        for path, match in matches.items():
            if not match.model:
                ref = self._find_one(self.rules[match.view_name].finder, dict(match.values))
                if ref is not None:
                    found[path] = ref
                continue
            key = (match.model, match.fields)
            if key not in lookups:
                lookups[key] = _Lookup(apps.get_model(match.model), match.fields)
            lookups[key].wanted[match.values].append(path)
        for lookup in lookups.values():
            found.update(self._fetch(lookup))
        # Hits keeps an object's key as text of at most 64 characters (its object_id): an
        # object whose key is longer can have no row, and writing one would fail the day.
        # Its paths are counted as paths, as those of no object.
        return {path: ref for path, ref in found.items() if len(ref.object_id) <= _KEY_LENGTH}

    @staticmethod
    def _find_one(finder: ObjectFinder | None, kwargs: dict[str, Any]) -> ObjectRef | None:
        obj = finder(kwargs) if finder is not None else None
        if obj is None:
            return None
        ct = ContentType.objects.get_for_model(obj)
        return ObjectRef(ct.pk, str(obj.pk))

    @staticmethod
    def _fetch(lookup: _Lookup) -> dict[str, ObjectRef]:
        ct = ContentType.objects.get_for_model(lookup.model)
        manager = lookup.model._default_manager
        # As many values per query as the database takes (SQLite: 999 parameters).
        limit = connections[router.db_for_read(lookup.model)].features.max_query_params
        chunk = max(1, min(limit or 5000, 5000) // len(lookup.fields))
        found: dict[str, ObjectRef] = {}
        wanted = list(lookup.wanted)
        if len(wanted) > chunk and manager.count() <= _SCAN_RATIO * len(wanted):
            # Most of the table is wanted (a busy day of a site with a long tail): one pass
            # over it costs less than a query per chunk of values.
            rows = manager.values_list("pk", *lookup.fields).iterator(chunk_size=10_000)
            return _found(lookup, ct.pk, rows)
        for start in range(0, len(wanted), chunk):
            part = wanted[start : start + chunk]
            if len(lookup.fields) == 1:
                query = Q(**{f"{lookup.fields[0]}__in": [v[0] for v in part]})
            else:
                pairs = (dict(zip(lookup.fields, v, strict=True)) for v in part)
                query = reduce(operator.or_, (Q(**p) for p in pairs))
            found.update(
                _found(lookup, ct.pk, manager.filter(query).values_list("pk", *lookup.fields))
            )
        return found


def _found(lookup: _Lookup, content_type_id: int, rows: Iterable[Any]) -> dict[str, ObjectRef]:
    """The paths waiting for each of ``rows`` (pk, *lookup fields) with their object."""
    found: dict[str, ObjectRef] = {}
    wanted = lookup.wanted
    for row in rows:
        for path in wanted.get(tuple(row[1:]), ()):
            found[path] = ObjectRef(content_type_id, str(row[0]))
    return found
