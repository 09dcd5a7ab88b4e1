"""The embedded default store: per-day, per-path counters upserted in the Django database."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import DatabaseError, connections, router, transaction

from admin_hits.exceptions import StoreError
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.errors import PartialAddError
from admin_hits.live.stores.heartbeats import Heartbeat
from admin_hits.models import LiveHits, LivePipe, path_hash

_READ_BATCH = 500


def storable_path(path: str) -> str:
    """``path`` as text every database accepts: no NUL, no lone surrogates (non-UTF-8 bytes).

    Such bytes are written as ``\\xNN``; the row is still found by the hash of the original path.
    """
    try:
        raw = path.encode("utf-8", "surrogateescape")  # the log's original bytes
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass")
    text = raw.decode("utf-8", "backslashreplace")
    return text.replace("\x00", "\\x00")


class DatabaseStore(LiveStore):
    """Counters in ``LiveHits``; one ``INSERT ... ON CONFLICT DO UPDATE`` adds many deltas.

    Django's ``bulk_create(update_conflicts=True)`` can only overwrite a column with the new value,
    not add to it, hence the SQL (understood by SQLite >= 3.24 and PostgreSQL alike).
    """

    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        rows = [(day, path_hash(p), storable_path(p), n) for p, n in deltas.items() if n]
        if not rows:
            return
        table = LiveHits._meta.db_table
        alias = router.db_for_write(LiveHits)
        sql = (
            f"INSERT INTO {table} (date, path_hash, path, views) VALUES (%s, %s, %s, %s) "
            f"ON CONFLICT (date, path_hash) DO UPDATE SET views = {table}.views + excluded.views"
        )
        connection = connections[alias]
        # Inside someone else's transaction the commit is theirs: a failure here rolls back to
        # the savepoint, or breaks their transaction, and either way applies nothing.
        owns_commit = not connection.in_atomic_block
        committing = False
        try:
            with transaction.atomic(using=alias):
                with connection.cursor() as cursor:
                    cursor.executemany(sql, rows)
                committing = True  # leaving the block commits
        except DatabaseError as exc:
            # A long-running writer (the pipe) needs a fresh connection after the database
            # restarted; inside someone else's transaction the connection is not ours to close.
            if owns_commit:
                connection.close()
            if committing and owns_commit and connection.vendor != "sqlite":
                # The COMMIT was sent and its reply never came (the connection died): the
                # server may have applied the batch, so sending it again could count it twice.
                # SQLite has no reply to lose: a COMMIT that raised ("database is locked",
                # another process writing) did not commit, and Django rolled it back.
                raise PartialAddError(
                    f"database store: commit unconfirmed: {exc}",
                    uncertain={p: n for p, n in deltas.items() if n},
                ) from exc
            # Before the commit: the transaction rolled back, nothing was added.
            raise StoreError(f"database store: {exc}") from exc

    def get_many(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        by_hash = {path_hash(p): p for p in paths}
        hashes = list(by_hash)
        counts: dict[str, int] = {}
        try:
            # In slices: SQLite limits the number of query parameters.
            for start in range(0, len(hashes), _READ_BATCH):
                rows = LiveHits.objects.filter(
                    date=day, path_hash__in=hashes[start : start + _READ_BATCH]
                ).values_list("path_hash", "views")
                counts.update((by_hash[h], v) for h, v in rows)
        except DatabaseError as exc:
            raise StoreError(f"database store: {exc}") from exc
        return counts

    def day(self, day: datetime.date) -> dict[str, int]:
        try:
            return dict(LiveHits.objects.filter(date=day).values_list("path", "views"))
        except DatabaseError as exc:
            raise StoreError(f"database store: {exc}") from exc

    # -- heartbeats ------------------------------------------------------------------------

    def beat(self, day: datetime.date, heartbeat: Heartbeat) -> bool:
        written: set[tuple[datetime.date, str]] = self.__dict__.setdefault("_beaten", set())
        pipe, data = heartbeat.pipe_id[:300], heartbeat.encode()
        try:
            with transaction.atomic(using=router.db_for_write(LivePipe)):
                found = LivePipe.objects.filter(date=day, pipe=pipe).update(heartbeat=data)
                if not found:
                    LivePipe.objects.create(date=day, pipe=pipe, heartbeat=data)
        except DatabaseError as exc:
            raise StoreError(f"database store: {exc}") from exc
        known = (day, pipe) in written
        written.add((day, pipe))
        return bool(found) or not known

    def heartbeats(self, day: datetime.date) -> list[Heartbeat]:
        try:
            rows = list(LivePipe.objects.filter(date=day).values_list("heartbeat", flat=True))
        except DatabaseError as exc:
            raise StoreError(f"database store: {exc}") from exc
        return [beat for raw in rows if (beat := Heartbeat.decode(raw)) is not None]

    def probe(self) -> None:
        """Write a row and read it back, in a transaction that is rolled back."""
        try:
            with transaction.atomic(using=router.db_for_write(LivePipe)):
                row = LivePipe.objects.create(date=datetime.date.min, pipe="probe", heartbeat="")
                if not LivePipe.objects.filter(pk=row.pk).exists():
                    raise StoreError("database store: a row written could not be read back")
                transaction.set_rollback(True)
        except DatabaseError as exc:
            raise StoreError(f"database store: {exc}") from exc
