"""Who may see the report, its JSON and its exports: every page behind the admin's login, the
hits view permission, and for CSV files the export permission too."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.admin.factories import staff, superuser
from tests.report.factories import (
    LIVE,
    REPORT,
    add_object,
    export_permission,
    export_url,
    object_url,
)
from tests.testapp.models import Article

LOGIN = reverse("admin:login")


class ReportPermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        add_object(cls.article, {1: 5})
        export_permission()
        cls.boss = superuser()
        cls.clerk = staff("clerk")
        cls.viewer = staff("viewer", "admin_hits.view_hits")
        cls.exporter = staff("exporter", "admin_hits.view_hits", "admin_hits.export_hits")
        cls.export_only = staff("export-only", "admin_hits.export_hits")
        cls.member = User.objects.create_user("member", password="x")  # not staff
        for user in (cls.member,):
            user.user_permissions.add(export_permission())

    def pages(self) -> list[str]:
        return [
            REPORT,
            LIVE,
            object_url(self.article),
            object_url(self.article, "admin_hits_object_live"),
        ]

    def exports(self) -> list[str]:
        return [export_url("objects"), object_url(self.article, "admin_hits_object_export", "days")]

    def status(self, user: User | None, url: str) -> int:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        return self.client.get(url).status_code

    def assert_statuses(self, user: User | None, pages: int, exports: int) -> None:
        for url in self.pages():
            with self.subTest(user=getattr(user, "username", None), url=url):
                self.assertEqual(self.status(user, url), pages)
        for url in self.exports():
            with self.subTest(user=getattr(user, "username", None), url=url):
                self.assertEqual(self.status(user, url), exports)

    def test_superuser_may_do_everything(self) -> None:
        self.assert_statuses(self.boss, 200, 200)

    def test_staff_with_view_and_export_permissions(self) -> None:
        self.assert_statuses(self.exporter, 200, 200)

    def test_staff_with_view_permission_only_may_not_export(self) -> None:
        self.assert_statuses(self.viewer, 200, 403)
        self.client.force_login(self.viewer)
        response = self.client.get(REPORT)
        self.assertNotContains(response, "admin-hits-csv")
        self.assertFalse(response.context["can_export"])

    def test_staff_without_view_permission(self) -> None:
        self.assert_statuses(self.clerk, 403, 403)
        self.assert_statuses(self.export_only, 403, 403)

    def test_non_staff_and_anonymous_are_sent_to_the_login(self) -> None:
        for user in (self.member, None):
            for url in self.pages() + self.exports():
                with self.subTest(user=user, url=url):
                    self.client.logout()
                    if user is not None:
                        self.client.force_login(user)
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(LOGIN))

    def test_inactive_staff_is_refused(self) -> None:
        self.exporter.is_active = False
        self.exporter.save()
        self.assertEqual(self.status(self.exporter, REPORT), 302)

    @override_settings(ADMIN_HITS_EXPORT_PERMISSION="admin_hits.view_hits")
    def test_the_export_permission_is_a_setting(self) -> None:
        self.assert_statuses(self.viewer, 200, 200)

    def test_the_report_link_in_the_app_list_is_only_for_those_who_may_see_it(self) -> None:
        for user, listed in ((self.boss, True), (self.viewer, True), (self.clerk, False)):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                index = self.client.get(reverse("admin:index"))
                self.assertEqual(index.status_code, 200)
                self.assertEqual(f'href="{REPORT}"' in index.content.decode(), listed)


class ChangelistExportPermissionTests(TestCase):
    """The Hits changelist's import-export button needs the same export permission."""

    @classmethod
    def setUpTestData(cls) -> None:
        add_object(Article.objects.create(title="Launch", slug="launch"), {1: 5})
        export_permission()
        cls.viewer = staff("viewer", "admin_hits.view_hits")
        cls.exporter = staff("exporter", "admin_hits.view_hits", "admin_hits.export_hits")

    def test_export_button_and_view(self) -> None:
        changelist = reverse("admin:admin_hits_hits_changelist")
        export = reverse("admin:admin_hits_hits_export")
        self.client.force_login(self.viewer)
        self.assertNotContains(self.client.get(changelist), f'href="{export}')
        self.assertEqual(self.client.get(export).status_code, 403)
        self.client.force_login(self.exporter)
        self.assertContains(self.client.get(changelist), f'href="{export}')
        self.assertEqual(self.client.get(export).status_code, 200)

    def test_the_changelist_links_to_the_report(self) -> None:
        self.client.force_login(self.viewer)
        response = self.client.get(reverse("admin:admin_hits_hits_changelist"))
        self.assertContains(response, f'href="{REPORT}"')
