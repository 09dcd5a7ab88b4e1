"""What one report request covers: its period, the previous period, and today's live counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models

from admin_hits.exceptions import StoreError
from admin_hits.live.counts import object_path
from admin_hits.live.hours import hours_of, site_key, site_paths, without_hours
from admin_hits.live.stores import get_store
from admin_hits.models.periods import Period
from admin_hits.models.sites import configured_sites
from admin_hits.nightly.resolvers import ObjectRef, PathResolver
from admin_hits.report.owners import Owner


@dataclass
class LiveDay:
    """A day's counts from the live store, each path resolved to its object when it has one."""

    day: datetime.date
    paths: dict[str, int]
    refs: dict[str, ObjectRef] = field(default_factory=dict)
    hours: dict[int, int] = field(default_factory=dict)  # the site's views per hour so far

    @classmethod
    def read(
        cls, day: datetime.date, site: int | None = None, urlconf: str | None = None
    ) -> LiveDay:
        """Every path of ``day`` from the configured store, of every site or of one ``site``
        (its paths resolved with its ``urlconf``); raises ``StoreError`` when down."""
        store = get_store()
        try:
            paths = store.day(day)
        finally:
            store.close()
        hours = hours_of(paths, site)
        if site is not None:
            paths = site_paths(paths, site)
            return cls(day, paths, PathResolver(urlconf).resolve_many(paths), hours)
        paths = without_hours(paths)
        return cls(day, paths, PathResolver().resolve_many(paths), hours)

    @classmethod
    def read_object(cls, obj: models.Model, day: datetime.date, site: int | None = None) -> LiveDay:
        """Only ``obj``'s path (its ``get_absolute_url()``), read in one round trip; its views
        on one ``site`` of several when given (none when that site's URLconf shows another
        page at the path)."""
        path = object_path(obj)
        if path is None:
            return cls(day, {})
        ref = ObjectRef(ContentType.objects.get_for_model(obj).pk, str(obj.pk))
        urlconf = site_urlconf(site) if site is not None else None
        # As parse_log counts the site's views: its path resolved with the site's URLconf.
        if urlconf is not None and PathResolver(urlconf).resolve_many([path]).get(path) != ref:
            return cls(day, {})
        key = path if site is None else site_key(site, path)
        store = get_store()
        try:
            views = store.get_many(day, [key]).get(key, 0)
        finally:
            store.close()
        return cls(day, {path: views}, {path: ref})

    @property
    def total(self) -> int:
        return sum(self.paths.values())

    def only(self, owner: Owner | None) -> LiveDay:
        """The paths of the objects ``owner`` may see (all of them for None)."""
        if owner is None:
            return self
        refs = {p: (r.content_type_id, r.object_id) for p, r in self.refs.items()}
        allowed = owner.allowed(refs.values())
        kept = {p: n for p, n in self.paths.items() if refs.get(p) in allowed}
        return LiveDay(self.day, kept, {p: self.refs[p] for p in kept})

    def object_views(self) -> Counter[tuple[int, str]]:
        """Views per ``(content type id, object id)``, several paths of one object summed."""
        views: Counter[tuple[int, str]] = Counter()
        for path, ref in self.refs.items():
            views[(ref.content_type_id, ref.object_id)] += self.paths.get(path, 0)
        return views


@dataclass
class Scope:
    """The rows a report shows: ``period`` compared with ``previous``, optionally narrowed.

    ``ref`` (content type id, object id) narrows to one object (the drill-down page; ``obj`` is
    that object, None when it was deleted since), ``content_type`` to one model (the top objects
    table). ``live`` holds today's counts when the period is today; it stays None when the live
    store could not be read (``live_error`` says why).
    """

    period: Period
    previous: Period
    ref: tuple[int, str] | None = None
    obj: models.Model | None = None
    content_type: ContentType | None = None
    owner: Owner | None = None  # a scoped user's objects (``owners``); None: every object
    site: int | None = None  # one site's rows (``models.sites``); None: every site's
    live: LiveDay | None = None
    live_error: str = ""
    # What the request looked up once for all its tables (copies made by ``replace`` share it).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def first_day(self) -> datetime.date:
        return min(self.period.start, self.previous.start)

    @property
    def last_day(self) -> datetime.date:
        return max(self.period.end, self.previous.end)

    @property
    def object_ref(self) -> tuple[int, str] | None:
        return self.ref

    def site_filter(self) -> models.Q:
        """The rows of the scope's site (every row when it has none)."""
        return models.Q() if self.site is None else models.Q(site=self.site)


def live_views(
    day: datetime.date,
    obj: models.Model | None = None,
    owner: Owner | None = None,
    site: int | None = None,
) -> int | None:
    """Views on ``day`` so far, of the site (of ``owner``'s objects when scoped) or of
    ``obj``, on every site or on one ``site`` of several; None when the store is down."""
    try:
        if obj is not None:
            return LiveDay.read_object(obj, day, site).total
        if owner is not None:
            return LiveDay.read(day, site, site_urlconf(site)).only(owner).total
        store = get_store()
        try:
            paths = store.day(day)
        finally:
            store.close()
        return sum((without_hours(paths) if site is None else site_paths(paths, site)).values())
    except StoreError:
        return None


def site_urlconf(site: int | None) -> str | None:
    """The URLconf ``site``'s paths are resolved with (None: ``ROOT_URLCONF``)."""
    return next((s.urlconf for s in configured_sites() if s.site == site), None)
