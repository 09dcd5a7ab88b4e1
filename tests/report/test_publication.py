"""Which date says when an object was published, and the check of the setting naming it."""

from __future__ import annotations

import datetime

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import checks
from django.test import TestCase, override_settings
from django.utils import timezone

from admin_hits.models.publication import (
    publication_date,
    publication_dates,
    published_between,
    published_field,
)
from tests.admin.factories import superuser
from tests.testapp.models import Article, Bulletin, Story

BERLIN = timezone.get_default_timezone()


def moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)), BERLIN)


def log(obj: object, flag: int, when: datetime.datetime, user: object, message: str = "") -> None:
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=when)


class PublishedFieldTests(TestCase):
    def test_a_conventional_name_is_found(self) -> None:
        self.assertEqual(published_field(Story).name, "published")

    def test_two_conventional_names_are_ambiguous(self) -> None:
        self.assertIsNone(published_field(Bulletin))

    def test_no_date_field(self) -> None:
        self.assertIsNone(published_field(Article))

    @override_settings(ADMIN_HITS_PUBLISHED_FIELDS={"testapp.Bulletin": "date_published"})
    def test_the_setting_chooses(self) -> None:
        self.assertEqual(published_field(Bulletin).name, "date_published")

    @override_settings(ADMIN_HITS_PUBLISHED_FIELDS={"testapp.bulletin": "pub_date"})
    def test_labels_are_case_insensitive(self) -> None:
        self.assertEqual(published_field(Bulletin).name, "pub_date")


class PublicationDateTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.editor = superuser()
        day = datetime.date(2026, 3, 10)
        # 00:30 in Berlin is still the 9th in UTC: the site's day counts.
        cls.story = Story.objects.create(title="S", slug="s", published=moment(day, 0))
        cls.draft = Story.objects.create(title="Draft", slug="draft", published=None)
        cls.article = Article.objects.create(title="A", slug="a")
        cls.other = Article.objects.create(title="B", slug="b")
        cls.bulletin = Bulletin.objects.create(title="N", pub_date=day)
        log(cls.article, CHANGE, moment(day, 9), cls.editor, "[]")
        log(cls.article, ADDITION, moment(day + datetime.timedelta(days=2), 9), cls.editor)
        log(cls.article, ADDITION, moment(day + datetime.timedelta(days=5), 9), cls.editor)

    def test_a_date_time_field_gives_the_sites_day(self) -> None:
        self.assertEqual(publication_date(self.story), datetime.date(2026, 3, 10))

    def test_an_empty_field_is_no_date(self) -> None:
        self.assertIsNone(publication_date(self.draft))

    def test_the_first_addition_in_the_admin_log(self) -> None:
        self.assertEqual(publication_date(self.article), datetime.date(2026, 3, 12))

    def test_no_field_and_no_addition_is_no_date(self) -> None:
        self.assertIsNone(publication_date(self.other))
        self.assertIsNone(publication_date(self.bulletin))  # two candidate fields

    def test_many_objects_at_once(self) -> None:
        ids = [str(self.story.pk), str(self.draft.pk), "not a number"]
        with self.assertNumQueries(1):
            found = publication_dates(Story, ids)
        self.assertEqual(found, {str(self.story.pk): datetime.date(2026, 3, 10)})

    def test_published_between(self) -> None:
        first, last = datetime.date(2026, 3, 10), datetime.date(2026, 3, 12)
        self.assertEqual(published_between(Story, first, last), {str(self.story.pk): first})
        self.assertEqual(published_between(Story, last, None), {})
        self.assertEqual(published_between(Article, first, last), {str(self.article.pk): last})
        # The first addition is the 12th: an object is not "published" again on the 15th.
        self.assertEqual(published_between(Article, datetime.date(2026, 3, 13), None), {})


class PublishedFieldsCheckTests(TestCase):
    def errors(self) -> list[checks.CheckMessage]:
        return [m for m in checks.run_checks() if m.id == "admin_hits.E010"]

    def test_valid_setting(self) -> None:
        with override_settings(ADMIN_HITS_PUBLISHED_FIELDS={"testapp.Bulletin": "pub_date"}):
            self.assertEqual(self.errors(), [])

    def test_a_missing_field_a_wrong_type_and_an_unknown_model(self) -> None:
        setting = {
            "testapp.Bulletin": "published_on",
            "testapp.Article": "title",
            "press.Nothing": "published",
        }
        with override_settings(ADMIN_HITS_PUBLISHED_FIELDS=setting):
            texts = [m.msg for m in self.errors()]
        self.assertEqual(len(texts), 3)
        self.assertIn("testapp.Bulletin has no field 'published_on'", texts[0])
        self.assertIn("not a DateField or DateTimeField", texts[1])
        self.assertIn("'press.Nothing' is not an installed model", texts[2])
