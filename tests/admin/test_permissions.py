"""Who may see the hits tables in the admin, and that nobody may edit them."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from admin_hits.models import Hits, PathHits
from tests.admin.factories import add_hits, staff, superuser
from tests.testapp.models import Article

HITS_CHANGELIST = reverse("admin:admin_hits_hits_changelist")
PATHS_CHANGELIST = reverse("admin:admin_hits_pathhits_changelist")


class PermissionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Launch", slug="launch")
        add_hits(cls.article, {1: 5})
        cls.hits = Hits.objects.get()
        cls.path_hits = PathHits.objects.create(
            date=cls.hits.date,
            path="/articles/launch/",
            views=5,
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(cls.article.pk),
        )
        cls.clerk = staff("clerk")
        cls.viewer = staff("viewer", "admin_hits.view_hits", "admin_hits.view_pathhits")
        cls.boss = superuser()

    def test_staff_without_view_permission_is_refused(self) -> None:
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(HITS_CHANGELIST).status_code, 403)
        self.assertEqual(self.client.get(PATHS_CHANGELIST).status_code, 403)

    def test_staff_with_view_permission_sees_the_changelists(self) -> None:
        self.client.force_login(self.viewer)
        response = self.client.get(HITS_CHANGELIST)
        self.assertEqual(response.status_code, 200)
        # Without the permission to view articles: the article by model and id only.
        self.assertNotContains(response, "Launch")
        self.assertContains(response, f"article #{self.article.pk}")
        self.assertContains(self.client.get(PATHS_CHANGELIST), "/articles/launch/")

    def test_staff_who_may_view_the_model_see_its_objects_names(self) -> None:
        reader = staff("reader", "admin_hits.view_hits", "testapp.view_article")
        self.client.force_login(reader)
        self.assertContains(self.client.get(HITS_CHANGELIST), "Launch")

    def test_staff_without_view_permission_does_not_see_the_inline(self) -> None:
        self.client.force_login(staff("editor", "testapp.change_article"))
        response = self.client.get(reverse("admin:testapp_article_change", args=[self.article.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "admin-hits-summary")

    def test_nobody_may_add_change_or_delete(self) -> None:
        for user in (self.viewer, self.boss):
            self.client.force_login(user)
            for name, row in (("hits", self.hits), ("pathhits", self.path_hits)):
                with self.subTest(user=user.username, model=name):
                    add = reverse(f"admin:admin_hits_{name}_add")
                    delete = reverse(f"admin:admin_hits_{name}_delete", args=[row.pk])
                    change = reverse(f"admin:admin_hits_{name}_change", args=[row.pk])
                    self.assertEqual(self.client.get(add).status_code, 403)
                    self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
                    self.assertEqual(self.client.post(change, {"views": "999"}).status_code, 403)
                    page = self.client.get(change)
                    self.assertEqual(page.status_code, 200)
                    self.assertNotContains(page, 'name="_save"')
        self.assertEqual(Hits.objects.get().views, 5)
        self.assertEqual(PathHits.objects.get().views, 5)

    def test_the_changelist_offers_no_delete_action(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(HITS_CHANGELIST)
        self.assertNotContains(response, "delete_selected")
        self.assertNotContains(response, reverse("admin:admin_hits_hits_add"))
