"""A memcached that stalls (frozen with SIGSTOP, as a swapping or overloaded host does) while
the pipe is fed: its connections stay open and nothing answers.

A command that timed out may have been applied, so its counts are dropped as ``uncertain``
(never counted twice). After a timeout the pipe sends one small batch, the path with the
fewest views, until the server answers again: a stall costs the batch in flight when it began
and one small batch per retry, not every view that arrives while it lasts.
"""

from __future__ import annotations

import signal
import time

import pytest

from tests.hardening.test_pipe_faults import final_status
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until
from tests.live.pipe.test_process import BERLIN, views

pytestmark = pytest.mark.services

STALL_SECONDS = 4.0
STALL_VIEWS = 1000  # fed evenly while memcached is frozen
PATHS = 50


def feed(pipe, views_count: int, seconds: float, offset: int = 0) -> None:
    """``views_count`` views of ``PATHS`` paths, in 20 writes spread over ``seconds``."""
    per_write = views_count // 20
    for write in range(20):
        first = offset + write * per_write
        pipe.send("".join(combined(f"/p/{i % PATHS}/") for i in range(first, first + per_write)))
        time.sleep(seconds / 20)


def stall(start_memcached, start_pipe) -> tuple[dict[str, int], int]:
    """Views before, during and after a 4 s stall; the exit status and the views stored."""
    server = start_memcached()
    pipe = start_pipe("--store", server.url, *BERLIN, "--status-interval", "0.2",
                      "--timeout", "0.5", "--flush-interval", "0.5")  # fmt: skip
    pipe.send(combined("/before/") * 10)
    wait_until(lambda: views(server).get("/before/") == 10, timeout=10)
    server.process.send_signal(signal.SIGSTOP)
    try:
        feed(pipe, STALL_VIEWS, STALL_SECONDS)
    finally:
        server.process.send_signal(signal.SIGCONT)
    pipe.send(combined("/after/") * 10)
    wait_until(lambda: views(server).get("/after/") == 10, timeout=30)
    assert pipe.close(timeout=30) == 0
    status = final_status(pipe)
    stored = sum(n for path, n in views(server).items() if path.startswith("/p/"))
    return status, stored


def test_a_stall_costs_a_few_small_batches_not_every_view(start_memcached, start_pipe) -> None:
    status, stored = stall(start_memcached, start_pipe)
    # Every view of the stall is stored or was reported uncertain; none dropped or pending.
    assert (status["dropped"], status["pending"]) == (0, 0)
    assert stored <= STALL_VIEWS <= stored + status["uncertain"]
    # The batch in flight (half a second of views: 125) and a few views per retry (160 to 260
    # measured on a quiet machine, more on a loaded one); without the probing, each retry lost
    # everything that had arrived since the last one (750).
    assert status["uncertain"] < STALL_VIEWS * 6 // 10, status
