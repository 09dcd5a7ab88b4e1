"""Per-owner scope (``ADMIN_HITS_OBJECT_SCOPE``) with two owners: no page, table, figure,
export or e-mail of one shows anything of the other's objects, nor the site's own rows."""

from __future__ import annotations

import re
from io import StringIO

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from admin_hits.live.stores import get_store
from admin_hits.models import DayTotals, MailPreference, NotFoundHits, ReferrerHits
from admin_hits.nightly import period_totals
from admin_hits.report.sections import OBJECT_SECTIONS, REPORT_SECTIONS, groups_of
from admin_hits.report.views.tokens import token_hash
from tests.admin.factories import days_ago, staff, superuser, today
from tests.admin.test_export import export
from tests.report.factories import REPORT, add_object, add_paths, export_permission, object_url
from tests.testapp.models import Article, Release

TOKEN = "a" * 43
# Figures only the other owner's objects (or the whole site) have: none may show to acme.
GLOBEX_VIEWS = 5003
SECRETS = ("globex", "5003", "5,003", "7777", "7,777", "/gone-away/", "/unmatched-home/")
# A page's CSRF token is random letters and digits: it may hold "7777" by chance.
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@override_settings(
    ADMIN_HITS_OBJECT_SCOPE="tests.report.scopes.by_title",
    ADMIN_HITS_API_TOKENS={token_hash(TOKEN): "acme"},
)
class TwoOwnersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        perms = ("admin_hits.view_hits", "admin_hits.view_pathhits", "testapp.view_article",
                 "testapp.view_release")  # fmt: skip
        cls.acme = staff("acme", *perms)
        cls.acme.user_permissions.add(export_permission())
        cls.acme.email = "acme@example.com"
        cls.acme.save()
        MailPreference.objects.create(user=cls.acme, digest="day", spike_alerts=True)
        cls.globex = staff("globex", *perms)
        cls.mine = Article.objects.create(title="acme: launch", slug="launch")
        cls.theirs = Article.objects.create(title="globex: merger", slug="merger")
        cls.their_release = Release.objects.create(title="globex: release")
        add_object(cls.mine, {1: 11, 2: 12, 9: 13})
        add_object(cls.theirs, {1: GLOBEX_VIEWS, 2: GLOBEX_VIEWS, 9: 4000})
        add_object(cls.their_release, {1: 7777})
        add_paths("/unmatched-home/", {1: 300})
        for n in range(1, 15):
            DayTotals.objects.create(date=days_ago(n), views=9000, visitors=7777, bot_views=7777)
        ReferrerHits.objects.create(
            date=days_ago(1),
            path="/articles/merger/",
            host="globex-partner.example",
            views=40,
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(cls.theirs.pk),
        )  # noqa: E501
        ReferrerHits.objects.create(
            date=days_ago(1),
            path="/articles/launch/",
            host="acme-friend.example",
            views=3,
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(cls.mine.pk),
        )  # noqa: E501
        NotFoundHits.objects.create(date=days_ago(1), path="/gone-away/", hits=8)
        period_totals.refresh()  # the standard periods read precomputed rows: scope them too
        store = get_store()
        store.add(today(), {"/articles/merger/": 7777, "/articles/launch/": 5})
        store.close()

    def setUp(self):
        self.client.force_login(self.acme)

    def assertClean(self, response, where):
        body = response.content if not response.streaming else b"".join(response.streaming_content)
        text = body.decode()
        for secret in SECRETS:
            self.assertNotIn(secret, CSRF_TOKEN.sub("", text), f"{where}: {secret!r} leaked")
        return text

    def test_every_report_page_tab_and_export(self):
        for period in ("today", "yesterday", "7d", "30d"):
            for tab, _ in groups_of(REPORT_SECTIONS):
                for fmt in ("html", "json"):
                    response = self.client.get(
                        REPORT, {"period": period, "tab": tab, "format": fmt}
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertClean(response, f"report {period} {tab} {fmt}")
            for section in REPORT_SECTIONS:
                url = reverse("admin:admin_hits_report_export", args=[section.slug])
                response = self.client.get(url, {"period": period})
                if section.site_wide:
                    self.assertEqual(response.status_code, 404, section.slug)
                else:
                    self.assertEqual(response.status_code, 200, section.slug)
                    self.assertClean(response, f"export {section.slug} {period}")

    def test_the_figures_are_their_own(self):
        data = self.client.get(REPORT, {"period": "7d", "format": "json"}).json()
        figures = {f["key"]: f["value"] for f in data["figures"]}
        self.assertEqual(figures["views"], 11 + 12)
        self.assertNotIn("visitors", figures)
        self.assertEqual(figures["views_today"], 5)
        slugs = {t["slug"] for t in data["tables"]}
        self.assertNotIn("unmatched", slugs)
        objects = next(t for t in data["tables"] if t["slug"] == "objects")
        self.assertEqual([r["object"] for r in objects["rows"]], ["acme: launch"])
        live = self.client.get(reverse("admin:admin_hits_report_live")).json()
        self.assertEqual(live["views"], 5)

    def test_the_json_of_every_page_is_the_pages_figures_and_rows(self):
        for url in (REPORT, object_url(self.mine)):
            for period in ("today", "7d", "30d"):
                page = self.client.get(url, {"period": period})
                data = self.client.get(url, {"period": period, "format": "json"}).json()
                shown = [(f.key, f.value, f.previous) for f in page.context["figures"]]
                got = [(f["key"], f["value"], f["previous"]) for f in data["figures"]]
                self.assertEqual(got, shown)
                tables = {
                    b.section.slug: len(b.table.page_records()) for b in page.context["blocks"]
                }
                self.assertEqual({t["slug"]: len(t["rows"]) for t in data["tables"]}, tables)

    def test_own_drill_down_and_none_of_the_others(self):
        for period in ("today", "7d", "30d"):
            for tab, _ in groups_of(OBJECT_SECTIONS):
                response = self.client.get(object_url(self.mine), {"period": period, "tab": tab})
                self.assertEqual(response.status_code, 200)
                self.assertClean(response, f"own drill-down {period} {tab}")
        for other in (self.theirs, self.their_release):
            for name in ("admin_hits_object", "admin_hits_object_live"):
                self.assertEqual(self.client.get(object_url(other, name)).status_code, 404)
            export = object_url(other, "admin_hits_object_export", "days")
            self.assertEqual(self.client.get(export).status_code, 404)

    def test_changelists_inline_and_exports_of_the_admin(self):
        for url in (
            reverse("admin:admin_hits_hits_changelist"),
            reverse("admin:admin_hits_pathhits_changelist"),
            reverse("admin:admin_hits_hits_changelist") + "?q=merger",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertClean(response, url)
        for order in ("", "?o=3", "?o=-3"):
            changelist = self.client.get(reverse("admin:testapp_article_changelist") + order)
            text = changelist.content.decode()
            self.assertIn("globex: merger", text)  # the host's admin lists it, with no figure:
            self.assertEqual(len(re.findall(r'<td class="field-views_[a-z_0-9]+">—</td>', text)), 3)
            self.assertNotIn("5,003", text)
            self.assertIn("23", text)  # acme's own 30 days
        change = self.client.get(reverse("admin:testapp_article_change", args=[self.theirs.pk]))
        self.assertNotContains(change, "admin-hits-inline")
        mine = self.client.get(reverse("admin:testapp_article_change", args=[self.mine.pk]))
        self.assertContains(mine, "admin-hits-inline")
        for model in ("hits", "pathhits"):
            rows = export(self.client, reverse(f"admin:admin_hits_{model}_export"))
            self.assertTrue(rows)
            text = repr(rows)
            for secret in SECRETS:
                self.assertNotIn(secret, text, f"{model} export")
            self.assertIn("acme: launch", text)

    def test_a_token_reads_as_its_user(self):
        self.client.logout()
        response = self.client.get(REPORT, {"period": "7d"}, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        self.assertEqual(response.status_code, 200)
        self.assertClean(response, "token")

    def test_digests_and_alerts(self):
        call_command("hits_digest", "--period", "day", stdout=StringIO())
        call_command("hits_alerts", stdout=StringIO())
        self.assertTrue(mail.outbox)
        for message in mail.outbox:
            for part in (message.subject, message.body, message.alternatives[0][0]):
                for secret in SECRETS:
                    self.assertNotIn(secret, part)

    def test_superusers_see_everything(self):
        self.client.force_login(superuser())
        response = self.client.get(REPORT, {"period": "7d"})
        self.assertContains(response, "globex: merger")
