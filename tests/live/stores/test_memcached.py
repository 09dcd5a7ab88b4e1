"""The memcached store against real memcached servers (started by tests/fixtures/memcached.py)."""

from __future__ import annotations

import datetime
import socket
import sys
import threading
import time

import pytest

from admin_hits.live.stores import get_store
from admin_hits.live.stores import keys as k
from admin_hits.live.stores.errors import PartialAddError
from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer, free_port

pytestmark = pytest.mark.services

DAY = datetime.date(2026, 11, 29)
UGLY = ["/a/", "/with space/", "/ctl\x00\x1b[2J", "/\udcff\udc80", "/ü/😀", "/long/" + "x" * 8192]


def exchanges(store: MemcachedStore) -> list[int]:
    """The number of commands of each round trip ``store`` makes from now on (one server)."""
    (client,) = store._clients.values()
    sent: list[int] = []
    real = client.exchange

    def exchange(cmds: list[bytes], name: bytes) -> list[bytes]:
        sent.append(len(cmds))
        return real(cmds, name)

    client.exchange = exchange
    return sent


def store_for(*servers: MemcachedServer, **kwargs) -> MemcachedStore:
    return MemcachedStore([s.address for s in servers], prefix="t", timeout=0.5, **kwargs)


def test_adds_and_reads_back_any_path(memcached: MemcachedServer) -> None:
    store = store_for(memcached)
    store.add(DAY, dict.fromkeys(UGLY, 2))
    store.add(DAY, {"/a/": 5})
    assert store.get_many(DAY, [*UGLY, "/never/"]) == {**dict.fromkeys(UGLY, 2), "/a/": 7}
    assert store.get_many(DAY + datetime.timedelta(days=1), UGLY) == {}
    store.close()


def test_day_lists_every_path_of_the_day_once(memcached: MemcachedServer) -> None:
    store = store_for(memcached)
    store.add(DAY, dict.fromkeys(UGLY, 1))
    store.add(DAY, {"/a/": 1, "/b/": 3})
    store.add(DAY - datetime.timedelta(days=1), {"/yesterday/": 1})
    assert store.day(DAY) == {**dict.fromkeys(UGLY, 1), "/a/": 2, "/b/": 3}
    assert store.day(DAY + datetime.timedelta(days=1)) == {}
    assert store.index_errors == 0


@pytest.mark.parametrize("expiry", [None, 3600])
def test_counters_expire_as_a_relative_time(memcached: MemcachedServer, expiry) -> None:
    store = store_for(memcached, **({"expiry": expiry} if expiry else {}))
    store.add(DAY, {"/a/": 1})
    seconds = expiry or 48 * 3600
    for key in (k.counter_key("t", DAY, "/a/"), k.index_count_key("t", DAY)):
        reply = memcached.command(b"mg " + key.encode() + b" t\r\n")  # meta get: remaining TTL
        ttl = int(reply.split()[1][1:])
        assert seconds - 60 < ttl <= seconds, reply


def test_two_writers_racing_on_new_keys_lose_nothing(memcached: MemcachedServer) -> None:
    paths = [f"/race/{i}/" for i in range(3000)]
    stores = [store_for(memcached) for _ in range(3)]
    start = threading.Barrier(len(stores))

    def write(store: MemcachedStore) -> None:
        start.wait(timeout=5)
        for _ in range(3):
            store.add(DAY, dict.fromkeys(paths, 1))

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert store_for(memcached).get_many(DAY, paths) == dict.fromkeys(paths, 9)
    assert sorted(store_for(memcached).day(DAY)) == sorted(paths)


