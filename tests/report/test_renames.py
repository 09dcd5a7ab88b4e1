"""404 suggestions from the admin's log: an object whose slug was changed before a missing
path's 404s began, of the same URL pattern, not known at another address before."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE
from django.test import TestCase

from admin_hits.report.editorial.redirects import Suggester
from admin_hits.report.editorial.renames import changed_fields, slug_labels
from tests.admin.factories import days_ago, superuser
from tests.report.factories import add_paths
from tests.report.test_publication import log, moment
from tests.report.test_redirects import missing
from tests.testapp.models import Article

SLUG_CHANGED = '[{"changed": {"fields": ["Title", "Slug"]}}]'
TITLE_CHANGED = '[{"changed": {"fields": ["Title"]}}]'


def editor() -> object:
    from django.contrib.auth.models import User

    return User.objects.filter(username="editor").first() or superuser("editor")


def renamed(slug: str, days_ago_: int, message: str = SLUG_CHANGED) -> Article:
    """An article given the slug ``slug`` in the admin ``days_ago_`` days ago."""
    obj = Article.objects.create(title=slug.title(), slug=slug)
    log(obj, CHANGE, moment(days_ago(days_ago_), 11), editor(), message)
    return obj


class RenameTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.renamed = renamed("spring-budget-vote", 10)

    def suggest(self, path: str) -> tuple[str, str] | None:
        found = Suggester().suggest(path)
        return None if found is None else (found.path, found.reason)

    def test_a_path_missing_since_a_rename_goes_to_the_renamed_object(self) -> None:
        missing("/articles/draft-7/", 4, days_ago_=9)
        missing("/articles/draft-7/", 6, days_ago_=2)
        self.assertEqual(self.suggest("/articles/draft-7/"),
                         ("/articles/spring-budget-vote/", "renamed"))  # fmt: skip

    def test_a_path_missing_before_the_rename_is_something_else(self) -> None:
        missing("/articles/draft-7/", 4, days_ago_=12)
        missing("/articles/draft-7/", 6, days_ago_=2)
        self.assertIsNone(self.suggest("/articles/draft-7/"))

    def test_another_url_pattern_is_not_the_object(self) -> None:
        missing("/pages/draft-7/", 4, days_ago_=2)
        self.assertIsNone(self.suggest("/pages/draft-7/"))

    def test_a_change_of_other_fields_is_no_rename(self) -> None:
        renamed("autumn-report", 3, TITLE_CHANGED)
        Article.objects.filter(pk=self.renamed.pk).delete()
        missing("/articles/draft-9/", 4, days_ago_=1)
        self.assertIsNone(self.suggest("/articles/draft-9/"))

    def test_an_object_known_at_another_address_before_is_not_this_one(self) -> None:
        add_paths("/articles/budget-draft/", {20: 5}, self.renamed)  # its old address
        missing("/articles/draft-7/", 4, days_ago_=2)
        found = self.suggest("/articles/draft-7/")  # perhaps a similar address, not the object
        self.assertTrue(found is None or found[1] == "similar", found)
        missing("/articles/budget-draft/", 4, days_ago_=2)
        self.assertEqual(self.suggest("/articles/budget-draft/")[1], "moved")  # its own rows

    def test_the_last_rename_before_the_404s_began_wins(self) -> None:
        later = renamed("spring-budget-result", 5)
        renamed("budget-after", 1)  # renamed after the 404s began
        missing("/articles/draft-8/", 3, days_ago_=4)
        self.assertEqual(self.suggest("/articles/draft-8/"), (later.get_absolute_url(), "renamed"))


def test_changed_fields_of_change_messages() -> None:
    assert changed_fields(SLUG_CHANGED) == ["Title", "Slug"]
    assert changed_fields('[{"added": {}}, {"changed": {"fields": ["Slug"]}}]') == ["Slug"]
    assert changed_fields("Changed slug.") == []  # Django before 2.0: plain text
    assert changed_fields("{}") == []


def test_slug_labels() -> None:
    assert slug_labels(Article) == {"Slug", "slug"}
