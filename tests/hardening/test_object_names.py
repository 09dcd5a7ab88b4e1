"""Objects are named only to users who may view their model in the admin.

A staff user who may read the traffic (and export it) but not view releases or pages walks
every page, JSON answer and CSV export of the app, in every period and tab, filtered and
searched: no release's or page's name appears anywhere, they go by model and id, and their
figures are there. Objects without views can not be found by counting ids. A superuser doing
the same walk sees the names (the walk is not blind).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from admin_hits.models import Hits, ReferrerHits, SearchHits
from admin_hits.models.periods import PRESETS
from admin_hits.report.sections import GROUPS, OBJECT_SECTIONS, REPORT_SECTIONS
from tests.admin.factories import days_ago, staff, superuser, today
from tests.admin.test_export import export as changelist_export
from tests.report.factories import (
    LIVE,
    REPORT,
    add_object,
    add_paths,
    export_permission,
    export_url,
    object_url,
)
from tests.testapp.models import Article, Page, Release

SECRET = "SECRET-unpub"


class ObjectNamesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        export_permission()
        cls.article = Article.objects.create(title="Public article", slug="public")
        cls.release = Release.objects.create(title=f"{SECRET} merger target")
        cls.quiet = Release.objects.create(title=f"{SECRET} no views yet")
        cls.page = Page.objects.create(code=f"{SECRET}-page")  # 20 characters at most
        add_object(cls.article, {0: 4, 1: 5, 40: 2})
        add_object(cls.release, {0: 7, 1: 11, 40: 3})
        page_type = ContentType.objects.get_for_model(Page)
        for n in (1, 40):
            Hits.objects.create(content_type=page_type, object_id=str(cls.page.pk),
                                date=days_ago(n), views=13)  # fmt: skip
        add_paths("/pages/p1/", {1: 13, 40: 13}, cls.page)
        release = {"content_type": ContentType.objects.get_for_model(Release),
                   "object_id": str(cls.release.pk), "date": days_ago(1)}  # fmt: skip
        ReferrerHits.objects.create(path=cls.release.get_absolute_url(), host="news.example",
                                    url="https://news.example/a", views=2, **release)  # fmt: skip
        SearchHits.objects.create(path=cls.release.get_absolute_url(), engine="Example",
                                  keyword="merger", views=1, **release)  # fmt: skip
        cls.analyst = staff("analyst", "admin_hits.view_hits", "admin_hits.view_pathhits",
                            "admin_hits.export_hits", "testapp.view_article")  # fmt: skip
        cls.boss = superuser()

    # -- every URL of the app ------------------------------------------------------------

    def periods(self) -> list[dict[str, str]]:
        custom = {"period": "custom", "start": days_ago(45).isoformat(), "end": today().isoformat()}
        return [{"period": p} for p in PRESETS if p != "custom"] + [custom]

    def pages(self) -> list[str]:
        urls = []
        for base in (REPORT, object_url(self.release), object_url(self.page)):
            for period in self.periods():
                urls += [f"{base}?{urlencode({**period, 'tab': tab})}" for tab in GROUPS]
        release_type = ContentType.objects.get_for_model(Release)
        for model in ("hits", "pathhits"):
            changelist = reverse(f"admin:admin_hits_{model}_changelist")
            urls += [
                changelist,
                f"{changelist}?content_type__id__exact={release_type.pk}",
                f"{changelist}?content_type__id__exact={release_type.pk}"
                f"&object_id={self.release.pk}",
                f"{changelist}?q=target",
                f"{changelist}?q={self.release.pk}",
            ]
        urls += [
            reverse("admin:admin_hits_hits_change", args=[h.pk])
            for h in Hits.objects.filter(content_type=release_type)
        ]
        return urls

    def csv_urls(self) -> list[str]:
        urls = []
        for period in self.periods():
            query = urlencode(period)
            urls += [f"{export_url(s.slug)}?{query}" for s in REPORT_SECTIONS]
            urls += [
                f"{object_url(obj, 'admin_hits_object_export', s.slug)}?{query}"
                for obj in (self.release, self.page)
                for s in OBJECT_SECTIONS
            ]
        return urls

    def walk(self) -> str:
        """Everything the logged-in user is shown, as one text."""
        seen = []
        for url in self.pages() + [LIVE, object_url(self.release, "admin_hits_object_live")]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            seen.append(response.content.decode())
        for url in self.csv_urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            seen.append(b"".join(response.streaming_content).decode())
        release_type = ContentType.objects.get_for_model(Release)
        for model in ("hits", "pathhits"):
            export = reverse(f"admin:admin_hits_{model}_export")
            for params in ("", f"?content_type__id__exact={release_type.pk}"):
                rows = changelist_export(self.client, export, params)
                seen += [value for row in rows for value in row.values()]
        return "\n".join(seen)

    # -- the rule ------------------------------------------------------------------------

    def test_names_of_models_the_user_may_not_view_appear_nowhere(self) -> None:
        self.client.force_login(self.analyst)
        shown = self.walk()
        self.assertNotIn(SECRET, shown)
        self.assertIn(f"release #{self.release.pk}", shown)
        self.assertIn(f"page #{self.page.pk}", shown)
        self.assertIn("Public article", shown)  # the models the user may view: by name

    def test_the_same_walk_names_them_for_a_superuser(self) -> None:
        self.client.force_login(self.boss)
        shown = self.walk()
        self.assertIn(f"{SECRET} merger target", shown)
        self.assertIn(f"{SECRET}-page", shown)

    def test_figures_stay_for_objects_shown_by_model_and_id(self) -> None:
        url = object_url(self.release) + "?period=last_30_days"
        self.client.force_login(self.boss)
        named = self.client.get(url).context
        self.client.force_login(self.analyst)
        response = self.client.get(url)
        self.assertEqual(response.context["object_name"], f"release #{self.release.pk}")
        self.assertEqual(response.context["public_path"], None)  # an address can name it too
        figures = [f.value for f in response.context["figures"]]
        self.assertEqual(figures, [f.value for f in named["figures"]])
        self.assertIn(11, figures)

    def test_objects_without_views_can_not_be_counted_through(self) -> None:
        self.client.force_login(self.analyst)
        for url in (object_url(self.quiet), object_url(self.quiet, "admin_hits_object_live")):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        missing = Release(pk=uuid.uuid4())  # the same answer as for an object that exists
        self.assertEqual(self.client.get(object_url(missing)).status_code, 404)

    def test_objects_without_views_open_for_users_who_may_view_the_model(self) -> None:
        reader = staff("reader", "admin_hits.view_hits", "testapp.view_release")
        self.client.force_login(reader)
        response = self.client.get(object_url(self.quiet))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"{SECRET} no views yet")
