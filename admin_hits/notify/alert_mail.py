"""Sending spike alerts: one e-mail per recipient with the objects that spiked and were not
yet announced to them today (an ``AlertDelivery`` row per recipient, object and day)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext, ngettext

from admin_hits.models import AlertDelivery
from admin_hits.models.sites import configured_sites, site_urlconf
from admin_hits.notify.alerts import Spike, find_spikes
from admin_hits.notify.audience import Reader, alert_subscribers, with_addresses
from admin_hits.notify.delivery import Outcome, deliver
from admin_hits.notify.digest import Names
from admin_hits.notify.mail import render, site_link, site_name
from admin_hits.report.formatting import views_text
from admin_hits.report.objects import object_report_url
from admin_hits.report.scope import LiveDay


def send_alerts(
    now: datetime.datetime, addresses: Iterable[str] = (), *, dry_run: bool = False
) -> Outcome:
    """Read today's live counts (``StoreError`` when the store is down: nothing is sent) and
    alert every subscriber and ``addresses`` of the spikes they have not heard of today (of
    the site they chose, when they chose one)."""
    live = LiveDay.read(now.date())
    spikes: dict[int | None, list[Spike]] = {None: find_spikes(live.object_views(), now)}
    outcome = Outcome()
    if not spikes[None] and not configured_sites():
        return outcome
    readers = with_addresses(alert_subscribers(), addresses)
    for site in sorted({r.site for r in readers if r.site is not None}):
        # Every site's counts are read before anything is sent (a store down sends nothing).
        views = LiveDay.read(now.date(), site, site_urlconf(site)).object_views()
        spikes[site] = find_spikes(views, now, site)
    for reader in readers:
        mine = spikes[reader.site]
        if reader.owner is not None:  # per-owner scope: their own objects' spikes only
            allowed = reader.owner.allowed(s.ref for s in mine)
            mine = [s for s in mine if s.ref in allowed]
        fresh = _not_yet_sent(reader, mine, now.date())
        if not fresh:
            outcome.skipped.append(reader.email)
            continue
        subject, text, html = render_alert(reader, fresh)
        if dry_run:
            outcome.planned.append((reader.email, subject))
            continue
        claims = [
            AlertDelivery(recipient=reader.email.lower(), content_type_id=s.ref[0],
                          object_id=s.ref[1], date=now.date(), views=s.views)
            for s in fresh
        ]  # fmt: skip
        deliver(reader, (subject, text, html), claims, outcome)
    return outcome


def _not_yet_sent(reader: Reader, spikes: list[Spike], day: datetime.date) -> list[Spike]:
    sent = set(
        AlertDelivery.objects.filter(recipient=reader.email.lower(), date=day).values_list(
            "content_type_id", "object_id"
        )
    )
    return [s for s in spikes if s.ref not in sent]


def render_alert(reader: Reader, spikes: list[Spike]) -> tuple[str, str, str]:
    names = Names(reader)
    site = site_name(reader.site)
    rows = []
    for spike in spikes:
        type_id, object_pk = spike.ref
        ratio = spike.ratio
        rows.append({
            "name": names.name(type_id, object_pk),
            "views": views_text(spike.views),
            "usual": "–" if spike.usual is None else views_text(round(spike.usual)),
            "ratio": "" if ratio is None or ratio == float("inf") else f"{ratio:.1f}×",
            "url": site_link(object_report_url("admin", type_id, object_pk), reader.site)
            if reader.may_name(ContentType.objects.get_for_id(type_id).model_class()) else "",
        })  # fmt: skip
    values = {"name": rows[0]["name"], "views": rows[0]["views"], "others": len(rows) - 1,
              "site": site}  # fmt: skip
    subject = _subject(values, len(rows)) % values
    context = {"subject": subject, "rows": rows, "site": site, "intro": gettext(
        "These objects have far more views today than usual by this time of day."
    )}  # fmt: skip
    text, html = render("alert", context)
    return subject, text, html


def _subject(values: dict[str, object], count: int) -> str:
    """The subject's text for ``count`` spikes, naming the reader's site when they chose one."""
    if values["site"]:
        if count == 1:
            return gettext("Traffic spike on %(site)s: %(name)s has %(views)s views today")
        return ngettext(
            "Traffic spikes on %(site)s: %(name)s and %(others)d more",
            "Traffic spikes on %(site)s: %(name)s and %(others)d more",
            count - 1,
        )
    if count == 1:
        return gettext("Traffic spike: %(name)s has %(views)s views today")
    return ngettext(
        "Traffic spikes: %(name)s and %(others)d more",
        "Traffic spikes: %(name)s and %(others)d more",
        count - 1,
    )
