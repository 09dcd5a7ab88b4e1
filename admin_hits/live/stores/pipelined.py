"""A pymemcache client that sends many commands in one write and reads all replies at once.

pymemcache has no multi-key ``incr`` or ``add``; one round trip per path made a flush of
thousands of paths take a second of the pipe's time. This subclass writes a batch of commands
on the client's own connection (opened, timed out and closed by pymemcache) and splits the
replies in one go.

pymemcache's store commands default to ``noreply``. Mixing those with commands that wait for a
reply on one connection stalled each such pair for tens of milliseconds (Nagle's algorithm and
delayed ACKs: 300,000 lines took 150 s instead of 10 s), so every command here waits for its
reply, and the client is made with ``no_delay`` and ``default_noreply=False``.
"""

from __future__ import annotations

import select
import socket
from collections.abc import Mapping

from pymemcache.client.base import Client
from pymemcache.exceptions import MemcacheUnexpectedCloseError, MemcacheUnknownError


class PipelinedClient(Client):  # type: ignore[misc]  # pymemcache ships no py.typed: Client is Any
    """A pymemcache ``Client`` with pipelined ``incr``, ``add`` and ``set`` over many keys.

    Keys come from ``admin_hits.live.stores.keys`` (ASCII, no spaces, short), so they are written
    as they are; values are decimal counts or paths, as bytes. The replies of a whole batch
    are read at once and split, rather than line by line.
    """

    def connect(self) -> None:
        """Connect, unless connected. A connection memcached has closed (it was restarted, or
        dropped the client) is replaced first: a batch sent into it would fail after it was
        sent, and its counts would be taken for possibly applied and lost."""
        if self.sock is not None and _readable(self.sock):
            self.close()
        if self.sock is None:
            self._connect()

    def exchange(self, cmds: list[bytes], name: bytes) -> list[bytes]:
        """Send commands whose replies are one line each; return the replies in order."""
        if self.sock is None:
            self._connect()
        assert self.sock is not None
        try:
            self.sock.sendall(b"".join(cmds))
            received, lines = bytearray(), 0
            while lines < len(cmds):
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    raise MemcacheUnexpectedCloseError()
                received += chunk
                lines += chunk.count(b"\n")  # one-line replies never hold a newline
            if lines > len(cmds):
                raise MemcacheUnknownError("more replies than commands")
        except Exception:
            self.close()  # the connection is out of step now: never reuse it
            raise
        replies = bytes(received).split(b"\r\n")[:-1]
        if b"ERROR" in received:  # ERROR, CLIENT_ERROR or SERVER_ERROR somewhere: which?
            for reply in replies:
                self._raise_errors(reply, name)
        return replies

    def incr_many(self, deltas: Mapping[str, int]) -> dict[str, int | None]:
        """``incr`` every key; the new value, or None where the key does not exist."""
        cmds = [b"incr %s %d\r\n" % (name.encode(), n) for name, n in deltas.items()]
        replies = self.exchange(cmds, b"incr")
        return {
            name: None if reply == b"NOT_FOUND" else int(reply)
            for name, reply in zip(deltas, replies, strict=True)
        }

    def store_many(self, verb: bytes, values: Mapping[str, bytes], expire: int) -> dict[str, bool]:
        """``add`` or ``set`` every key; True where it was stored (``add``: where it was new)."""
        cmds = [
            b"%s %s 0 %d %d\r\n%s\r\n" % (verb, name.encode(), expire, len(value), value)
            for name, value in values.items()
        ]
        replies = self.exchange(cmds, verb)
        for reply in replies:
            if reply not in (b"STORED", b"NOT_STORED"):
                raise MemcacheUnknownError(reply[:32])
        return {name: reply == b"STORED" for name, reply in zip(values, replies, strict=True)}


def _readable(sock: socket.socket) -> bool:
    """Whether an idle connection has something to read: memcached never speaks unasked, so
    that is the end of the connection (or an error), never a reply."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    try:
        return bool(poller.poll(0))
    except OSError:
        return True
