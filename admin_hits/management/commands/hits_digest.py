"""``manage.py hits_digest --period day|week|month``: the traffic digest by e-mail, once per
recipient and period (cron it daily; a run repeated or retried sends nothing twice)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from admin_hits.management.arguments import email, iso_date
from admin_hits.management.outcome import report
from admin_hits.models.site_time import site_today
from admin_hits.notify.delivery import send_digests
from admin_hits.notify.periods import KINDS, digest_period


class Command(BaseCommand):
    help = (
        "E-mail the traffic digest of the last finished day, week (Monday to Sunday) or month "
        "to the staff who chose it in the admin (Traffic e-mails) and to the --to addresses."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--period", choices=KINDS, required=True, help="which digest")
        parser.add_argument(
            "--to",
            action="append",
            default=[],
            type=email,
            metavar="EMAIL",
            help="also to this address",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent")
        parser.add_argument("--today", type=iso_date, help=_TODAY_HELP)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, today = options["period"], options["today"] or site_today()
        period = digest_period(kind, today)
        outcome = send_digests(kind, today, options["to"], dry_run=options["dry_run"])
        span = f"{period.start}" if period.days == 1 else f"{period.start} to {period.end}"
        report(
            self.stdout,
            outcome,
            skipped=f"already sent to {{address}} for {span}",
            nothing=f"no recipient for the {kind} digest of {span}",
        )


_TODAY_HELP = "the day the run counts as today (default: today in TIME_ZONE)"
