"""Splitting a byte stream into lines without ever holding more than one bounded line."""

from __future__ import annotations


class LineSplitter:
    """Feed it chunks as they arrive; get back the complete lines, each with its ``\\n``.

    Lines are cut at ``\\n`` only, exactly as ``parse_log`` reads a file, and keep their line
    break, as the log core expects of a file's lines. An unfinished line longer than
    ``max_line_length`` is dropped at once and everything up to its newline is thrown away as
    it arrives, so a 10 MB line without a newline costs no more memory than one chunk. Each
    such line adds one to ``too_long``. Complete long lines are returned as they are: the log
    core skips those itself.
    """

    def __init__(self, max_line_length: int) -> None:
        self.max_line_length = max_line_length
        self.too_long = 0
        self._partial = b""
        self._discarding = False

    def push(self, data: bytes) -> list[bytes]:
        if self._discarding:
            end = data.find(b"\n")
            if end < 0:
                return []  # still inside the overlong line
            data = data[end + 1 :]  # its tail, up to the newline, is thrown away
            self._discarding = False
        cut = data.rfind(b"\n") + 1
        complete, unfinished = data[:cut], data[cut:]
        if self._partial:
            if complete:
                complete = self._partial + complete
            else:
                unfinished = self._partial + unfinished
        if len(unfinished) > self.max_line_length:
            self.too_long += 1
            self._discarding = True
            unfinished = b""
        self._partial = unfinished
        return _lines(complete)

    def finish(self) -> list[bytes]:
        """At the end of the stream: the last line if it had no newline."""
        last, self._partial = self._partial, b""
        self._discarding = False
        return [last] if last else []

    @property
    def buffered(self) -> int:
        """Bytes held of the unfinished line."""
        return len(self._partial)


def _lines(data: bytes) -> list[bytes]:
    """``data`` (ending with ``\\n``) as lines that keep their ``\\n``."""
    if b"\r" not in data:
        return data.splitlines(keepends=True)  # the fast way; it would also cut at a lone \r
    lines = data.split(b"\n")
    lines.pop()
    return [line + b"\n" for line in lines]
