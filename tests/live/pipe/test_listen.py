"""``--listen``: nginx's syslog datagrams over UDP and a Unix socket, headers cut off."""

from __future__ import annotations

import os
import re
import socket
import stat
import threading
from pathlib import Path

import pytest

from admin_hits.exceptions import ConfigurationError
from admin_hits.live.pipe.sources import DatagramSource, strip_syslog_header
from tests.fixtures.memcached import free_port
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until
from tests.live.pipe.test_process import BERLIN, peak_rss_mib, views

LINE = combined("/a/").rstrip("\n").encode()


@pytest.mark.parametrize(
    "datagram",
    [
        b"<190>Nov 28 12:00:00 web1 nginx: " + LINE,  # access_log syslog:server=...
        b"<190>Nov  8 12:00:00 nginx: " + LINE,  # ... nohostname
        b"<14>Nov 28 12:00:00 web-1.example.com hits_tag: " + LINE,  # ... tag=hits_tag
        LINE,  # no header at all
        LINE + b"\n",
    ],
)
def test_the_syslog_header_is_cut_off(datagram: bytes) -> None:
    assert strip_syslog_header(datagram) == LINE + b"\n"


def test_an_ipv6_client_is_not_taken_for_a_header() -> None:
    line = combined("/a/", ip="2001:db8::1").rstrip("\n").encode()
    assert strip_syslog_header(b"<190>Nov 28 12:00:00 nginx: " + line) == line + b"\n"


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "udp://nohost", "unix"])
def test_unusable_addresses_are_refused(address: str) -> None:
    with pytest.raises(ConfigurationError, match="--listen"):
        DatagramSource(address)


def send(address: str, datagrams: list[bytes]) -> None:
    if address.startswith("unix:"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            for datagram in datagrams:
                sock.sendto(datagram, address.removeprefix("unix:"))
    else:
        host, _, port = address.removeprefix("udp://").rpartition(":")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for datagram in datagrams:
                sock.sendto(datagram, (host, int(port)))


@pytest.mark.services
@pytest.mark.parametrize("kind", ["udp", "unix"])
def test_datagrams_are_counted(memcached, start_pipe, tmp_path: Path, kind: str) -> None:
    if kind == "udp":
        address = f"udp://127.0.0.1:{free_port(socket.SOCK_DGRAM)}"
    else:
        address = f"unix:{tmp_path / 'hits.sock'}"
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--listen", address,
                      "--status-interval", "0.2")  # fmt: skip
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)  # listening
    send(address, [b"<190>Nov 28 12:00:00 web1 nginx: " + LINE] * 3 + [b"<190>junk"])
    wait_until(lambda: views(memcached) == {"/a/": 3}, timeout=5)
    assert pipe.signal(15) == 0
    assert "lines=4 views=3" in pipe.stderr
    if kind == "unix":  # kept for the next worker, with the mode it was given
        assert (tmp_path / "hits.sock").is_socket()


def test_datagrams_longer_than_a_line_are_counted_and_never_held(tmp_path: Path) -> None:
    address = f"unix:{tmp_path / 'hits.sock'}"
    source = DatagramSource(address, max_line_length=1024)
    header = b"<190>Nov 28 12:00:00 web1 nginx: "
    try:
        send(address, [
            header + b"x" * 100_000,  # does not fit the receive buffer: cut by the kernel
            b"y" * 1025,  # fits, but its line (with its line break) is over the limit
            header + b"z" * 1024,
            header + b"z" * 1023,  # 1,024 bytes with its line break: kept
            header + LINE,
        ])  # fmt: skip
        lines = source.read()
    finally:
        source.close()
    assert lines == [b"z" * 1023 + b"\n", LINE + b"\n"]
    assert source.too_long == 3


@pytest.mark.services
def test_a_flood_of_huge_datagrams_keeps_memory_bounded(memcached, start_pipe, tmp_path) -> None:
    address = f"unix:{tmp_path / 'hits.sock'}"
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--listen", address,
                      "--status-interval", "0.2")  # fmt: skip
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)
    (worker,) = pipe.children()
    before = peak_rss_mib(worker)
    huge = b"<190>Nov 28 12:00:00 nginx: " + b"x" * (200 * 1024)
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        for _ in range(3000):  # blocks while the worker's queue is full: paced by its reading
            sock.sendto(huge, address.removeprefix("unix:"))
        sock.sendto(b"<190>Nov 28 12:00:00 nginx: " + LINE, address.removeprefix("unix:"))
    wait_until(lambda: views(memcached) == {"/a/": 1}, timeout=10)
    grown = peak_rss_mib(worker) - before
    assert pipe.signal(15) == 0
    assert "(too_long:3000)" in pipe.stderr.splitlines()[-1]
    assert grown < 20, f"peak RSS grew by {grown:.0f} MiB"


def test_a_new_worker_keeps_the_sockets_mode_and_owners(tmp_path: Path) -> None:
    # The admin opens the socket to nginx's user (chmod, a shared group); a worker restarted
    # by the supervisor binds it again, and must not shut nginx out with the umask's mode.
    path = tmp_path / "hits.sock"
    first = DatagramSource(f"unix:{path}")
    os.chmod(path, 0o666)
    os.chown(path, 0, 4)  # a group of nginx's user, say (adm)
    first.close()
    old_umask = os.umask(0o077)
    try:
        second = DatagramSource(f"unix:{path}")
    finally:
        os.umask(old_umask)
    try:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o666
        assert os.stat(path).st_gid == 4
    finally:
        second.close()


#: Datagrams of the UDP flood, each a view of its own path.
FLOOD_DATAGRAMS = 150_000


@pytest.mark.services
def test_a_udp_flood_of_distinct_paths_keeps_memory_bounded(memcached, start_pipe) -> None:
    # Two senders as fast as they can: what the worker can not take in time the kernel drops
    # (UDP), what it takes is bounded by --max-pending while memcached is slower than the flood.
    address = f"udp://127.0.0.1:{free_port(socket.SOCK_DGRAM)}"
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--listen", address,
                      "--max-pending", "5000", "--status-interval", "0.2")  # fmt: skip
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)
    (worker,) = pipe.children()
    before = peak_rss_mib(worker)
    host, port = address.removeprefix("udp://").rsplit(":", 1)

    def flood(first: int) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for i in range(first, FLOOD_DATAGRAMS, 2):
                datagram = b"<190>Nov 28 12:00:00 nginx: " + combined(f"/flood/{i}/").encode()
                sock.sendto(datagram, (host, int(port)))

    senders = [threading.Thread(target=flood, args=(n,)) for n in (0, 1)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    after = b"<190>Nov 28 12:00:00 nginx: " + combined("/after/").encode()

    def counted_after() -> bool:  # sent again while the kernel's buffer may still be full
        send(address, [after])
        return bool(views(memcached, "/after/"))

    wait_until(counted_after, timeout=20, step=0.2)
    grown = peak_rss_mib(worker) - before
    assert pipe.children() == [worker]  # the same worker: it never crashed
    assert pipe.signal(15) == 0
    last = pipe.stderr.splitlines()[-1]
    lines = int(re.search(r"lines=(\d+)", last).group(1))
    assert 100 < lines <= FLOOD_DATAGRAMS + 100, last  # the kernel drops what it can not hold
    assert grown < 40, f"peak RSS grew by {grown:.0f} MiB"