def test_a_key_created_between_incr_and_add_is_incremented(
    memcached: MemcachedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = store_for(memcached)
    store = store_for(memcached)
    (client,) = store._clients.values()
    store_many = client.store_many

    def other_server_wins(verb, values, expire):
        if verb == b"add" and k.counter_key("t", DAY, "/new/") in values:
            other.add(DAY, {"/new/": 10})  # the other web server creates the key first
        return store_many(verb, values, expire)

    monkeypatch.setattr(client, "store_many", other_server_wins)
    store.add(DAY, {"/new/": 1})
    monkeypatch.undo()
    assert store.get_many(DAY, ["/new/"]) == {"/new/": 11}
    assert store.day(DAY) == {"/new/": 11}  # listed once, by the writer that created it


def test_several_servers_share_the_keys(start_memcached) -> None:
    one, two = start_memcached(), start_memcached()
    store = store_for(one, two)
    paths = [f"/p/{i}" for i in range(200)]
    store.add(DAY, dict.fromkeys(paths, 1))
    on_one = [p for p in paths if one.command(f"get {k.counter_key('t', DAY, p)}\r\n".encode())
              .startswith(b"VALUE")]  # fmt: skip
    assert 40 < len(on_one) < 160  # both servers hold a share
    assert store.get_many(DAY, paths) == dict.fromkeys(paths, 1)
    assert store.day(DAY) == dict.fromkeys(paths, 1)


def test_a_dead_server_leaves_the_others_counting(start_memcached) -> None:
    one, two = start_memcached(), start_memcached()
    store = store_for(one, two, retry_after=0.2)
    paths = [f"/p/{i}" for i in range(100)]
    two.stop()
    with pytest.raises(PartialAddError) as failure:
        store.add(DAY, dict.fromkeys(paths, 1))
    unapplied = failure.value.unapplied
    assert 10 < len(unapplied) < 90 and not failure.value.uncertain
    applied = [p for p in paths if p not in unapplied]
    assert store.get_many(DAY, paths) == dict.fromkeys(applied, 1)  # the live half answers

    two.start()
    time.sleep(0.25)
    store.add(DAY, unapplied)  # the pipe's retry: exactly the unapplied deltas
    assert store.get_many(DAY, paths) == dict.fromkeys(paths, 1)


def test_a_stopped_server_fails_fast_and_nothing_is_applied(memcached: MemcachedServer) -> None:
    store = MemcachedStore([("127.0.0.1", free_port())], prefix="t", timeout=0.5)
    # Refused at once, not given up after the timeout: nothing was sent, all is unapplied.
    with pytest.raises(PartialAddError, match="memcached store.*refused") as failure:
        store.add(DAY, {"/a/": 1, "/b/": 2})
    assert failure.value.unapplied == {"/a/": 1, "/b/": 2} and not failure.value.uncertain
    with pytest.raises(PartialAddError):  # marked down: not even a connection attempt
        store.add(DAY, {"/a/": 1})


def test_a_silent_server_times_out_and_is_not_retried() -> None:
    with socket.socket() as blackhole:
        blackhole.bind(("127.0.0.1", 0))
        blackhole.listen(8)  # the kernel accepts connections; nobody ever answers
        store = MemcachedStore([blackhole.getsockname()], prefix="t", timeout=0.3)
        sent = exchanges(store)
        started = time.monotonic()
        with pytest.raises(PartialAddError) as failure:
            store.add(DAY, {"/a/": 1})
        # Waited for the timeout (a busy machine only waits longer), and sent once.
        assert time.monotonic() - started > 0.25
        assert sent == [1]
        # The incr was sent: memcached may have applied it, so it is never sent again.
        assert failure.value.uncertain == {"/a/": 1} and not failure.value.unapplied
        with pytest.raises(Exception, match="unreachable"):
            store.get_many(DAY, ["/a/"])


def test_many_paths_take_a_few_round_trips_not_one_each(memcached: MemcachedServer) -> None:
    store = store_for(memcached)
    deltas = {f"/many/{i}": 1 for i in range(5000)}
    store.add(DAY, deltas)
    sent = exchanges(store)
    store.add(DAY, deltas)
    # Every counter exists: one pipelined incr per batch of 500 paths, one round trip each.
    # (How fast the pipe counts into memcached is a figure of bench/pipe.py, not a test's.)
    assert sent == [500] * 10
    assert store.get_many(DAY, ["/many/0", "/many/4999"]) == {"/many/0": 2, "/many/4999": 2}


def test_get_store_builds_it_from_the_url(memcached: MemcachedServer, settings) -> None:
    settings.ADMIN_HITS_KEY_PREFIX = "site1"
    store = get_store(memcached.url)
    assert isinstance(store, MemcachedStore) and store.prefix == "site1"


def test_importing_the_store_does_not_load_django() -> None:
    import subprocess

    code = (
        "import sys, admin_hits.live.stores.memcached\n"
        "print(any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30, check=True)
    assert out.stdout.strip() == b"False"


def test_an_error_reply_fails_the_batch_and_the_next_one_works(memcached: MemcachedServer):
    key = k.counter_key("t", DAY, "/garbled/").encode()
    assert memcached.command(b"set " + key + b" 0 0 3\r\nabc\r\n") == b"STORED\r\n"
    store = store_for(memcached, retry_after=0.0)
    with pytest.raises(PartialAddError, match="non-numeric") as failure:
        store.add(DAY, {"/garbled/": 1, "/fine/": 2})
    assert failure.value.uncertain == {"/garbled/": 1, "/fine/": 2}  # one batch: all unknown
    store.add(DAY, {"/fine/": 5})  # a fresh connection, in step again
    # The uncertain 2 happened not to be applied here; they are lost, never sent twice.
    assert store.get_many(DAY, ["/fine/"]) == {"/fine/": 5}
