"""Rendering and sending traffic e-mails: HTML with its CSS inlined (mail programs drop
``<style>`` blocks and remote files) and a plain-text part, through Django's e-mail framework,
so any ``EMAIL_BACKEND`` delivers them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import css_inline
from django.conf import settings as django_settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from admin_hits.conf import own_hosts, settings
from admin_hits.models.periods import CUSTOM, Period
from admin_hits.models.sites import site_names


def site_url() -> str:
    """``ADMIN_HITS_SITE_URL``, else https and the first of the site's own hosts, else ""."""
    if settings.SITE_URL:
        return settings.SITE_URL
    hosts = own_hosts()
    return f"https://{hosts[0]}" if hosts else ""


def absolute(path: str) -> str:
    """``path`` on the site; "" when the site's address is unknown (no link then)."""
    base = site_url()
    return f"{base}{path}" if base and path else ""


def report_link(period: Period, admin_site: str = "admin", site: int | None = None) -> str:
    """The report of ``period`` in the admin (of one ``site`` of several when given), as an
    absolute address."""
    try:
        path = reverse(f"{admin_site}:admin_hits_report")
    except NoReverseMatch:
        return ""
    query = {"period": CUSTOM, "start": period.start.isoformat(), "end": period.end.isoformat()}
    if site is not None:
        query["site"] = str(site)
    return absolute(f"{path}?{urlencode(query)}")


def site_link(path: str, site: int | None) -> str:
    """``path`` of a report page (``absolute``), showing one ``site`` of several when given."""
    url = absolute(path)
    return f"{url}?{urlencode({'site': site})}" if url and site is not None else url


def site_name(site: int | None) -> str:
    """The name of the reader's site in an e-mail; "" for every site."""
    return "" if site is None else site_names().get(site, str(site))


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and the HTML part of ``template`` (``.txt`` and ``.html``)."""
    text = render_to_string(f"admin_hits/mail/{template}.txt", context)
    html = render_to_string(f"admin_hits/mail/{template}.html", context)
    # Every rule into style attributes; nothing is fetched (the mail has no remote resource).
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)
    return text, inliner.inline(html)


def message(to: str, subject: str, text: str, html: str, **kwargs: Any) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a header is one line
        body=text,
        from_email=django_settings.DEFAULT_FROM_EMAIL,
        to=[to],
        **kwargs,
    )
    mail.attach_alternative(html, "text/html")
    return mail
