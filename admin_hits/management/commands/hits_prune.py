"""``manage.py hits_prune``: delete detail rows older than the retention (cron runs it daily).

It also deletes the ``db`` live store's rows older than the live stores keep, whatever the
retention: memcached and cache counters expire by themselves, a table does not. Here rather
than in the store, so the pipe's writes stay one statement and no log line's date (which a
client can skew) ever decides what is deleted.
"""

from __future__ import annotations

import datetime
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models, router, transaction

from admin_hits.conf import settings
from admin_hits.live.stores.keys import EXPIRY_SECONDS
from admin_hits.models import (
    AICrawlerHits,
    AudienceHits,
    BotHits,
    CampaignHits,
    DayTotals,
    DownloadHits,
    Hits,
    HourHits,
    LandingHits,
    LandingReferrerHits,
    LiveHits,
    LivePipe,
    NotFoundHits,
    ObjectAudience,
    PageDelivery,
    PathHits,
    ReferrerHits,
    SearchHits,
    SiteDelivery,
    StatusHits,
    VisitLengths,
    VisitTotals,
)
from admin_hits.models.site_time import site_today
from admin_hits.nightly import launches, period_totals

# What "detail rows" are: everything per path, referrer, keyword, campaign, status or bot,
# landings, downloads, visit lengths, the audience (browsers, countries, hours), AI crawlers
# and each page's response times and bytes.
DETAIL_MODELS: tuple[type[models.Model], ...] = (
    PathHits, ReferrerHits, SearchHits, CampaignHits, StatusHits, NotFoundHits, BotHits,
    LandingHits, LandingReferrerHits, DownloadHits, VisitLengths,
    AudienceHits, HourHits, ObjectAudience, AICrawlerHits, PageDelivery,
)  # fmt: skip
# The day totals: kept with the Hits unless --hits.
TOTAL_MODELS: tuple[type[models.Model], ...] = (Hits, DayTotals, VisitTotals, SiteDelivery)
#: Days before today of live counts kept, as long as memcached and cache counters live (48 h).
LIVE_DAYS = EXPIRY_SECONDS // 86400


class Command(BaseCommand):
    help = (
        "Delete detail rows (paths, referrers, keywords, campaigns, statuses, 404s, bots) older "
        "than ADMIN_HITS_RETENTION_DAYS days. Daily per-object Hits and the day totals are kept "
        "unless --hits is given. Live counts of the db store (LiveHits) older than "
        f"{LIVE_DAYS} days are deleted whatever the retention."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, help="keep this many days (default: "
                            "ADMIN_HITS_RETENTION_DAYS)")  # fmt: skip
        parser.add_argument("--hits", action="store_true", help="also delete the older Hits, "
                            "DayTotals, VisitTotals and SiteDelivery rows")  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.RETENTION_DAYS
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1 (today's rows are never pruned).")
        verb = "Would delete" if options["dry_run"] else "Deleted"
        live_before = site_today() - datetime.timedelta(days=LIVE_DAYS)
        live = self.prune_live(live_before, dry_run=options["dry_run"])
        if options["verbosity"] >= 1:
            self.stdout.write(f"{verb} live counts dated before {live_before}: LiveHits {live:,}.")
        if days is None:
            if options["verbosity"] >= 1:
                self.stdout.write("ADMIN_HITS_RETENTION_DAYS is None: no daily rows are pruned.")
            return
        # A retention beyond the calendar's first day keeps everything: nothing is before it.
        today = site_today()
        before = today - datetime.timedelta(days=min(days, (today - datetime.date.min).days))
        targets = DETAIL_MODELS + (TOTAL_MODELS if options["hits"] else ())
        deleted = self.prune(targets, before, dry_run=options["dry_run"])
        if options["verbosity"] >= 1:
            counts = ", ".join(f"{name} {n:,}" for name, n in deleted.items())
            self.stdout.write(f"{verb} rows dated before {before}: {counts}.")

    @staticmethod
    def prune_live(before: datetime.date, *, dry_run: bool) -> int:
        """``LiveHits`` rows dated before ``before``, deleted (their day is over)."""
        using = router.db_for_write(LiveHits)
        rows = LiveHits._default_manager.using(using).filter(date__lt=before)
        if dry_run:
            return rows.count()
        # The pipes' heartbeats of those days go with them (admin_hits.live.health).
        LivePipe._default_manager.using(using).filter(date__lt=before)._raw_delete(using)
        return rows._raw_delete(using)

    @staticmethod
    def prune(
        targets: tuple[type[models.Model], ...], before: datetime.date, *, dry_run: bool
    ) -> dict[str, int]:
        """Rows dated before ``before`` per model, deleted in one transaction."""
        deleted: dict[str, int] = {}
        using = router.db_for_write(Hits)
        with transaction.atomic(using=using):
            for model in targets:
                rows = model._default_manager.using(using).filter(date__lt=before)
                # _raw_delete: one DELETE per table, no signals or cascades (none point here).
                deleted[model.__name__] = rows.count() if dry_run else rows._raw_delete(using)
            if not dry_run and any(deleted.values()):
                # The report's precomputed totals of periods reaching back before ``before``
                # summed the rows just deleted (with the default retention, none do).
                last = before - datetime.timedelta(days=1)
                period_totals.refresh(datetime.date.min, last, using=using, roll_over=False)
                if Hits in targets:  # the launches of those days, counted again
                    launches.invalidate(datetime.date.min, last, using=using)
                    launches.refresh(using=using)
        return deleted
