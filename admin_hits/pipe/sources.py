"""Where lines come from: stdin (Apache's piped log) or datagrams (nginx's syslog output).

nginx has no piped logs; ``access_log syslog:server=127.0.0.1:5140 combined;`` (or
``server=unix:/run/admin-hits.sock``) sends each line as one datagram with a syslog header,
which is cut off here so the log core sees the plain line.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import socket
import stat
from typing import Protocol

from admin_hits.exceptions import ConfigurationError
from admin_hits.pipe.reader import LineSplitter

READ_SIZE = 1 << 18
#: Asked of Linux for stdin's pipe (the unprivileged maximum): room for Apache to write while
#: the worker is busy or restarting, instead of 64 KiB.
PIPE_SIZE = 1 << 20
#: Datagrams read per wake-up before the loop looks at the clock again.
DATAGRAMS_PER_READ = 2048

# RFC 3164 as nginx writes it: "<PRI>Mmm dd hh:mm:ss [hostname ]tag: message". A hostname never
# holds a colon, so a message starting with an IPv6 address is not taken for a header.
_SYSLOG_HEADER = re.compile(
    rb"<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:[^ :]+ )?[A-Za-z0-9_.-]{1,48}: "
)


class Source(Protocol):
    too_long: int

    def fileno(self) -> int: ...

    def read(self) -> list[bytes] | None:
        """The lines available now (maybe none); None at the end of the input."""

    def close(self) -> None: ...


class StreamSource:
    """Lines from a file descriptor (stdin), split by ``LineSplitter``."""

    def __init__(self, fd: int, max_line_length: int) -> None:
        self.fd = fd
        self.splitter = LineSplitter(max_line_length)
        self._ended = False
        if stat.S_ISFIFO(os.fstat(fd).st_mode) and hasattr(fcntl, "F_SETPIPE_SZ"):
            with contextlib.suppress(OSError):
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_SIZE)

    @property
    def too_long(self) -> int:
        return self.splitter.too_long

    def fileno(self) -> int:
        return self.fd

    def read(self) -> list[bytes] | None:
        if self._ended:
            return None
        try:
            data = os.read(self.fd, READ_SIZE)
        except BlockingIOError:
            return []
        if data:
            return self.splitter.push(data)
        self._ended = True
        return self.splitter.finish()

    def close(self) -> None:
        """stdin stays open: the supervisor's next worker reads on from it."""


def strip_syslog_header(datagram: bytes) -> bytes:
    """The message of a syslog datagram (the datagram itself when it has no header), as a line
    ending with ``\\n`` like a line read from a file."""
    found = _SYSLOG_HEADER.match(datagram)
    line = datagram[found.end() :] if found else datagram
    return line.rstrip(b"\r\n") + b"\n"


class DatagramSource:
    """Lines from datagrams on ``udp://HOST:PORT`` or ``unix:/path`` (one line per datagram)."""

    #: Long datagrams go to the log core, which skips them as ``too_long`` itself.
    too_long = 0

    def __init__(self, address: str) -> None:
        self.path: str | None = None
        if address.startswith("unix:"):
            self.path = address.removeprefix("unix:")
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            if os.path.exists(self.path):
                os.unlink(self.path)  # left by a previous worker
            bind_to: str | tuple[str, int] = self.path
        elif address.startswith("udp://"):
            host, _, port = address.removeprefix("udp://").rpartition(":")
            if not host or not port.isdigit():
                raise ConfigurationError(f"--listen {address!r}: expected udp://HOST:PORT")
            self.sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                                      socket.SOCK_DGRAM)  # fmt: skip
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            bind_to = (host.strip("[]"), int(port))
        else:
            raise ConfigurationError(f"--listen {address!r}: use unix:/path or udp://HOST:PORT")
        try:
            self.sock.bind(bind_to)
        except OSError as exc:
            self.sock.close()
            raise ConfigurationError(f"--listen {address!r}: {exc}") from exc
        self.sock.setblocking(False)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> list[bytes] | None:
        lines = []
        for _ in range(DATAGRAMS_PER_READ):
            try:
                lines.append(strip_syslog_header(self.sock.recv(READ_SIZE)))
            except BlockingIOError:
                break
        return lines

    def close(self) -> None:
        self.sock.close()
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


def open_source(listen: str | None, max_line_length: int, fd: int = 0) -> Source:
    if listen:
        return DatagramSource(listen)
    return StreamSource(fd, max_line_length)
