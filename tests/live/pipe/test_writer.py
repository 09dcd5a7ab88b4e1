"""StoreWriter with stores that fail on purpose: bounded, never double counting."""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping

from admin_hits.exceptions import StoreError
from admin_hits.live.pipe.writer import StoreWriter
from admin_hits.live.stores.base import LiveStore
from admin_hits.live.stores.errors import PartialAddError

DAY = datetime.date(2026, 11, 29)


class FakeStore(LiveStore):
    """Counts in memory; ``fail`` decides per call what goes wrong."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[datetime.date, str]] = Counter()
        self.calls = 0
        self.fail: str | None = None
        self.called = threading.Event()
        self.closed = False

    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        self.calls += 1
        self.called.set()
        if self.fail == "down":
            raise StoreError("connection refused")
        if self.fail == "bug":
            raise UnicodeEncodeError("utf-8", "x", 0, 1, "surrogates not allowed")
        items = sorted(deltas.items())
        if self.fail == "partial":  # first path applied, second uncertain, rest unapplied
            self.counts[day, items[0][0]] += items[0][1]
            raise PartialAddError(
                "half",
                uncertain=dict(items[1:2]),
                unapplied=dict(items[2:]),
            )
        for path, n in items:
            self.counts[day, path] += n

    def get_many(self, day: datetime.date, paths: Iterable[str]) -> dict[str, int]:
        return {p: self.counts[day, p] for p in paths if (day, p) in self.counts}

    def day(self, day: datetime.date) -> dict[str, int]:
        return {p: n for (d, p), n in self.counts.items() if d == day}

    def close(self) -> None:
        self.closed = True


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_writes_in_the_background_and_closes_the_store() -> None:
    store = FakeStore()
    writer = StoreWriter(store)
    writer.start()
    writer.submit({(DAY, "/a"): 2, (DAY, "/b"): 1})
    writer.submit({(DAY, "/a"): 1, (DAY + datetime.timedelta(days=1), "/a"): 1})
    writer.close(timeout=5)
    assert store.counts == {(DAY, "/a"): 3, (DAY, "/b"): 1, (DAY + datetime.timedelta(1), "/a"): 1}
    assert writer.written == 5 and writer.dropped == 0 and writer.pending == 0
    assert store.closed


def test_keeps_counts_while_the_store_is_down_and_sends_them_once_when_back() -> None:
    store = FakeStore()
    store.fail = "down"
    writer = StoreWriter(store, retry_delay=0.05)
    writer.start()
    writer.submit({(DAY, "/a"): 1})
    wait_for(lambda: writer.errors >= 2)  # retried, backing off
    writer.submit({(DAY, "/a"): 1, (DAY, "/b"): 1})
    assert writer.pending == 3
    store.fail = None
    wait_for(lambda: writer.pending == 0 and writer.written == 3, timeout=10)
    writer.close(timeout=5)
    assert store.counts == {(DAY, "/a"): 2, (DAY, "/b"): 1}


def test_partial_failure_resends_only_what_was_not_applied() -> None:
    store = FakeStore()
    store.fail = "partial"
    writer = StoreWriter(store, retry_delay=0.05)
    writer.start()
    writer.submit({(DAY, "/a"): 1, (DAY, "/b"): 10, (DAY, "/c"): 100})
    wait_for(lambda: store.calls >= 1)
    store.fail = None
    wait_for(lambda: writer.pending == 0)
    writer.close(timeout=5)
    # /a applied once, /b uncertain (not resent: maybe lost, never doubled), /c resent once.
    assert store.counts == {(DAY, "/a"): 1, (DAY, "/c"): 100}
    assert writer.uncertain == 10 and writer.written == 101


def test_pending_is_bounded_and_the_oldest_are_dropped() -> None:
    store = FakeStore()
    store.fail = "down"
    writer = StoreWriter(store, max_pending=3, retry_delay=60)
    writer.start()
    for i in range(6):
        writer.submit({(DAY, f"/{i}"): 1})
        wait_for(lambda: store.calls >= 1)
    assert writer.pending == 3 and writer.dropped == 3
    store.fail = None
    writer.close(timeout=5)  # one last try at exit, even while backing off
    assert store.counts == {(DAY, "/3"): 1, (DAY, "/4"): 1, (DAY, "/5"): 1}


def test_a_store_that_stays_down_at_exit_loses_the_pending_counts_visibly() -> None:
    store = FakeStore()
    store.fail = "down"
    writer = StoreWriter(store, retry_delay=60)
    writer.start()
    writer.submit({(DAY, "/a"): 4})
    writer.close(timeout=5)
    # The thread closes the store as it ends: it did not sit out the 60 s backoff (close()
    # would have given up after 5 s with the thread still waiting and the store open).
    assert writer.dropped == 4 and writer.pending == 0 and store.closed


def test_an_unexpected_error_drops_the_batch_instead_of_retrying_forever() -> None:
    store = FakeStore()
    store.fail = "bug"
    writer = StoreWriter(store, retry_delay=0.01)
    writer.start()
    writer.submit({(DAY, "/a"): 2})
    wait_for(lambda: writer.dropped == 2)
    assert "surrogates" in writer.last_error
    store.fail = None
    writer.submit({(DAY, "/b"): 1})
    writer.close(timeout=5)
    assert store.counts == {(DAY, "/b"): 1}
    assert writer.errors == 1 and writer.last_error == ""  # the store answered again


class StallingStore(FakeStore):
    """Times out (every path sent is uncertain) for its first ``stalled_calls``; records each
    batch."""

    def __init__(self, stalled_calls: int) -> None:
        super().__init__()
        self.stalled_calls = stalled_calls
        self.batches: list[dict[str, int]] = []

    def add(self, day: datetime.date, deltas: Mapping[str, int]) -> None:
        self.batches.append(dict(deltas))
        if len(self.batches) <= self.stalled_calls:
            raise PartialAddError("timed out", uncertain=dict(deltas))
        super().add(day, deltas)


def test_after_a_timeout_one_path_is_sent_until_the_store_answers() -> None:
    store = StallingStore(stalled_calls=3)
    writer = StoreWriter(store, retry_delay=0.01)
    writer.submit({(DAY, "/a/"): 50, (DAY, "/b/"): 70})
    writer.start()
    wait_for(lambda: len(store.batches) == 1)
    writer.submit({(DAY, f"/{n}/"): n for n in range(1, 11)})
    wait_for(lambda: writer.pending == 0)
    writer.close(timeout=5)
    first, *rest = store.batches
    assert first == {"/a/": 50, "/b/": 70}  # in flight when the stall began: uncertain
    # Then one path at a time, the fewest views first, until one got through; then the rest.
    assert rest[:3] == [{"/1/": 1}, {"/2/": 2}, {"/3/": 3}]
    assert rest[3] == {f"/{n}/": n for n in range(4, 11)}
    assert writer.uncertain == 50 + 70 + 1 + 2 and writer.written == 3 + sum(range(4, 11))
