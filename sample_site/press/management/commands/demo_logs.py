"""``manage.py demo_logs``: write realistic access logs for the demo objects."""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from admin_hits.conf import settings
from press.demo_data import demo_pages
from press.traffic import Site, write_logs

HOST = "press.example.com"


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def log_pattern() -> str:
    """Where the demo's logs go: ``ADMIN_HITS_ACCESS_LOG`` (the first one, if it lists several)."""
    pattern = settings.ACCESS_LOG
    if isinstance(pattern, list | tuple):
        pattern = pattern[0] if pattern else None
    if not pattern:
        raise CommandError("Set ADMIN_HITS_ACCESS_LOG to where the logs should be written.")
    return pattern


class Command(BaseCommand):
    help = (
        "Write Apache access logs (combined, with the time taken) for the N days before today "
        "(and, with --today, for today until now), one file per day where "
        "ADMIN_HITS_ACCESS_LOG says."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=positive, default=30, help="days before today")
        parser.add_argument(
            "--per-day",
            type=positive,
            default=2000,
            help="about this many lines on a weekday (default: 2000)",
        )
        parser.add_argument("--seed", type=int, default=1, help="same seed, same lines")
        parser.add_argument("--today", action="store_true", help="also write today until now")

    def handle(self, *args: Any, **options: Any) -> None:
        pattern = log_pattern()
        pages, listings = demo_pages()
        if not pages:
            raise CommandError("No demo objects: run `manage.py demo_setup` first.")
        today = timezone.localdate()
        days = [today - datetime.timedelta(days=n) for n in range(options["days"], 0, -1)]
        if options["today"]:
            days.append(today)
        site = Site(HOST, pages, listings, timezone.get_default_timezone())
        written = write_logs(
            pattern,
            site,
            days,
            per_day=options["per_day"],
            seed=options["seed"],
            until=timezone.now(),
        )
        if options["verbosity"] > 1:
            for day, lines in written.items():
                self.stdout.write(f"{day.strftime(pattern)}: {lines:,} lines")
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"Wrote {sum(written.values()):,} log lines for {days[0]} to {days[-1]} "
            f"({len(written)} files like {days[-1].strftime(pattern)})."
        )
