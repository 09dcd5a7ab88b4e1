"""The parent process: keeps a worker running on the same stdin and passes signals on.

A worker that dies (a crash, the OOM killer, a SIGKILL) is started again after a short backoff;
unread lines wait in the pipe for the new worker. More than ``CRASH_LIMIT`` restarts within
``CRASH_WINDOW`` seconds end the supervisor with status 1, and Apache's own respawn of piped
loggers takes over. SIGTERM, SIGHUP and SIGINT go to the worker, which flushes and exits 0;
then the supervisor exits 0 too. A worker ending with status 0 (EOF) or 2 (unusable
configuration) is not restarted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from typing import TextIO

from admin_hits.live.pipe.status import escape

CRASH_LIMIT = 10
CRASH_WINDOW = 60.0
FIRST_BACKOFF = 0.1
MAX_BACKOFF = 5.0
#: A worker that ran this long was healthy: the next restart starts from the first backoff.
HEALTHY_AFTER = 30.0
#: How long a stopping worker may take to flush before it is killed.
STOP_GRACE = 10.0
CONFIG_ERROR = 2
#: The supervisor's pid, passed to its worker: the parent the worker must still have once it
#: asked for the parent-death signal (see ``worker.die_with_parent``).
SUPERVISOR_PID = "ADMIN_HITS_PIPE_SUPERVISOR"
_FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def describe(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with status {returncode}"


class Supervisor:
    def __init__(
        self,
        worker_args: Sequence[str],
        *,
        stderr: TextIO = sys.stderr,
        command: Sequence[str] | None = None,
        crash_limit: int = CRASH_LIMIT,
        first_backoff: float = FIRST_BACKOFF,
    ) -> None:
        self.command = list(command or [sys.executable, "-m", "admin_hits.pipe", "--worker"])
        self.command += worker_args
        self.stderr = stderr
        self.crash_limit = crash_limit
        self.first_backoff = first_backoff
        self.worker: subprocess.Popen[bytes] | None = None
        self.stop_signal: int | None = None
        self._woken = threading.Event()
        self._restarts: deque[float] = deque()

    def _say(self, message: str) -> None:
        try:
            self.stderr.write(escape(f"admin-hits-pipe: {message}") + "\n")
            self.stderr.flush()
        except (OSError, ValueError):
            pass

    def _forward(self, signum: int, frame: object) -> None:
        self.stop_signal = signum
        self._woken.set()
        worker = self.worker
        if worker is not None and worker.poll() is None:
            worker.send_signal(signum)

    def run(self) -> int:
        """Run workers until one ends as asked; the exit status for this process."""
        previous = {sig: signal.signal(sig, self._forward) for sig in _FORWARDED}
        try:
            return self._supervise()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _supervise(self) -> int:
        backoff = self.first_backoff
        while True:
            started = time.monotonic()
            # The worker inherits stdin, stdout and stderr: it reads Apache's pipe directly.
            self.worker = subprocess.Popen(
                self.command, env={**os.environ, SUPERVISOR_PID: str(os.getpid())}
            )
            if self.stop_signal is not None:  # a signal came while it was being started
                self.worker.send_signal(self.stop_signal)
            returncode = self._wait()
            if self.stop_signal is not None or returncode == 0:
                return 0
            if returncode == CONFIG_ERROR:
                self._say("worker refused its configuration; not restarting")
                return CONFIG_ERROR
            if time.monotonic() - started >= HEALTHY_AFTER:
                backoff = self.first_backoff
            if self._crash_looping():
                self._say(f"worker {describe(returncode)}; {self.crash_limit} restarts within "
                          f"{CRASH_WINDOW:.0f} s, giving up")  # fmt: skip
                return 1
            self._say(f"worker {describe(returncode)}; restarting in {backoff:.1f} s")
            if self._woken.wait(backoff):
                return 0  # asked to stop while waiting: no worker runs, nothing to flush
            backoff = min(backoff * 2, MAX_BACKOFF)

    def _wait(self) -> int:
        assert self.worker is not None
        deadline = None
        while True:
            try:
                return self.worker.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if self.stop_signal is None:
                    continue
                if deadline is None:
                    deadline = time.monotonic() + STOP_GRACE
                elif time.monotonic() > deadline:
                    self._say(f"worker did not stop within {STOP_GRACE:.0f} s; killing it")
                    self.worker.kill()

    def _crash_looping(self) -> bool:
        now = time.monotonic()
        self._restarts.append(now)
        while self._restarts and self._restarts[0] < now - CRASH_WINDOW:
            self._restarts.popleft()
        return len(self._restarts) > self.crash_limit
