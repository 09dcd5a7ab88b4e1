"""Traffic e-mails in the admin: staff who may view the report choose their own; superusers
everyone's; others do not see it."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from admin_hits.models import MailPreference
from tests.admin.factories import staff, superuser

ADD = reverse("admin:admin_hits_mailpreference_add")
LIST = reverse("admin:admin_hits_mailpreference_changelist")


class PreferenceAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = staff("reader", "admin_hits.view_hits")
        cls.other = staff("other", "admin_hits.view_hits")
        cls.outsider = staff("outsider")
        cls.boss = superuser()

    def test_staff_choose_their_own_digest(self):
        self.client.force_login(self.reader)
        self.assertContains(self.client.get(reverse("admin:index")), LIST)
        response = self.client.post(ADD, {"digest": "week", "spike_alerts": "on"})
        self.assertEqual(response.status_code, 302)
        mine = MailPreference.objects.get()
        self.assertEqual((mine.user, mine.digest, mine.spike_alerts), (self.reader, "week", True))
        self.assertEqual(self.client.get(ADD).status_code, 403)  # one each
        change = reverse("admin:admin_hits_mailpreference_change", args=[mine.pk])
        self.client.post(change, {"digest": "month"})
        mine.refresh_from_db()
        self.assertEqual((mine.digest, mine.spike_alerts), ("month", False))

    def test_staff_can_not_see_or_change_another_users_choice(self):
        theirs = MailPreference.objects.create(user=self.other, digest="day")
        self.client.force_login(self.reader)
        self.assertNotContains(self.client.get(LIST), "other")
        change = reverse("admin:admin_hits_mailpreference_change", args=[theirs.pk])
        self.assertIn(self.client.get(change).status_code, (302, 403, 404))
        self.client.post(change, {"digest": ""})
        theirs.refresh_from_db()
        self.assertEqual(theirs.digest, "day")

    def test_a_posted_user_is_ignored_for_staff(self):
        self.client.force_login(self.reader)
        self.client.post(ADD, {"user": self.other.pk, "digest": "day"})
        self.assertEqual(MailPreference.objects.get().user, self.reader)

    def test_without_the_report_no_traffic_emails(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(LIST).status_code, 403)
        self.assertEqual(self.client.post(ADD, {"digest": "day"}).status_code, 403)
        self.assertFalse(MailPreference.objects.exists())

    def test_superusers_set_anyones(self):
        self.client.force_login(self.boss)
        self.client.post(ADD, {"user": self.other.pk, "digest": "day"})
        self.assertEqual(MailPreference.objects.get().user, self.other)
        self.assertContains(self.client.get(LIST), "other")
