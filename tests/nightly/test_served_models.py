"""The models a URLconf shows objects of, read from its patterns: what ``PathResolver``
resolves that URLconf's paths to (tests.urls: articles and releases; the blog: stories)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from admin_hits.nightly.served_models import ServedModels, served_models

PAGE_BY_CODE = {"model": "testapp.Page", "fields": {"code": "code"}}


@pytest.mark.parametrize(
    ("urlconf", "labels"),
    [
        (None, {"testapp.article", "testapp.release"}),  # ROOT_URLCONF
        ("tests.urls", {"testapp.article", "testapp.release"}),
        ("tests.nightly.urls_blog", {"testapp.story"}),
        ("tests.nightly.urls_i18n", {"testapp.article", "testapp.release"}),
        ("tests.nightly.urls_nested", {"testapp.article", "testapp.release"}),
    ],
)
def test_the_detail_views_of_a_urlconf(urlconf: str | None, labels: set[str]) -> None:
    assert served_models(urlconf) == ServedModels(frozenset(labels), finders=False)


@override_settings(ADMIN_HITS_URLS={"page": PAGE_BY_CODE})
def test_registered_urls_by_their_names() -> None:
    assert "testapp.page" in served_models().labels
    assert "testapp.page" not in served_models("tests.nightly.urls_blog").labels


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("store:legacy", True),  # included with a namespace: ``code`` from its regex
        ("legacy", False),  # the name without its namespace is no name of the URLconf
        ("catch-all", True),
        ("store:item", False),  # takes ``pk`` (and default kwargs), not ``code``
    ],
)
def test_registered_urls_of_included_patterns(name: str, shown: bool) -> None:
    with override_settings(ADMIN_HITS_URLS={name: PAGE_BY_CODE}):
        served = served_models("tests.nightly.urls_nested")
    assert ("testapp.page" in served.labels) is shown


def test_a_rule_reads_the_kwargs_of_the_routes_above_it() -> None:
    # ``store:item`` gets ``site`` from its include()'s default kwargs.
    rule = {"model": "testapp.Page", "fields": {"site": "code"}}
    with override_settings(ADMIN_HITS_URLS={"store:item": rule}):
        assert "testapp.page" in served_models("tests.nightly.urls_nested").labels


@override_settings(ADMIN_HITS_URLS={"page": "tests.nightly.test_resolvers.find_page"})
def test_a_finder_names_no_model() -> None:
    assert served_models() == ServedModels(
        frozenset({"testapp.article", "testapp.release"}), finders=True
    )
    assert not served_models("tests.nightly.urls_blog").finders  # no ``page`` there
