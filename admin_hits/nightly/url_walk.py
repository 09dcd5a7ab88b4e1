"""Django's URL resolution for many logged paths: ``walk`` finds what
``URLResolver.resolve`` finds, without what that builds for error pages and requests.

Resolving tens of thousands of distinct paths a night is a measurable part of ``parse_log``:
Django's ``resolve`` makes a ``ResolverMatch`` per level and, for every miss (most logged
paths of a site with a long tail of 404s and probes), a list of every pattern tried and an
exception. ``PathResolver`` uses ``walk`` when ``plain`` says the URLconf holds Django's own
classes only, and Django's ``resolve`` otherwise; a test holds both to the same answers.

Either way the answer depends on the active language when the URLconf has ``i18n_patterns``
(only the active language's prefix matches, translated routes match in it): ``PathLanguages``
says which language Django's ``LocaleMiddleware`` would activate for a path.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.conf import settings
from django.urls import LocalePrefixPattern, URLPattern, URLResolver
from django.utils.translation import get_language_from_path, get_supported_language_variant

# Distinct first path segments remembered by ``PathLanguages`` (a site has a few; probes and
# junk may bring many more, so the memo is emptied when it reaches this size).
_LANGUAGES_LIMIT = 25_000


def plain(resolver: URLResolver) -> bool:
    """Whether every node of the URLconf is Django's own class (none overrides ``resolve``)."""
    for pattern in resolver.url_patterns:
        if type(pattern) is URLResolver:
            if not plain(pattern):
                return False
        elif type(pattern) is not URLPattern:
            return False
    return True


Found = tuple[Any, dict[str, Any], Any, list[Any]]


def walk(resolver: URLResolver, path: str) -> Found | None:
    """``URLResolver.resolve`` without what it builds for error pages and ``request``: no
    ``ResolverMatch`` per level, no list of the patterns tried, no exception for a miss (most
    of its cost, and most logged paths of a site with a long tail of 404s are misses). Same
    order, same kwargs: (view function, kwargs, URL name, namespaces)."""
    match = resolver.pattern.match(path)
    if not match:
        return None
    new_path, _, kwargs = match
    sub: Found | None
    for pattern in resolver.url_patterns:
        # Called when ``plain`` holds: each node is exactly a URLPattern or a URLResolver.
        if isinstance(pattern, URLPattern):
            found = pattern.pattern.match(new_path)
            if not found:
                continue
            url_name = pattern.pattern.name  # type: ignore[union-attr]  # a route or a regex
            sub = (pattern.callback, {**found[2], **pattern.default_args}, url_name, [])
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


def locale_prefix(resolver: URLResolver) -> LocalePrefixPattern | None:
    """The URLconf's ``i18n_patterns`` prefix, or None. Looked for where ``LocaleMiddleware``
    looks (``is_language_prefix_patterns_used``): at the top level, the only place Django
    allows ``i18n_patterns``."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern.pattern, LocalePrefixPattern):
            return pattern.pattern
    return None


class PathLanguages:
    """The language ``LocaleMiddleware`` activates for a path (``request.path_info``) of a
    URLconf with ``i18n_patterns``: the supported language of its prefix, else the default.

    Settings (``LANGUAGES``, ``LANGUAGE_CODE``) are read when this is made, once per run.
    """

    def __init__(self, prefix: LocalePrefixPattern) -> None:
        # LocaleMiddleware.process_request: with no language in the path it activates
        # LANGUAGE_CODE itself when the default language has no prefix, and otherwise the
        # request's language (cookie, Accept-Language), which a log line does not have:
        # then get_language_from_request's last resort, LANGUAGE_CODE's supported variant.
        self.default = settings.LANGUAGE_CODE
        if prefix.prefix_default_language:
            with suppress(LookupError):
                self.default = get_supported_language_variant(settings.LANGUAGE_CODE)
        self._known: dict[str, str] = {}

    def of(self, path: str) -> str:
        # get_language_from_path reads the first segment only (up to its "/"), so it is asked
        # once per distinct segment: a dict lookup per path, not its regex and lookups.
        end = path.find("/", 1) + 1
        first = path[:end] if end else path
        language = self._known.get(first)
        if language is None:
            if len(self._known) >= _LANGUAGES_LIMIT:
                self._known.clear()
            language = self._known[first] = get_language_from_path(first) or self.default
        return language
