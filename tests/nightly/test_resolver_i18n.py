"""Paths under ``i18n_patterns`` resolve in their own language, as in a request (where
``LocaleMiddleware`` activates it first), whatever language is active when they are resolved:
parse_log's, or the staff user's in the report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.urls import Resolver404, get_resolver
from django.utils import translation

from admin_hits.nightly.resolvers import ObjectRef, PathResolver
from tests.i18n_site import PREFIXED, UNPREFIXED, i18n_settings, write_catalogs
from tests.testapp.models import Article

RELEASE = "0b9b1c1e-4a40-4d1b-9a55-3f0e2f0a1b2c"
PATHS = [
    "/en/articles/a/", "/de/artikel/a/", "/fr/articles/a/", "/articles/a/",
    "/de/articles/a/", "/en/artikel/a/",  # a route in another language's words: no URL
    f"/de/releases/{RELEASE}/", f"/releases/{RELEASE}/", "/de/shop/12/", "/shop/12/",
    "/de-at/artikel/a/", "/DE/artikel/a/", "/xx/articles/a/", "/it/articles/a/",
    "/de", "/de/", "/pages/about/", "/de/pages/about/", "/admin/", "/de/admin/", "", "/",
]  # fmt: skip
ACTIVE = ["en", "de", "fr", "it"]  # "it" is no site language: a staff user's browser may be


@pytest.fixture(scope="module")
def locale_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalogs(tmp_path_factory.mktemp("locale"))


@pytest.fixture(params=[PREFIXED, UNPREFIXED])
def urlconf(request: pytest.FixtureRequest, locale_root: Path) -> Iterator[str]:
    with i18n_settings(request.param, locale_root):
        yield request.param


def django_resolve(urlconf: str, path: str) -> tuple[str, object, dict] | None:
    """What a request for ``path`` resolves to: LocaleMiddleware activates the language,
    then Django's resolver runs in it (a log line has no cookie or Accept-Language)."""
    request = RequestFactory().get(path)
    with translation.override(None):
        LocaleMiddleware(lambda request: None).process_request(request)
        try:
            found = get_resolver(urlconf).resolve(request.path_info)
        except Resolver404:
            return None
    return found.view_name, found.func, found.kwargs


@pytest.mark.parametrize("active", ACTIVE)
@pytest.mark.parametrize("path", PATHS)
def test_paths_resolve_in_their_language_as_in_a_request(
    urlconf: str, path: str, active: str
) -> None:
    with translation.override(active):
        found = PathResolver(urlconf).resolve(path)
        assert translation.get_language() == active  # left as it was
    assert found == django_resolve(urlconf, path)


def test_the_table_resolves_every_language(urlconf: str) -> None:
    # The table above must reach each language and miss, with either URLconf, or it proves
    # little; and the translated route must be reached in German only.
    found = {p: PathResolver(urlconf).resolve(p) for p in PATHS}
    english = "/en/articles/a/" if urlconf == PREFIXED else "/articles/a/"
    assert all(found[p] and found[p][0] == "article" for p in [english, "/de/artikel/a/"])
    assert found["/fr/articles/a/"][0] == "article"
    assert found["/de/shop/12/"][:3:2] == ("store:item", {"pk": 12, "section": "shop"})
    assert found["/de/articles/a/"] is None and found["/en/artikel/a/"] is None
    assert found["/xx/articles/a/"] is None


def test_the_resolver_is_not_bound_to_the_language_it_was_made_or_used_in(urlconf: str) -> None:
    # One resolver for a whole run, the active language changing under it: what it worked
    # out in one language (of a path, of a route) must not answer for another.
    with translation.override("fr"):
        resolver = PathResolver(urlconf)
    for active in ["de", "en", "de", "fr"]:
        with translation.override(active):
            assert [resolver.resolve(p) for p in PATHS] == [
                django_resolve(urlconf, p) for p in PATHS
            ]


@pytest.mark.parametrize("active", ACTIVE)
def test_match_many_matches_each_path_in_its_language(urlconf: str, active: str, db: None) -> None:
    with translation.override(active):
        resolver = PathResolver(urlconf)
        one_by_one = {p: m for p in PATHS if (m := resolver.match(p)) is not None}
        assert resolver.match_many(PATHS) == one_by_one
        assert translation.get_language() == active
    assert len(one_by_one) >= 4  # articles in three languages, a release


def test_objects_of_every_language_are_found_in_any_language(urlconf: str, db: None) -> None:
    article = Article.objects.create(title="A", slug="a")
    ref = ObjectRef(ContentType.objects.get_for_model(Article).pk, str(article.pk))
    english = "/en/articles/a/" if urlconf == PREFIXED else "/articles/a/"
    for active in ACTIVE:
        with translation.override(active):
            found = PathResolver(urlconf).resolve_many(
                [english, "/de/artikel/a/", "/fr/articles/a/"]
            )
        assert found == dict.fromkeys([english, "/de/artikel/a/", "/fr/articles/a/"], ref)


def test_a_urlconf_without_i18n_patterns_does_no_language_work() -> None:
    assert PathResolver("tests.nightly.urls_nested")._languages is None
