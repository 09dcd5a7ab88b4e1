"""``PathResolver.resolve`` walks the URLconf itself (no ResolverMatch, no exceptions, no
list of tried patterns): it must give exactly what Django's own ``resolve`` gives."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, URLPattern, get_resolver
from django.urls.resolvers import RoutePattern

from admin_hits.nightly.resolvers import PathResolver, path_info

URLCONF = "tests.nightly.urls_nested"
PATHS = [
    "/", "/admin/", "/admin/testapp/article/", "/admin/testapp/article/7/change/",
    "/admin/login/", "/admin/nope/", "/shop/12/", "/shop/x/", "/shop/legacy/abc/",
    "/shop/legacy/ABC/", "/shop/plain/", "/nested/deeper/3/", "/nested/deeper/plain/",
    "/articles/a-b_c/", "/articles/caf%C3%A9/", "/articles/x/y/",
    "/releases/0b9b1c1e-4a40-4d1b-9a55-3f0e2f0a1b2c/", "/releases/not-a-uuid/",
    "/anything/", "/two/levels/", "/%2e%2e/", "/a%20b/", "/bad%FFbyte/", "/wp-login.php",
    "/shop/99999999999999999999999/",
]  # fmt: skip


def django_resolve(path: str) -> tuple[str, object, dict] | None:
    try:
        found = get_resolver(URLCONF).resolve(path_info(path))
    except Resolver404:
        return None
    return found.view_name, found.func, found.kwargs


@pytest.mark.parametrize("path", PATHS)
def test_walk_resolves_like_django(path: str) -> None:
    assert PathResolver(URLCONF).resolve(path) == django_resolve(path)


def test_some_paths_resolve_and_some_do_not() -> None:
    # The table above must exercise both outcomes and the namespaces, or it proves little.
    results = [PathResolver(URLCONF).resolve(p) for p in PATHS]
    names = {r[0] for r in results if r is not None}
    assert None in results
    assert {"store:item", "admin:testapp_article_change", "catch-all", "article"} <= names
    assert ("store:item" in names) and any(r and r[2].get("site") == "main" for r in results)


class LoggingPattern(URLPattern):
    """A project's own pattern class, which may resolve its own way."""

    def resolve(self, path):  # type: ignore[no-untyped-def]  # as Django's own, untyped
        return super().resolve(path)


def test_a_urlconf_with_its_own_classes_is_resolved_by_django(monkeypatch) -> None:
    custom = LoggingPattern(RoutePattern("custom/", name="custom"), lambda request: None)
    patterns = [custom, *get_resolver(URLCONF).url_patterns]
    monkeypatch.setattr(get_resolver(URLCONF), "url_patterns", patterns)
    resolver = PathResolver(URLCONF)
    assert resolver._plain is False  # a class of its own: Django resolves
    assert resolver.resolve("/custom/")[0] == "custom"
    assert resolver.resolve("/shop/12/") == django_resolve("/shop/12/")
