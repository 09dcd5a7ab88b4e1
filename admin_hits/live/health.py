"""Is anything counting into the live store the admin reads, and since when?

Read from the pipes' heartbeats (``stores.heartbeats``) and, for memcached, the servers'
uptime. The admin's live figures and ``hits_today`` show ``StoreHealth.text``: "counted by 2
pipes, last write 3 s ago", or plainly that no pipe has written to this store today, or that
the store lost its data today and since when its counts run.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from admin_hits.conf import settings
from admin_hits.exceptions import StoreError
from admin_hits.live.stores import get_store
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.heartbeats import RUNNING_WITHIN, Heartbeat
from admin_hits.models.site_time import site_today


@dataclass(frozen=True)
class StoreHealth:
    """What the heartbeats of ``day`` say, as of ``now`` (a Unix time)."""

    url: str
    day: datetime.date
    now: float
    beats: list[Heartbeat] | None = None  # None: the store keeps no heartbeats
    server_started: float | None = None  # memcached: the latest start of a server
    midnight: float = field(default=0.0)  # the day's start, as a Unix time

    @property
    def running(self) -> list[Heartbeat]:
        """The pipes that have not exited and wrote a heartbeat lately."""
        return [
            beat
            for beat in self.beats or ()
            if not beat.stopped and self.now - beat.beat <= RUNNING_WITHIN
        ]

    @property
    def last_write(self) -> float | None:
        writes = [beat.last_write for beat in self.beats or () if beat.last_write]
        return max(writes) if writes else None

    @property
    def no_pipe(self) -> bool:
        """No pipe has written to this store today (while it keeps heartbeats)."""
        return self.beats is not None and not self.beats

    @property
    def counts_since(self) -> float | None:
        """When the store's counts of the day begin, if it lost them after midnight."""
        times = [beat.lost_at for beat in self.beats or () if beat.lost_at]
        if self.server_started is not None:
            times.append(self.server_started)
        times = [when for when in times if when > self.midnight]
        return max(times) if times else None

    @property
    def warning(self) -> bool:
        """Whether staff should be told (not just shown in small print)."""
        return self.no_pipe or self.counts_since is not None

    @property
    def text(self) -> str:
        """One or two sentences for staff; "" when there is nothing to say."""
        parts = [self._pipes_text()]
        since = self.counts_since
        if since is not None:
            local = timezone.localtime(datetime.datetime.fromtimestamp(since, datetime.UTC))
            parts.append(
                gettext("Live counts since %(time)s; the nightly count is unaffected.")
                % {"time": local.strftime("%H:%M")}
            )
        return " ".join(part for part in parts if part)

    def _pipes_text(self) -> str:
        if self.beats is None:
            return ""
        if not self.beats:
            return gettext(
                "No pipe has written to this live store (%(store)s) today: is the pipe running, "
                "and does it count into this store? Check with admin-hits-pipe --check."
            ) % {"store": self.url}
        running = len(self.running)
        last = self.last_write
        if running:
            pipes = ngettext("Counted by %(n)d pipe", "Counted by %(n)d pipes", running)
            pipes %= {"n": running}
        else:
            pipes = gettext("No pipe is running")
        if last is None:
            return gettext("%(pipes)s; no view written yet today.") % {"pipes": pipes}
        return gettext("%(pipes)s, last write %(age)s ago.") % {
            "pipes": pipes,
            "age": age_text(self.now - last),
        }


def age_text(seconds: float) -> str:
    """``seconds`` as "4 s", "12 min" or "3 h"."""
    seconds = max(0, round(seconds))
    if seconds < 120:
        return gettext("%(n)d s") % {"n": seconds}
    if seconds < 2 * 3600:
        return gettext("%(n)d min") % {"n": seconds // 60}
    return gettext("%(n)d h") % {"n": seconds // 3600}


def midnight_of(day: datetime.date) -> float:
    """The start of ``day`` in ``TIME_ZONE``, as a Unix time."""
    zone = timezone.get_default_timezone()
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=zone).timestamp()


def store_health(store: LiveStore, url: str, day: datetime.date | None = None) -> StoreHealth:
    """The health of ``store`` (named ``url``) on ``day`` (today); raises ``StoreError``."""
    day = day or site_today()
    return StoreHealth(
        url=url,
        day=day,
        now=time.time(),
        beats=store.heartbeats(day),
        server_started=store.started(),
        midnight=midnight_of(day),
    )


def read_health(url: str | None = None) -> StoreHealth | None:
    """The configured store's health today; None when it can not be read."""
    url = settings.STORE if url is None else url
    try:
        store = get_store(url)
        try:
            return store_health(store, url)
        finally:
            store.close()
    except StoreError:
        return None
