"""The ``db`` store on the test database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import OperationalError, connection, connections

from admin_hits.exceptions import StoreError
from admin_hits.live.stores import get_store
from admin_hits.live.stores.db import DatabaseStore, storable_path
from admin_hits.live.stores.errors import PartialAddError
from admin_hits.models import LiveHits

DAY = datetime.date(2026, 11, 29)
UGLY = ["/a/", "/with space/", "/ctl\x00\x1b[2J", "/\udcff\udc80", "/ü/😀", "/long/" + "x" * 8192]


@pytest.mark.django_db
def test_adds_and_reads_back_any_path() -> None:
    store = get_store("db")
    assert isinstance(store, DatabaseStore)
    store.add(DAY, dict.fromkeys(UGLY, 2))
    store.add(DAY, {"/a/": 5, "/zero/": 0})
    assert store.get_many(DAY, [*UGLY, "/never/", "/zero/"]) == {
        **dict.fromkeys(UGLY, 2),
        "/a/": 7,
    }
    assert store.get_many(DAY + datetime.timedelta(days=1), UGLY) == {}
    assert LiveHits.objects.count() == len(UGLY)


@pytest.mark.django_db
def test_day_lists_paths_as_stored_text() -> None:
    store = DatabaseStore()
    store.add(DAY, dict.fromkeys(UGLY, 1))
    store.add(DAY - datetime.timedelta(days=1), {"/yesterday/": 1})
    assert store.day(DAY) == {storable_path(p): 1 for p in UGLY}
    assert storable_path("/ctl\x00") == "/ctl\\x00"
    assert storable_path("/\udcff") == "/\\xff"  # the byte as logged
    assert storable_path("/\ud800") == "/\\xed\\xa0\\x80"


@pytest.mark.django_db
def test_reads_thousands_of_paths_in_slices() -> None:
    store = DatabaseStore()
    paths = [f"/p/{i}" for i in range(2500)]
    store.add(DAY, dict.fromkeys(paths, 1))
    assert store.get_many(DAY, paths) == dict.fromkeys(paths, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_nothing() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's (DATABASE_URL)")
    paths = [f"/race/{i}/" for i in range(200)]
    start = threading.Barrier(3)

    def write() -> None:
        try:
            start.wait(timeout=5)
            for _ in range(3):
                DatabaseStore().add(DAY, dict.fromkeys(paths, 1))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert DatabaseStore().get_many(DAY, paths) == dict.fromkeys(paths, 9)


@pytest.mark.django_db(transaction=True)
def test_a_commit_whose_reply_is_lost_is_uncertain_never_resent(monkeypatch) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no reply to lose: a COMMIT that raised did not commit")
    committed = connection._commit

    def commit_then_lose_the_reply() -> None:
        committed()  # the server commits; the connection dies before its reply arrives
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "_commit", commit_then_lose_the_reply)
    with pytest.raises(PartialAddError) as failure:
        DatabaseStore().add(DAY, {"/once/": 1, "/zero/": 0})
    monkeypatch.undo()
    assert failure.value.uncertain == {"/once/": 1}  # applied or not: never sent again
    assert failure.value.unapplied == {}
    assert DatabaseStore().get_many(DAY, ["/once/"]) == {"/once/": 1}


@pytest.mark.django_db(transaction=True)
def test_a_locked_sqlite_commit_applies_nothing_and_is_resent(monkeypatch) -> None:
    # Another process writing (parse_log, an admin reader holding the lock): SQLite's COMMIT
    # fails with "database is locked" and commits nothing. Reported uncertain, those counts
    # were lost; they must be sent again.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own commit failure")

    def locked() -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(connection, "_commit", locked)
    with pytest.raises(StoreError) as failure:
        DatabaseStore().add(DAY, {"/once/": 1})
    monkeypatch.undo()
    assert not isinstance(failure.value, PartialAddError)  # the writer sends it all again
    assert DatabaseStore().get_many(DAY, ["/once/"]) == {}
    DatabaseStore().add(DAY, {"/once/": 1})
    assert DatabaseStore().get_many(DAY, ["/once/"]) == {"/once/": 1}


@pytest.mark.django_db(transaction=True)
def test_a_failure_before_the_commit_applies_nothing_and_may_be_resent() -> None:
    store = DatabaseStore()
    with pytest.raises(StoreError) as failure:
        store.add(DAY, {"/a/": 1, "/negative/": -1})  # the CHECK on views refuses the batch
    assert not isinstance(failure.value, PartialAddError)  # the writer sends it all again
    assert LiveHits.objects.count() == 0
