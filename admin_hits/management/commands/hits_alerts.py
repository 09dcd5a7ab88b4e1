"""``manage.py hits_alerts``: e-mail staff when an object's live views spike (cron it every
10 minutes); each object is announced once per recipient and day."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from admin_hits.exceptions import StoreError
from admin_hits.management.arguments import email
from admin_hits.management.outcome import report
from admin_hits.notify.alert_mail import send_alerts


class Command(BaseCommand):
    help = (
        "E-mail the staff who chose spike alerts (and the --to addresses) about objects whose "
        "live views today reach ADMIN_HITS_ALERT_RATIO times their usual views by this hour, "
        "with at least ADMIN_HITS_ALERT_MIN_VIEWS views."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--to",
            action="append",
            default=[],
            type=email,
            metavar="EMAIL",
            help="also to this address",
        )
        parser.add_argument("--dry-run", action="store_true", help="say what would be sent")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = send_alerts(local_now(), options["to"], dry_run=options["dry_run"])
        except StoreError as exc:
            raise CommandError(
                f"the live store can not be read ({exc}); no alert was sent"
            ) from exc
        report(self.stdout, outcome, skipped="", nothing="no new spike")
        # Recipients who had every spike already are no news: ``skipped`` says nothing.


def local_now() -> datetime.datetime:
    """Now in ``TIME_ZONE``, whose days the live store counts (naive without ``USE_TZ``)."""
    return datetime.datetime.now(timezone.get_default_timezone()).replace(tzinfo=None)
