from __future__ import annotations

import os
import signal
from types import FrameType

import pytest
from django.utils import deprecation

pytest_plugins = [
    "tests.fixtures.memcached",
    "tests.fixtures.redis",
]


def django_deprecation_warnings() -> list[type[Warning]]:
    """The warnings of what the running Django will remove: ``RemovedInDjango61Warning`` on
    5.2, ``RemovedInNextVersionWarning`` and ``RemovedInDjango2028Warning`` on 6.1... Each
    release names its own, so they are read from it rather than listed (a class that one
    release lacks would break the configuration)."""
    return sorted(
        {
            value
            for value in vars(deprecation).values()
            if isinstance(value, type)
            and issubclass(value, DeprecationWarning | PendingDeprecationWarning)
        },
        key=lambda cls: cls.__name__,
    )


def pytest_configure(config: pytest.Config) -> None:
    # Anything the next Django releases remove fails the tests, so that none of them surprises
    # the sites that upgrade. Added to pytest's own filters (which it sets up again for each
    # test) after those of pyproject.toml, so these win.
    for category in django_deprecation_warnings():
        config.addinivalue_line(
            "filterwarnings", f"error::{category.__module__}.{category.__qualname__}"
        )
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
