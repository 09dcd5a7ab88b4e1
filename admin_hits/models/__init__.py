"""The app's data: daily rows, traffic tables, precomputed period totals and live rows.

Every model keeps the ``admin_hits`` app label and its table, so the package needs no
migration of its own; ``from admin_hits.models import Hits`` (and every other name below) is
the import users and the rest of the package use.
"""

from __future__ import annotations

from admin_hits.logs.hashing import path_hash
from admin_hits.models.audience import AICrawlerHits, AudienceHits, HourHits
from admin_hits.models.hits import Hits, HitsQuerySet, LiveHits, PathHits, PathHitsQuerySet
from admin_hits.models.mixin import HitsMixin
from admin_hits.models.totals import ObjectPeriodTotals, PathPeriodTotals, PeriodTotals
from admin_hits.models.traffic import (
    BotHits,
    CampaignHits,
    DayTotals,
    NotFoundHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
)

__all__ = [
    "AICrawlerHits",
    "AudienceHits",
    "BotHits",
    "CampaignHits",
    "DayTotals",
    "Hits",
    "HitsMixin",
    "HitsQuerySet",
    "HourHits",
    "LiveHits",
    "NotFoundHits",
    "ObjectPeriodTotals",
    "PathHits",
    "PathHitsQuerySet",
    "PathPeriodTotals",
    "PeriodTotals",
    "ReferrerHits",
    "SearchHits",
    "StatusHits",
    "path_hash",
]
