"""The app's data: daily rows, traffic tables, precomputed period totals and live rows.

Every model keeps the ``admin_hits`` app label and its table, so the package needs no
migration of its own; ``from admin_hits.models import Hits`` (and every other name below) is
the import users and the rest of the package use.
"""

from __future__ import annotations

from admin_hits.logs.hashing import path_hash
from admin_hits.models.audience import (
    AICrawlerHits,
    AudienceHits,
    HourHits,
    ObjectAudience,
)
from admin_hits.models.delivery import PageDelivery, SiteDelivery
from admin_hits.models.delivery_months import PageDeliveryMonth, SiteDeliveryMonth
from admin_hits.models.downloads import DownloadHits
from admin_hits.models.hits import Hits, HitsQuerySet, LiveHits, PathHits, PathHitsQuerySet
from admin_hits.models.landing_totals import LandingMonthTotals, LandingPeriodTotals
from admin_hits.models.launches import LaunchLog, ObjectLaunch
from admin_hits.models.live_pipes import LivePipe
from admin_hits.models.mail import AlertDelivery, DigestDelivery, MailPreference
from admin_hits.models.mixin import HitsMixin
from admin_hits.models.month_totals import MonthTotals, ObjectMonthTotals, PathMonthTotals
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
from admin_hits.models.visits import LandingHits, LandingReferrerHits, VisitLengths, VisitTotals

__all__ = [
    "AICrawlerHits",
    "AlertDelivery",
    "AudienceHits",
    "BotHits",
    "CampaignHits",
    "DayTotals",
    "DigestDelivery",
    "DownloadHits",
    "Hits",
    "HitsMixin",
    "HitsQuerySet",
    "HourHits",
    "LandingHits",
    "LandingMonthTotals",
    "LandingPeriodTotals",
    "LandingReferrerHits",
    "LaunchLog",
    "LiveHits",
    "LivePipe",
    "MailPreference",
    "MonthTotals",
    "NotFoundHits",
    "ObjectAudience",
    "ObjectMonthTotals",
    "ObjectLaunch",
    "PageDelivery",
    "PageDeliveryMonth",
    "ObjectPeriodTotals",
    "PathHits",
    "PathHitsQuerySet",
    "PathMonthTotals",
    "PathPeriodTotals",
    "PeriodTotals",
    "ReferrerHits",
    "SearchHits",
    "SiteDelivery",
    "SiteDeliveryMonth",
    "StatusHits",
    "VisitLengths",
    "VisitTotals",
    "path_hash",
]
