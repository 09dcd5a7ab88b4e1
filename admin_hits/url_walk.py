"""Django's URL resolution for many logged paths: ``walk`` finds what
``URLResolver.resolve`` finds, without what that builds for error pages and requests.

Resolving tens of thousands of distinct paths a night is a measurable part of ``parse_log``:
Django's ``resolve`` makes a ``ResolverMatch`` per level and, for every miss (most logged
paths of a site with a long tail of 404s and probes), a list of every pattern tried and an
exception. ``PathResolver`` uses ``walk`` when ``plain`` says the URLconf holds Django's own
classes only, and Django's ``resolve`` otherwise; a test holds both to the same answers.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver


def plain(resolver: URLResolver) -> bool:
    """Whether every node of the URLconf is Django's own class (none overrides ``resolve``)."""
    for pattern in resolver.url_patterns:
        if type(pattern) is URLResolver:
            if not plain(pattern):
                return False
        elif type(pattern) is not URLPattern:
            return False
    return True


def walk(resolver: URLResolver, path: str) -> tuple[Any, dict[str, Any], Any, list[Any]] | None:
    """``URLResolver.resolve`` without what it builds for error pages and ``request``: no
    ``ResolverMatch`` per level, no list of the patterns tried, no exception for a miss (most
    of its cost, and most logged paths of a site with a long tail of 404s are misses). Same
    order, same kwargs: (view function, kwargs, URL name, namespaces)."""
    match = resolver.pattern.match(path)
    if not match:
        return None
    new_path, _, kwargs = match
    for pattern in resolver.url_patterns:
        if type(pattern) is URLPattern:
            found = pattern.pattern.match(new_path)
            if not found:
                continue
            sub = (pattern.callback, {**found[2], **pattern.default_args}, pattern.pattern.name, [])
        else:
            sub = walk(pattern, new_path)
            if sub is None:
                continue
        func, sub_kwargs, name, namespaces = sub
        merged = {**kwargs, **resolver.default_kwargs, **sub_kwargs}
        return func, merged, name, [resolver.namespace, *namespaces]
    return None


def view_name(func: Any, name: str | None, namespaces: list[Any]) -> str:
    """``ResolverMatch.view_name``: namespaces and the URL name, or the view's dotted path."""
    if not name:
        view = getattr(func, "view_class", func)
        owner = view if hasattr(view, "__name__") else view.__class__
        name = f"{owner.__module__}.{owner.__name__}"
    return ":".join([*filter(None, namespaces), name])
