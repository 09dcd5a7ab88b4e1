from __future__ import annotations

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from admin_hits.exceptions import ConfigurationError
from admin_hits.nightly.resolvers import (
    ObjectRef,
    PathResolver,
    path_info,
    register_url,
    unregister_url,
)
from admin_hits.nightly.url_rules import url_rules
from tests.testapp.models import Article, Page, Release


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        ("/articles/hello/", "/articles/hello/"),
        ("/articles/caf%C3%A9/", "/articles/café/"),
        ("/a%20b/", "/a b/"),
        ("/bad%FFbyte/", "/bad%FFbyte/"),  # invalid UTF-8 stays percent-encoded, as in Django
        ("/%2e%2e/", "/../"),
    ],
)
def test_path_info_decodes_like_django(logged: str, expected: str) -> None:
    assert path_info(logged) == expected


@override_settings(FORCE_SCRIPT_NAME="/site")
def test_path_info_strips_script_name() -> None:
    assert path_info("/site/articles/x/") == "/articles/x/"


@pytest.fixture
def objects(db):
    articles = [Article.objects.create(title=f"A {i}", slug=f"a-{i}") for i in range(3)]
    release = Release.objects.create(title="R")
    page = Page.objects.create(code="about")
    return articles, release, page


def ref(obj) -> ObjectRef:
    return ObjectRef(ContentType.objects.get_for_model(obj).pk, str(obj.pk))


def test_detail_views_resolve_by_slug_and_uuid_pk(objects) -> None:
    articles, release, _ = objects
    paths = [f"/articles/{a.slug}/" for a in articles] + [f"/releases/{release.pk}/"]
    found = PathResolver().resolve_many([*paths, "/articles/missing/", "/nowhere/"])
    assert found == {
        **{f"/articles/{a.slug}/": ref(a) for a in articles},
        f"/releases/{release.pk}/": ref(release),
    }


def test_unknown_uuid_and_junk_do_not_match(objects) -> None:
    found = PathResolver().resolve_many([f"/releases/{uuid.uuid4()}/", "/articles/%FF/", ""])
    assert found == {}


def test_queries_grow_with_models_not_paths(objects, django_assert_num_queries) -> None:
    articles, release, _ = objects
    ContentType.objects.get_for_models(Article, Release)  # warm the content-type cache
    many = [f"/articles/{a.slug}/" for a in articles] * 50 + [
        f"/articles/x{i}/" for i in range(400)
    ]
    with django_assert_num_queries(2):
        found = PathResolver().resolve_many([*many, f"/releases/{release.pk}/"])
    assert len(found) == 4


@pytest.mark.parametrize("scan", [True, False])
def test_many_values_found_by_a_table_scan_or_in_chunks_alike(
    objects, scan: bool, monkeypatch, django_assert_max_num_queries
) -> None:
    # More slugs than one IN (...) takes: a small table is read whole, a big one in chunks.
    import admin_hits.nightly.resolvers as module

    articles, release, _ = objects
    monkeypatch.setattr(module, "_SCAN_RATIO", 4 if scan else 0)
    ContentType.objects.get_for_models(Article, Release)
    paths = [f"/articles/{a.slug}/" for a in articles] + [
        f"/articles/missing-{i}/" for i in range(6000)
    ]
    with django_assert_max_num_queries(3 if scan else 10):
        found = PathResolver().resolve_many([*paths, f"/releases/{release.pk}/"])
    assert found == {
        **{f"/articles/{a.slug}/": ref(a) for a in articles},
        f"/releases/{release.pk}/": ref(release),
    }


def test_registered_url_name_maps_kwargs_to_fields(objects) -> None:
    _, _, page = objects
    register_url("page", Page, {"code": "code"})
    try:
        assert PathResolver().resolve_many(["/pages/about/", "/pages/other/"]) == {
            "/pages/about/": ref(page)
        }
    finally:
        unregister_url("page")
    assert PathResolver().resolve_many(["/pages/about/"]) == {}


def find_page(kwargs):
    return Page.objects.filter(code=kwargs["code"].lower()).first()


@override_settings(ADMIN_HITS_URLS={"page": "tests.nightly.test_resolvers.find_page"})
def test_registered_finder_from_settings(objects) -> None:
    _, _, page = objects
    assert PathResolver().resolve_many(["/pages/ABOUT/"]) == {"/pages/ABOUT/": ref(page)}


@override_settings(ADMIN_HITS_URLS={"page": {"model": "testapp.Page", "fields": {"code": "code"}}})
def test_registered_fields_from_settings(objects) -> None:
    _, _, page = objects
    assert PathResolver().resolve_many(["/pages/about/"]) == {"/pages/about/": ref(page)}


def test_twenty_digit_ids_do_not_break_the_run(db) -> None:
    register_url("page", Article, {"code": "pk"})
    try:
        found = PathResolver().resolve_many(["/pages/99999999999999999999/", "/pages/1/"])
    finally:
        unregister_url("page")
    assert found == {}


def test_objects_whose_keys_are_longer_than_a_hits_row_holds_count_as_paths(db) -> None:
    # Hits.object_id holds 64 characters: such an object's row would fail the day's write.
    from admin_hits.models import Hits

    assert Hits._meta.get_field("object_id").max_length == 64
    register_url("page", finder=lambda kwargs: Article(pk=int(kwargs["code"])))
    try:
        found = PathResolver().resolve_many([f"/pages/{'9' * 65}/", f"/pages/{'9' * 64}/"])
    finally:
        unregister_url("page")
    assert list(found) == [f"/pages/{'9' * 64}/"]


def test_register_url_takes_only_the_models_own_fields() -> None:
    with pytest.raises(ValueError, match="has no field 'cod'"):
        register_url("page", Page, {"code": "cod"})


def test_register_url_refuses_a_relation_from_another_model() -> None:
    # ContentType.permission is the reverse side of Permission.content_type: no value of
    # its own to look up, so every path of the URL would fail.
    with pytest.raises(ValueError, match="permission is a relation from another model"):
        register_url("page", ContentType, {"code": "permission"})


REVERSE_RULE = {"model": "contenttypes.ContentType", "fields": {"code": "permission"}}


@override_settings(ADMIN_HITS_URLS={"page": REVERSE_RULE})
def test_url_rules_from_settings_refuse_a_relation_from_another_model() -> None:
    with pytest.raises(ConfigurationError, match=r"URLS\['page'\]: .* relation from another"):
        url_rules()


def test_register_url_needs_model_or_finder() -> None:
    with pytest.raises(ValueError, match="either a model"):
        register_url("x")
