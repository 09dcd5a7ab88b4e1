"""``ADMIN_HITS_MODELS``: the named models' own admins get hits, whatever the app order."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import admin
from django.test import RequestFactory, TestCase, override_settings

from admin_hits.admin.mixins import HitsAdminMixin, HitsInline
from admin_hits.admin.wiring import watch_site, with_hits
from tests.testapp.models import Article, Page, Release


class TitleInline(admin.TabularInline):
    model = Release  # any model: only the list of inline classes is checked


class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "slug")
    search_fields = ("title",)
    inlines = [TitleInline]


@override_settings(ADMIN_HITS_MODELS=["testapp.Article", "testapp.release"])
class WatchSiteTests(TestCase):
    # A TestCase: the inlines ask whether the user is scoped, which reads the content types of
    # the models with hits, a query whenever Django's content type cache is cold.
    def assert_has_hits(self, site: admin.AdminSite, model: type) -> None:
        model_admin = site._registry[model]
        self.assertIsInstance(model_admin, HitsAdminMixin)
        self.assertEqual(type(model_admin).__mro__.count(HitsAdminMixin), 1)

    def test_models_registered_before(self) -> None:
        site = admin.AdminSite(name="before")
        site.register(Article, ArticleAdmin)
        site.register(Page)
        watch_site(site)
        self.assert_has_hits(site, Article)
        self.assertNotIsInstance(site._registry[Page], HitsAdminMixin)

    def test_models_registered_after(self) -> None:
        site = admin.AdminSite(name="after")
        watch_site(site)
        site.register([Article, Page], ArticleAdmin)
        site.register(Release, search_fields=("title",))
        self.assert_has_hits(site, Article)
        self.assert_has_hits(site, Release)
        self.assertEqual(site._registry[Release].search_fields, ("title",))
        self.assertNotIsInstance(site._registry[Page], HitsAdminMixin)

    def test_applying_twice_changes_nothing(self) -> None:
        site = admin.AdminSite(name="twice")
        site.register(Article, ArticleAdmin)
        watch_site(site)
        first = type(site._registry[Article])
        watch_site(site)
        site.unregister(Article)
        site.register(Article, first)
        self.assertIs(type(site._registry[Article]), first)
        self.assertIs(with_hits(first), first)

    def test_the_admins_own_options_are_kept_and_inlines_appended(self) -> None:
        site = admin.AdminSite(name="options")
        watch_site(site)
        site.register(Article, ArticleAdmin)
        model_admin = site._registry[Article]
        self.assertIsInstance(model_admin, ArticleAdmin)
        self.assertEqual(model_admin.search_fields, ("title",))
        request = RequestFactory().get("/")
        request.user = SimpleNamespace(is_active=True, is_staff=True, has_perm=lambda perm: True)
        self.assertEqual(
            model_admin.get_list_display(request),
            [
                "title",
                "slug",
                "views_today",
                "views_last_30_days",
                "views_trend",
                "downloads_last_30_days",
            ],  # fmt: skip
        )
        self.assertEqual(model_admin.get_inlines(request, Article()), [TitleInline, HitsInline])
        self.assertEqual(model_admin.get_inlines(request, None), [TitleInline])

    def test_the_default_site_applies_the_test_settings(self) -> None:
        # tests/testapp/admin.py registers Article and Release plainly, after admin_hits.
        self.assert_has_hits(admin.site, Article)
        self.assert_has_hits(admin.site, Release)
        self.assertNotIsInstance(admin.site._registry[Page], HitsAdminMixin)
