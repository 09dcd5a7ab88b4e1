"""404s turned into fixes: for a missing path, where its readers should go instead.

First the object that used to live there: a path that once showed an object (its past
``PathHits`` rows) now 404s, so the object moved (a new slug): its current address. Else an
object whose slug was changed in the admin before the path's 404s began (``renames``). Else the
closest path of the same URL pattern among those viewed lately (``/articles/resuls/`` ->
``/articles/results/``). With ``django.contrib.redirects`` installed, the report offers to
create the redirect (``report.views.redirects``); it never creates one by itself.

Of one site of several (``site``), the 404s are that site's, and so are the rows each step
reads; a suggestion is an address that resolves with the site's URLconf.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

from django.apps import apps
from django.db.models import Q, Sum
from django.urls import Resolver404, resolve

from admin_hits.live.counts import object_path
from admin_hits.logs.hashing import path_hash
from admin_hits.models import PathHits
from admin_hits.models.site_time import site_today
from admin_hits.models.sites import site_urlconf
from admin_hits.report.editorial.renames import renamed_targets
from admin_hits.report.objects import attach_objects

RECENT_DAYS = 30  # paths viewed in these days are the candidates of the same pattern
CANDIDATES = 2000  # the most viewed of them
CLOSE_ENOUGH = 0.6  # difflib's ratio below which a path is no suggestion


def redirects_installed() -> bool:
    return apps.is_installed("django.contrib.redirects") and apps.is_installed(
        "django.contrib.sites"
    )


@dataclass(frozen=True)
class Suggestion:
    path: str  # where to send readers
    # "moved": the object that was there; "renamed": an object renamed in the admin before
    # the 404s began; "similar": the closest path
    reason: str


def _pattern(path: str, urlconf: str | None = None) -> str | None:
    """The URL pattern ``path`` resolves to (its route) with ``urlconf`` (None: the current
    one), or None."""
    try:
        match = resolve(path.split("?", 1)[0], urlconf)
    except Resolver404:
        return None
    except Exception:  # a URLconf that raises for odd paths: no pattern, no suggestion
        return None
    return match.route or match.view_name


class Suggester:
    """Suggestions for many missing paths at once: one query for their past objects, one for
    the candidate paths (only when a path needs them); of one ``site``'s 404s when given."""

    def __init__(self, today: datetime.date | None = None, site: int | None = None) -> None:
        self.today = today or site_today()
        self.found: dict[str, Suggestion | None] = {}
        self.site = site
        self.rows = Q() if site is None else Q(site=site)  # the rows of the site
        self.pattern = partial(_pattern, urlconf=site_urlconf(site))

    def suggest_many(self, paths: Iterable[str]) -> dict[str, Suggestion | None]:
        wanted = [p for p in dict.fromkeys(paths) if p not in self.found]
        if wanted:
            moved = self._moved(wanted)
            rest = [path for path in wanted if path not in moved]
            renamed = renamed_targets(rest, self.today, self.pattern, self.site) if rest else {}
            for path in wanted:
                if path in renamed:
                    moved[path] = Suggestion(renamed[path], "renamed")
                self.found[path] = moved.get(path) or self._similar(path)
        return self.found

    def suggest(self, path: str) -> Suggestion | None:
        return self.suggest_many([path])[path]

    def _moved(self, paths: list[str]) -> dict[str, Suggestion]:
        """The current address of the object each path showed last, when it is another."""
        by_hash = {path_hash(p): p for p in paths}
        rows = (
            PathHits.objects.filter(
                self.rows, path_hash__in=list(by_hash), content_type__isnull=False
            )
            .order_by("path_hash", "-date")
            .values("path_hash", "content_type", "object_id")
        )
        last: dict[str, Any] = {}
        for row in rows:
            last.setdefault(row["path_hash"], row)
        records = [{"object_type": r["content_type"], "object_pk": r["object_id"], "hash": h}
                   for h, r in last.items()]  # fmt: skip
        attach_objects(records)
        found = {}
        for record in records:
            current = object_path(record["object"]) if record["object"] is not None else None
            old = by_hash[record["hash"]]
            if current and current != old.split("?", 1)[0] and self._on_site(current):
                found[old] = Suggestion(current, "moved")
        return found

    def _on_site(self, path: str) -> bool:
        """Whether ``path`` (an object's address) is a page of the site: of every site, any
        address is; of one site, one its URLconf resolves."""
        return self.site is None or self.pattern(path) is not None

    @cached_property
    def _candidates(self) -> dict[str, list[str]]:
        """Paths of objects viewed lately, by URL pattern, the most viewed first."""
        since = self.today - datetime.timedelta(days=RECENT_DAYS)
        rows = (
            PathHits.objects.filter(self.rows, date__gte=since, content_type__isnull=False)
            .values("path")
            .annotate(total=Sum("views"))
            .order_by("-total", "path")[:CANDIDATES]
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            pattern = self.pattern(row["path"])
            if pattern is not None:
                found.setdefault(pattern, []).append(row["path"])
        return found

    def _similar(self, path: str) -> Suggestion | None:
        pattern = self.pattern(path)
        if pattern is None:
            return None
        best, score = None, CLOSE_ENOUGH
        for candidate in self._candidates.get(pattern, []):
            ratio = difflib.SequenceMatcher(None, path, candidate).ratio()
            if ratio > score and candidate != path:
                best, score = candidate, ratio
        return Suggestion(best, "similar") if best else None
