"""The supervisor: restarts, crash-loop limit, signal forwarding, no orphans."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys

import pytest

from admin_hits.live.pipe.supervisor import SUPERVISOR_PID, Supervisor
from tests.helpers import combined
from tests.live.pipe.conftest import REPO, wait_until
from tests.live.pipe.test_process import BERLIN, views


def supervise(code: str, **kwargs) -> tuple[int, list[str]]:
    stderr = io.StringIO()
    command = [sys.executable, "-c", code]
    result = Supervisor([], stderr=stderr, command=command, first_backoff=0.05, **kwargs).run()
    return result, stderr.getvalue().splitlines()


def test_a_crashing_worker_is_restarted_until_the_crash_loop_limit() -> None:
    result, lines = supervise("raise SystemExit(3)", crash_limit=3)
    assert result == 1
    assert lines == [
        "admin-hits-pipe: worker exited with status 3; restarting in 0.1 s",
        "admin-hits-pipe: worker exited with status 3; restarting in 0.1 s",
        "admin-hits-pipe: worker exited with status 3; restarting in 0.2 s",
        "admin-hits-pipe: worker exited with status 3; 3 restarts within 60 s, giving up",
    ]


def test_a_configuration_error_is_not_restarted() -> None:
    assert supervise("raise SystemExit(2)") == (
        2,
        ["admin-hits-pipe: worker refused its configuration; not restarting"],
    )


def test_a_worker_done_with_its_input_ends_the_supervisor() -> None:
    assert supervise("pass") == (0, [])


def test_signal_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGTERM)
    supervise("pass")
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.services
def test_killed_worker_is_replaced_and_later_lines_count(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN)
    pipe.send(combined("/a/"))
    wait_until(lambda: views(memcached) == {"/a/": 1})
    (worker,) = pipe.children()
    os.kill(worker, signal.SIGKILL)
    pipe.send(combined("/a/") * 2)  # waits in the pipe for the next worker
    wait_until(lambda: views(memcached) == {"/a/": 3}, timeout=8)
    (replacement,) = pipe.children()
    assert replacement != worker
    assert "admin-hits-pipe: worker killed by SIGKILL; restarting in 0.1 s" in pipe.stderr
    assert pipe.signal(signal.SIGTERM) == 0
    assert not os.path.exists(f"/proc/{replacement}")


@pytest.mark.services
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_stop_signals_reach_the_worker_which_flushes(memcached, start_pipe, signum) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--flush-interval", "30",
                      "--status-interval", "0.2")  # fmt: skip
    pipe.send(combined("/a/") * 2)
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)
    (worker,) = pipe.children()
    assert pipe.signal(signum) == 0
    assert views(memcached) == {"/a/": 2}
    assert not os.path.exists(f"/proc/{worker}")


@pytest.mark.services
def test_the_worker_stops_when_the_supervisor_dies(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--flush-interval", "30",
                      "--status-interval", "0.2")  # fmt: skip
    pipe.send(combined("/orphan/"))
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)
    (worker,) = pipe.children()
    os.kill(pipe.pid, signal.SIGKILL)  # Apache will start a new pipe; this worker must go
    pipe.wait(timeout=5)
    wait_until(lambda: not os.path.exists(f"/proc/{worker}") or _zombie(worker), timeout=5)
    assert views(memcached) == {"/orphan/": 1}  # flushed on its way out


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1].startswith("Z")
    except FileNotFoundError:
        return True


@pytest.mark.services
def test_a_worker_whose_supervisor_died_while_it_started_exits(memcached) -> None:
    # The supervisor starts the worker and is SIGKILLed before the worker's Python has asked
    # for the parent-death signal: the kernel will never send it, and the new parent (init)
    # never changes. The worker must see it is not its supervisor's any more and go.
    worker_command = [sys.executable, "-m", "admin_hits.pipe", "--worker",
                      "--store", memcached.url, *BERLIN]  # fmt: skip
    supervisor = (
        "import os, subprocess, sys\n"
        "env = {**os.environ, SUPERVISOR_PID: str(os.getpid())}\n"
        f"worker = subprocess.Popen({worker_command!r}, env=env, stdout=subprocess.DEVNULL,\n"
        "                          stderr=subprocess.DEVNULL)\n"
        "print(worker.pid, flush=True)\n"
        "os._exit(0)\n"  # gone long before the worker's interpreter is up
    )
    read_end, write_end = os.pipe()  # the worker's stdin, held open: no EOF ends it
    try:
        started = subprocess.run(
            [sys.executable, "-c", f"SUPERVISOR_PID = {SUPERVISOR_PID!r}\n" + supervisor],
            stdin=read_end, capture_output=True, check=True, timeout=10,
            env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO,
        )  # fmt: skip
        worker = int(started.stdout)
        try:
            wait_until(lambda: _zombie(worker), timeout=8)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
    finally:
        os.close(read_end)
        os.close(write_end)
