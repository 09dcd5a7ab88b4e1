"""Sending digests once: each (recipient, period) is claimed by a ``DigestDelivery`` row
before its e-mail goes out and released when the e-mail could not be sent, so a repeated or
retried cron run sends nothing twice and a failed address is tried again next time."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext

from admin_hits.models import DigestDelivery
from admin_hits.models.periods import Period
from admin_hits.notify.audience import Reader, subscribers, with_addresses
from admin_hits.notify.digest import Digest, build
from admin_hits.notify.mail import message, render, report_link, site_name
from admin_hits.notify.periods import DAY, MONTH, digest_period
from admin_hits.report.formatting import percent_text, views_text


@dataclass
class Outcome:
    """What a run did, address by address."""

    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    planned: list[tuple[str, str]] = field(default_factory=list)  # --dry-run: (to, subject)


def send_digests(
    kind: str, today: datetime.date, addresses: Iterable[str] = (), *, dry_run: bool = False
) -> Outcome:
    """The ``kind`` digest of the last finished period to every subscriber and ``addresses``."""
    period = digest_period(kind, today)
    outcome = Outcome()
    for reader in with_addresses(subscribers(kind), addresses):
        recipient = reader.email.lower()
        sent = DigestDelivery.objects.filter(recipient=recipient, period=kind, start=period.start)
        if sent.exists():
            outcome.skipped.append(reader.email)
            continue
        subject, text, html = render_digest(build(reader, period))
        if dry_run:
            outcome.planned.append((reader.email, subject))
            continue
        claim = DigestDelivery(recipient=recipient, period=kind, start=period.start)
        deliver(reader, (subject, text, html), [claim], outcome)
    return outcome


def deliver(
    reader: Reader, parts: tuple[str, str, str], claims: Sequence[Model], outcome: Outcome
) -> None:
    """Save ``claims`` (unsaved delivery rows) in one transaction, send the e-mail, and delete
    them again when it could not be sent, so the next run tries that address again."""
    try:
        with transaction.atomic():
            for claim in claims:
                claim.save(force_insert=True)
    except IntegrityError:  # a run at the same time claimed one of them first
        outcome.skipped.append(reader.email)
        return
    try:
        message(reader.email, *parts).send()
    except Exception as exc:  # any backend's failure: the others still get theirs
        type(claims[0])._default_manager.filter(pk__in=[c.pk for c in claims]).delete()
        outcome.failed.append((reader.email, f"{type(exc).__name__}: {exc}"))
    else:
        outcome.sent.append(reader.email)


def period_text(period: Period) -> str:
    if period.preset == DAY:
        return date_format(period.start, "DATE_FORMAT")
    if period.preset == MONTH:
        return date_format(period.start, "YEAR_MONTH_FORMAT")
    return f"{date_format(period.start, 'SHORT_DATE_FORMAT')} – " + date_format(
        period.end, "SHORT_DATE_FORMAT"
    )


def change_text(ratio: float | None) -> str:
    return gettext("new") if ratio is None else percent_text(ratio)


def render_digest(digest: Digest) -> tuple[str, str, str]:
    """Subject, plain text and HTML of ``digest``."""
    when = period_text(digest.period)
    views = digest.views
    values = {
        "period": when,
        "views": views_text(views.current or 0),
        "change": change_text(views.change),
        "site": site_name(digest.reader.site),
    }
    if values["site"]:
        subject = gettext("Traffic %(period)s on %(site)s: %(views)s views (%(change)s)") % values
    else:
        subject = gettext("Traffic %(period)s: %(views)s views (%(change)s)") % values
    text, html = render("digest", _context(digest, when, subject))
    return subject, text, html


def _context(digest: Digest, when: str, subject: str) -> dict[str, Any]:
    def line(current: int | None, previous: int | None, ratio: float | None) -> dict[str, str]:
        if current is None:
            return {"current": "–", "previous": "–", "change": ""}
        return {
            "current": views_text(current),
            "previous": "–" if previous is None else views_text(previous),
            "change": "" if previous is None else change_text(ratio),
        }

    return {
        "subject": subject,
        "period": when,
        "previous_period": period_text(digest.previous),
        "figures": [{"label": f.label, **line(f.current, f.previous, f.change)}
                    for f in digest.figures],
        "top": [{"name": o.name, **line(o.current, o.previous, o.change)} for o in digest.top],
        "risers": [{"name": o.name, **line(o.current, o.previous, o.change)}
                   for o in digest.risers],
        "fallers": [{"name": o.name, **line(o.current, o.previous, o.change)}
                    for o in digest.fallers],
        "new_referrers": [{"host": h, "views": views_text(v)} for h, v in digest.new_referrers],
        "not_found": [{"path": p, "hits": views_text(n)} for p, n in digest.not_found],
        "site": site_name(digest.reader.site),
        "report_url": report_link(digest.period, site=digest.reader.site),
    }  # fmt: skip
