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
from admin_hits.live.pipe.reader import LineSplitter

READ_SIZE = 1 << 18
#: Asked of Linux for stdin's pipe (the unprivileged maximum): room for Apache to write while
#: the worker is busy or restarting, instead of 64 KiB.
PIPE_SIZE = 1 << 20
#: Datagrams read per wake-up before the loop looks at the clock again.
DATAGRAMS_PER_READ = 2048
#: Room for the syslog header in front of a datagram's line (a hostname is at most 255 bytes).
SYSLOG_HEADER_ROOM = 512

# RFC 3164 as nginx writes it: "<PRI>Mmm dd hh:mm:ss [hostname ]tag: message". A hostname never
# holds a colon, so a message starting with an IPv6 address is not taken for a header.
_SYSLOG_HEADER = re.compile(
    rb"<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:[^ :]+ )?[A-Za-z0-9_.-]{1,48}: "
)


class Source(Protocol):
    @property
    def too_long(self) -> int: ...

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
    """Lines from datagrams on ``udp://HOST:PORT`` or ``unix:/path`` (one line per datagram).

    Each datagram is received into one fixed buffer with room for a line of
    ``max_line_length`` and its syslog header; a datagram whose line is longer (or that does not
    fit, the kernel truncating it) adds one to ``too_long`` and is never held, so a flood of
    huge datagrams costs no more memory than one buffer.
    """

    def __init__(self, address: str, max_line_length: int = 16384) -> None:
        self.max_line_length = max_line_length
        self.too_long = 0
        self._buffer = memoryview(bytearray(max_line_length + SYSLOG_HEADER_ROOM + 1))
        self.path: str | None = None
        if address.startswith("unix:"):
            self.path = address.removeprefix("unix:")
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            # Left by a previous worker: its mode and owners are what the admin gave it so
            # that nginx's user may write (chmod, a shared group). Kept for the new socket:
            # one made with the umask would shut nginx out after any worker restart.
            self._keep = os.stat(self.path) if os.path.exists(self.path) else None
            if self._keep is not None:
                os.unlink(self.path)
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
            if self.path is not None and self._keep is not None:
                os.chmod(self.path, stat.S_IMODE(self._keep.st_mode))
                with contextlib.suppress(PermissionError):  # owners: root may, others need not
                    os.chown(self.path, self._keep.st_uid, self._keep.st_gid)
        except OSError as exc:
            self.sock.close()
            raise ConfigurationError(f"--listen {address!r}: {exc}") from exc
        self.sock.setblocking(False)

    def fileno(self) -> int:
        return self.sock.fileno()

    def read(self) -> list[bytes] | None:
        lines = []
        buffer = self._buffer
        for _ in range(DATAGRAMS_PER_READ):
            try:
                received = self.sock.recv_into(buffer)
            except BlockingIOError:
                break
            if received == len(buffer):  # filled: the kernel cut the rest of a longer datagram
                self.too_long += 1
                continue
            line = strip_syslog_header(bytes(buffer[:received]))
            if len(line) > self.max_line_length:  # line break included, as the log core counts
                self.too_long += 1
                continue
            lines.append(line)
        return lines

    def close(self) -> None:
        # The socket's file stays: the next worker binds it again with the mode and owners
        # it has (nginx may write to it); without a reader, nginx's sends are refused.
        self.sock.close()


def open_source(listen: str | None, max_line_length: int, fd: int = 0) -> Source:
    if listen:
        return DatagramSource(listen, max_line_length)
    return StreamSource(fd, max_line_length)
