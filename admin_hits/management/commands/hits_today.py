"""``manage.py hits_today``: today's (or a day's) live view counts, read from the live store."""

from __future__ import annotations

import datetime
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from admin_hits.conf import settings
from admin_hits.exceptions import AdminHitsError, StoreError
from admin_hits.live.health import StoreHealth, store_health
from admin_hits.live.hours import without_hours
from admin_hits.live.pipe.status import escape
from admin_hits.live.stores import LiveStore, get_store
from admin_hits.management.arguments import iso_date
from admin_hits.models.site_time import site_today


class Command(BaseCommand):
    help = (
        "Show the live view counts of a day (default: today in TIME_ZONE), most viewed first: "
        "of the PATHs given, or of every path the store lists for that day."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="*", metavar="PATH", help="paths such as /articles/x/")
        parser.add_argument("--date", type=iso_date, help="the day (default: today)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--store", help="live store URL (default: ADMIN_HITS_STORE)")

    def handle(self, *args: Any, **options: Any) -> None:
        day, paths = options["date"] or site_today(), options["paths"]
        url = options["store"] or settings.STORE
        try:
            store = get_store(url)
            try:
                counts = store.get_many(day, paths) if paths else without_hours(store.day(day))
                unread = list(getattr(store, "unread", ()))  # memcached: servers not read
                health = self.health(store, url, day)
            finally:
                store.close()
        except AdminHitsError as exc:
            raise CommandError(f"live store {url!r} can not be read: {exc}") from exc
        self.show(day, url, paths, counts, options, health)
        if unread:
            raise CommandError(
                f"live store {url!r} was read in part: {'; '.join(unread)}. The counts above "
                "miss those servers' share."
            )

    @staticmethod
    def health(store: LiveStore, url: str, day: datetime.date) -> StoreHealth | None:
        """What the pipes' heartbeats say; None when the servers holding them are down."""
        try:
            return store_health(store, url, day)
        except StoreError:
            return None

    def show(
        self,
        day: datetime.date,
        url: str,
        paths: list[str],
        counts: dict[str, int],
        options: dict[str, Any],
        health: StoreHealth | None,
    ) -> None:
        for path in paths:
            counts.setdefault(path, 0)
        rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if options["json"]:
            data = {
                "date": day.isoformat(),
                "store": url,
                "total": sum(counts.values()),
                "paths": [{"path": path, "views": views} for path, views in rows],
                "health": health_data(health) if health and day == site_today() else None,
            }
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.write_table(day, rows)
        if health is not None and day == site_today() and health.text:
            style = self.style.WARNING if health.warning else str
            self.stdout.write(style(health.text))

    def write_table(self, day: datetime.date, rows: list[tuple[str, int]]) -> None:
        if not rows:
            self.stdout.write(f"No views counted on {day} yet.")
            return
        width = max(len("views"), len(str(rows[0][1])))
        self.stdout.write(f"{'views':>{width}}  path   ({day})")
        for path, views in rows:
            # Paths come from the access log: never let them move the cursor or fake lines.
            self.stdout.write(f"{views:>{width}}  {escape(path)}")
        self.stdout.write(f"{sum(v for _, v in rows):>{width}}  total, {len(rows)} paths")


def health_data(health: StoreHealth) -> dict[str, Any]:
    """The pipes' heartbeats of the day, for ``--json``."""
    return {
        "text": health.text,
        "pipes_running": len(health.running),
        "last_write": health.last_write,
        "counts_since": health.counts_since,
        "pipes": [vars(beat) for beat in health.beats or ()],
    }
