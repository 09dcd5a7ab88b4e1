"""The models a URLconf shows objects of: those ``PathResolver`` resolves its paths to.

Read from the URLconf's patterns, without a path or a query: each pattern whose view is a
DetailView of a model taking its ``pk`` or ``slug`` (``detail_rule``), or whose URL name has a
rule of a model (``register_url``, ``ADMIN_HITS_URLS``) with the URL kwargs the rule reads,
shows that model's objects, as ``parse_log`` counts them. A rule with a finder names no model:
which objects it finds is known only by calling it (``ServedModels.finders``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import get_resolver

from admin_hits.nightly.resolvers import detail_rule
from admin_hits.nightly.url_rules import url_rules
from admin_hits.nightly.url_walk import view_name


@dataclass(frozen=True)
class ServedModels:
    """The models of a URLconf's patterns (``label_lower``), and whether some pattern finds
    its object with a finder (then of a model none of these may be)."""

    labels: frozenset[str]
    finders: bool


def served_models(urlconf: str | None = None) -> ServedModels:
    """The models ``urlconf``'s paths resolve to (None: ``ROOT_URLCONF``)."""
    rules = url_rules()
    labels: set[str] = set()
    finders = False
    for name, func, kwargs in _views(get_resolver(urlconf), [], frozenset()):
        rule = rules.get(name) or detail_rule(func, dict.fromkeys(kwargs))
        if rule is None:
            continue
        if rule.finder is not None:
            finders = True
        elif rule.model is not None and all(k in kwargs for k, _ in rule.fields):
            labels.add(rule.model._meta.label_lower)
    return ServedModels(frozenset(labels), finders)


def _views(
    resolver: Any, namespaces: list[str | None], kwargs: frozenset[str]
) -> Iterator[tuple[str, Any, frozenset[str]]]:
    """(view name, view, URL kwarg names) of each pattern under ``resolver``, the names of the
    routes above it and their default kwargs included (as ``walk`` merges them)."""
    for pattern in resolver.url_patterns:
        names = kwargs | _kwarg_names(pattern.pattern)
        if hasattr(pattern, "url_patterns"):  # an include()
            names |= set(getattr(pattern, "default_kwargs", {}))
            yield from _views(pattern, [*namespaces, pattern.namespace], names)
            continue
        callback = getattr(pattern, "callback", None)
        if callback is not None:
            names |= set(getattr(pattern, "default_args", {}))
            yield view_name(callback, pattern.name, namespaces), callback, names


def _kwarg_names(pattern: Any) -> frozenset[str]:
    """The named groups of a route or regex (a route's converters are named groups)."""
    regex = getattr(pattern, "regex", None)
    return frozenset(getattr(regex, "groupindex", {}))
