"""The pipe's diagnostics can not be forged: Apache copies its stderr into the error log, so
every string that may come from a client is written with control characters escaped, one
entry per line, each starting with the program's name."""

from __future__ import annotations

import os
import re
import signal

import pytest

from admin_hits.live.pipe import main as pipe_main
from admin_hits.live.pipe.status import Totals, status_line
from admin_hits.live.pipe.worker import Worker
from tests.helpers import combined
from tests.live.pipe.conftest import wait_until
from tests.live.pipe.test_process import BERLIN, views

FORGED = "\x1b[31m\r\nadmin-hits-pipe: exit lines=0 \x00\x7f\x9b\udcff"
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def assert_one_entry_per_line(text: str) -> None:
    assert not CONTROL.search(text), repr(text)
    assert all(line.startswith("admin-hits-pipe: ") for line in text.splitlines()), text


def test_a_store_error_quoting_the_log_is_escaped() -> None:
    line = status_line(Totals(), store_errors=1, dropped=0, uncertain=0, pending=2,
                       last_error=f"refused {FORGED}")  # fmt: skip
    assert_one_entry_per_line(line + "\n")
    assert 'last_error="refused \\x1b[31m\\x0d\\x0aadmin-hits-pipe: exit' in line
    assert line.count("admin-hits-pipe: ") == 2  # its own, and the quoted one, inert


def test_a_crash_is_reported_escaped_in_one_line(monkeypatch, capsys) -> None:
    def crash(self, *, parent=None):
        raise RuntimeError(f"while counting {FORGED}")

    monkeypatch.setattr(Worker, "run", crash)
    args = ["--store", "memcached://127.0.0.1:1", "--time-zone", "UTC", "--no-supervisor"]
    assert pipe_main.main(args) == 1  # not 2: the supervisor restarts a crashed worker
    stderr = capsys.readouterr().err
    assert_one_entry_per_line(stderr)
    (line,) = stderr.splitlines()
    assert line.startswith("admin-hits-pipe: crashed: Traceback (most recent call last):")
    assert line.endswith("RuntimeError: while counting \\x1b[31m\\x0d\\x0aadmin-hits-pipe: exit "
                         "lines=0 \\x00\\x7f\\x9b\\xff")  # fmt: skip


@pytest.mark.services
def test_diagnostics_escape_control_characters(memcached, start_pipe) -> None:
    pipe = start_pipe("--store", memcached.url, *BERLIN, "--status-interval", "0.2")
    forged = "\x1b[31m\nadmin-hits-pipe: exit lines=0"
    pipe.send(combined(f"/red{forged}/") + combined("/esc\\x1b[31m/"))  # raw, and as Apache logs it
    wait_until(lambda: "lines=" in pipe.stderr and views(memcached), timeout=10)
    (worker,) = pipe.children()
    os.kill(worker, signal.SIGKILL)
    # The new worker is running once it has written a status line of its own.
    wait_until(lambda: "lines=0 " in pipe.stderr.partition("restarting")[2], timeout=10)
    assert pipe.signal(signal.SIGTERM) == 0
    assert_one_entry_per_line(pipe.stderr_path.read_bytes().decode("utf-8", "surrogateescape"))
    assert pipe.stderr.count("admin-hits-pipe: exit ") == 1
