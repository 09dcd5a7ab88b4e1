"""The digest's and the alert's HTML parts as a mail program shows them: rendered by Chromium
with the network cut off, they load nothing and fit a phone's width."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command

from admin_hits.models import DayTotals, MailPreference
from admin_hits.models.site_time import site_today
from admin_hits.notify.alert_mail import render_alert
from admin_hits.notify.alerts import Spike
from admin_hits.notify.audience import Reader
from tests.admin.factories import superuser
from tests.report.factories import add_object
from tests.testapp.models import Article

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def rendered(chromium, html, width, screenshot, name):
    """Chromium's rendering of ``html`` at ``width``: requests it tried, and overflow."""
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    requests = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.abort()))
    page.set_content(html, wait_until="load")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    text = page.inner_text("body")
    screenshot(page, name)
    context.close()
    return requests, overflow, text


def test_the_digest_renders_alone_at_desktop_and_phone_width(chromium, screenshot, settings):
    settings.ADMIN_HITS_SITE_URL = "https://press.example"
    boss = superuser()
    MailPreference.objects.create(user=boss, digest="day")
    story = Article.objects.create(title="A story with a rather long title " * 3, slug="s")
    add_object(story, {1: 1234, 2: 1000})
    yesterday = site_today() - datetime.timedelta(days=1)
    DayTotals.objects.create(date=yesterday, views=1234, visitors=800, bot_views=50)
    call_command("hits_digest", "--period", "day", stdout=StringIO())
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for width in (1024, 390):
        requests, overflow, text = rendered(chromium, html, width, screenshot, f"digest-{width}")
        assert requests == []
        assert not overflow
        assert "A story with a rather long title" in text
        assert "1,234" in text


def test_the_alert_renders_alone(chromium, screenshot, settings):
    settings.ADMIN_HITS_SITE_URL = "https://press.example"
    story = Article.objects.create(title="Breaking", slug="b")
    spike = Spike((ContentType.objects.get_for_model(Article).pk, str(story.pk)), 900, 30)
    subject, text, html = render_alert(Reader("boss@example.com"), [spike])
    assert subject == "Traffic spike: Breaking has 900 views today"
    requests, overflow, shown = rendered(chromium, html, 390, screenshot, "alert-390")
    assert requests == []
    assert not overflow
    assert "Breaking" in shown and "30.0×" in shown
