"""``manage.py demo_setup``: everything ``make demo`` needs after ``migrate``."""

from __future__ import annotations

import datetime
import os
import socket
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from admin_hits import __version__
from admin_hits.conf import settings, view_rules
from admin_hits.exceptions import StoreError
from admin_hits.live.stores import get_store
from admin_hits.live.stores.heartbeats import Heartbeat
from admin_hits.logs import Aggregator
from press.demo_data import create_demo_objects
from press.management.commands.demo_logs import log_pattern, positive

SITE = "http://127.0.0.1:8000/"
USERNAME = PASSWORD = "admin"


class Command(BaseCommand):
    help = (
        "Set up the demo: an admin/admin superuser, companies and press releases, 30 days of "
        "access logs counted by parse_log, and today's views in the live store. Safe to re-run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=positive, default=30, help="days of logs (default: 30)")
        parser.add_argument("--per-day", type=positive, default=2000, help="log lines per weekday")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        created = self.superuser()
        companies, releases = create_demo_objects()
        self.say(verbosity, f"Demo objects: {companies} companies and {releases} releases added.")
        days, per_day = options["days"], options["per_day"]
        call_command(
            "demo_logs",
            days=days,
            per_day=per_day,
            today=True,
            verbosity=verbosity,
            stdout=self.stdout,
        )
        today = timezone.localdate()
        first, last = today - datetime.timedelta(days=days), today - datetime.timedelta(days=1)
        call_command(
            "parse_log",
            "--since",
            first.isoformat(),
            "--until",
            last.isoformat(),
            verbosity=verbosity,
            stdout=self.stdout,
        )
        views = self.feed_live_store(today)
        if views is not None:
            self.say(verbosity, f"Live store: {views:,} views of today so far.")
        password = PASSWORD if created else f"{PASSWORD} (unless you changed it)"
        self.say(verbosity, self.style.SUCCESS("\nThe demo is ready."))
        self.say(verbosity, f"  Site:     {SITE}\n  Admin:    {SITE}admin/")
        self.say(verbosity, f"  User:     {USERNAME}\n  Password: {password}")

    def say(self, verbosity: int, message: str) -> None:
        if verbosity > 0:
            self.stdout.write(message)

    def superuser(self) -> bool:
        users = get_user_model()._default_manager
        if users.filter(username=USERNAME).exists():
            return False
        users.create_superuser(USERNAME, "admin@example.com", PASSWORD)
        return True

    def feed_live_store(self, today: datetime.date) -> int | None:
        """Count today's log so far, as the piped-log program would have, into the live store.

        Only what the store lacks is added, so running the setup again does not double it.
        """
        path = Path(today.strftime(log_pattern()))
        tz = timezone.get_default_timezone()
        aggregator = Aggregator(settings.LOG_FORMAT, tz=tz, rules=view_rules(), days=[today])
        with path.open("rb") as lines:
            aggregator.feed(lines)
        counts = aggregator.take()
        views = {p: n for (day, p), n in counts.views.items() if day == today}
        try:
            store = get_store()
            try:
                current = store.get_many(today, views)
                store.add(
                    today,
                    {p: n - current.get(p, 0) for p, n in views.items() if n > current.get(p, 0)},
                )
                # Said as it is: counted once, by this command, which has ended.
                now = time.time()
                store.beat(today, Heartbeat(
                    host=socket.gethostname(), pid=os.getpid(), version=__version__,
                    started=now, lines=counts.lines, views=sum(views.values()),
                    last_write=now, beat=now, stopped=True,
                ))  # fmt: skip
            finally:
                store.close()
        except StoreError as exc:
            self.stderr.write(f"Today's views were not added to the live store: {exc}")
            return None
        return sum(views.values())
