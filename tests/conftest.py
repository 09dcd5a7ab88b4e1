from __future__ import annotations

import os
import signal
from types import FrameType

import pytest

pytest_plugins = ["tests.fixtures.memcached", "tests.fixtures.redis"]


def pytest_configure(config: pytest.Config) -> None:
    # A CI time limit sends SIGTERM: end the run as Ctrl-C does, so that the fixtures stop the
    # servers they started (and delete their folders) instead of leaving them behind.
    signal.signal(signal.SIGTERM, _interrupt_in(os.getpid()))


def _interrupt_in(pid: int):
    def interrupt(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != pid:  # a forked worker (parse_log --jobs): die as it would have
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt(f"signal {signum}")

    return interrupt
