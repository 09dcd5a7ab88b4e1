"""Running ``python -m admin_hits.pipe`` as a real process, fed through a real pipe."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


class PipeProcess:
    """The pipe with its stdin ours and its stderr in a file (a full stderr pipe would block)."""

    def __init__(self, args: list[str], stderr_path: Path, env: dict[str, str] | None = None):
        self.stderr_path = stderr_path
        self._stderr = stderr_path.open("wb")
        environment = {**os.environ, "PYTHONPATH": str(REPO)}
        environment.pop("DJANGO_SETTINGS_MODULE", None)  # only what a test passes
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "admin_hits.pipe", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            env=environment,
            cwd=REPO,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, data: str | bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data.encode() if isinstance(data, str) else data)
        self.process.stdin.flush()

    def send_at_once(self, data: bytes) -> bool:
        """Write ``data`` into stdin as Apache does; whether the pipe's buffer took it all at
        once. When it did not, the reader has fallen a whole buffer behind (1 MiB, which the
        pipe asks Linux for) and a web server would have waited for it; the rest is then
        written, waiting (30 s at most)."""
        written = self._write_now(data)
        if written < len(data):
            self.send_within(data[written:], timeout=30)
        return written == len(data)

    def send_within(self, data: bytes, timeout: float) -> None:
        """Write ``data`` into stdin; an assertion error if the pipe has not read enough of it
        to take it all within ``timeout`` seconds (it stopped reading: the test would hang)."""
        deadline, left = time.monotonic() + timeout, memoryview(data)
        while left:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"the pipe stopped reading: {len(left):,} bytes not taken"
            select.select([], [self._stdin_fd()], [], remaining)
            left = left[self._write_now(left) :]

    def _write_now(self, data: bytes | memoryview) -> int:
        """Bytes of ``data`` the pipe's buffer takes without waiting."""
        fd = self._stdin_fd()
        os.set_blocking(fd, False)
        try:
            return os.write(fd, data)
        except BlockingIOError:
            return 0
        finally:
            os.set_blocking(fd, True)

    def _stdin_fd(self) -> int:
        assert self.process.stdin is not None
        self.process.stdin.flush()  # what send() buffered goes first
        return self.process.stdin.fileno()

    def close(self, timeout: float = 10) -> int:
        """Close stdin (EOF) and wait for the exit status."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()
        return self.wait(timeout)

    def signal(self, signum: int, timeout: float = 10) -> int:
        self.process.send_signal(signum)
        return self.wait(timeout)

    def wait(self, timeout: float = 10) -> int:
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self._stderr.close()

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def children(self) -> list[int]:
        """Pids of this process's children (the supervisor's worker)."""
        found = []
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            found += [int(p) for p in (task / "children").read_text().split()]
        return found

    def kill(self) -> None:
        for pid in [*self.children(), self.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.stdin and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture
def start_pipe(tmp_path: Path) -> Iterator[Callable[..., PipeProcess]]:
    started: list[PipeProcess] = []

    def start(*args: str, env: dict[str, str] | None = None) -> PipeProcess:
        started.append(PipeProcess(list(args), tmp_path / f"stderr{len(started)}.log", env))
        return started[-1]

    yield start
    for pipe in started:
        if pipe.process.poll() is None:
            pipe.kill()


def wait_until(condition: Callable[[], object], timeout: float = 5.0, step: float = 0.05):
    """Poll ``condition`` until it is truthy; its value, or an assertion error at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {condition}")
        time.sleep(step)
