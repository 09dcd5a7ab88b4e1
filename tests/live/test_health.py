"""What the admin and hits_today say about the pipes that count into the live store."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from admin_hits.live.health import StoreHealth, age_text, midnight_of, read_health
from admin_hits.live.stores.db import DatabaseStore
from admin_hits.live.stores.heartbeats import RUNNING_WITHIN, Heartbeat

DAY = datetime.date(2026, 11, 29)
MIDNIGHT = midnight_of(DAY)  # in tests/settings.py's Europe/Berlin
NOON = MIDNIGHT + 12 * 3600


def beat(pid: int = 1, **fields) -> Heartbeat:
    return Heartbeat(host="web1", pid=pid, version="1", started=MIDNIGHT - 3600, **fields)


def health(beats, **fields) -> StoreHealth:
    return StoreHealth("memcached://m:11211", DAY, NOON, beats, midnight=MIDNIGHT, **fields)


def test_midnight_is_the_sites() -> None:
    expected = datetime.datetime(2026, 11, 29, tzinfo=timezone.get_default_timezone())
    assert expected.timestamp() == MIDNIGHT


def test_running_pipes_and_their_last_write() -> None:
    beats = [
        beat(1, beat=NOON - 2, last_write=NOON - 3),
        beat(2, beat=NOON - 1, last_write=NOON - 40),
        beat(3, beat=NOON - RUNNING_WITHIN - 1, last_write=NOON - 500),  # silent too long
        beat(4, beat=NOON - 1, last_write=NOON - 1, stopped=True),  # exited
    ]
    state = health(beats)
    assert [b.pid for b in state.running] == [1, 2]
    assert state.text == "Counted by 2 pipes, last write 1 s ago."
    assert not state.warning


def test_one_pipe_that_counted_nothing_yet() -> None:
    assert health([beat(beat=NOON)]).text == "Counted by 1 pipe; no view written yet today."


def test_pipes_that_wrote_today_but_stopped() -> None:
    state = health([beat(beat=NOON - 7200, last_write=NOON - 7300, stopped=True)])
    assert state.text == "No pipe is running, last write 2 h ago."


def test_no_pipe_today_is_said_plainly() -> None:
    state = health([])
    assert state.no_pipe and state.warning
    assert state.text.startswith("No pipe has written to this live store (memcached://m:11211)")
    assert "admin-hits-pipe --check" in state.text


def test_a_store_without_heartbeats_says_nothing() -> None:
    assert health(None).text == "" and not health(None).warning


def test_a_memcached_restart_today_says_since_when() -> None:
    restarted = MIDNIGHT + 9 * 3600 + 15 * 60
    state = health([beat(beat=NOON, last_write=NOON)], server_started=restarted)
    assert state.counts_since == restarted and state.warning
    assert state.text == (
        "Counted by 1 pipe, last write 0 s ago. "
        "Live counts since 09:15; the nightly count is unaffected."
    )


def test_a_restart_before_midnight_is_no_loss() -> None:
    state = health([beat(beat=NOON, last_write=NOON)], server_started=MIDNIGHT - 60)
    assert state.counts_since is None and not state.warning


def test_the_latest_loss_a_pipe_found_counts() -> None:
    lost = [MIDNIGHT + 3600, MIDNIGHT + 7200]
    beats = [beat(i, beat=NOON, last_write=NOON, lost_at=when) for i, when in enumerate(lost)]
    state = health(beats, server_started=MIDNIGHT - 10)
    assert state.counts_since == MIDNIGHT + 7200
    assert "Live counts since 02:00" in state.text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(-3, "0 s"), (0.4, "0 s"), (119, "119 s"), (120, "2 min"), (7199, "119 min"), (7200, "2 h")],
)
def test_age_text(seconds: float, text: str) -> None:
    assert age_text(seconds) == text


@pytest.mark.django_db
def test_read_health_of_the_configured_store(settings) -> None:
    settings.ADMIN_HITS_STORE = "db"
    assert read_health().no_pipe
    today = timezone.localdate()
    now = time.time()
    DatabaseStore().beat(today, Heartbeat("web1", 5, "1", now, beat=now, last_write=now))
    state = read_health()
    assert state is not None and len(state.running) == 1 and not state.warning


def test_read_health_is_none_when_the_store_is_down(settings) -> None:
    from tests.fixtures.memcached import free_port

    settings.ADMIN_HITS_STORE = f"memcached://127.0.0.1:{free_port()}"
    settings.ADMIN_HITS_STORE_TIMEOUT = 0.2
    assert read_health() is None
