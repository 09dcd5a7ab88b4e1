"""``python -m admin_hits.pipe`` and ``admin-hits-pipe``; options in ``live.pipe.config``."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from admin_hits.exceptions import AdminHitsError
from admin_hits.live.pipe.config import build_parser, resolve
from admin_hits.live.pipe.status import escape
from admin_hits.live.pipe.supervisor import CONFIG_ERROR, SUPERVISOR_PID


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.check:
        from admin_hits.live.pipe.check import run_check

        status, line = run_check(args)
        (sys.stdout if status == 0 else sys.stderr).write(line + "\n")
        return status
    try:
        config = resolve(args)
        if not args.worker and not args.no_supervisor:
            from admin_hits.live.pipe.supervisor import Supervisor

            return Supervisor([a for a in argv if a != "--no-supervisor"]).run()
        from admin_hits.live.pipe.worker import Worker, die_with_parent

        parent = None
        if args.worker:
            passed = os.environ.get(SUPERVISOR_PID, "")
            parent = int(passed) if passed.isdigit() else os.getppid()
            if not die_with_parent(parent):
                return 0  # orphaned before it read a line: Apache's new pipe reads instead
        return Worker(config).run(parent=parent)
    except AdminHitsError as exc:
        sys.stderr.write(escape(f"admin-hits-pipe: {exc}") + "\n")
        return CONFIG_ERROR
    except Exception:
        # A bug. Its traceback may quote a log line, and Apache copies stderr into its error
        # log: like every diagnostic it is escaped into one line (line breaks as \x0a), which
        # nothing quoted can break up. The supervisor restarts a crashed worker.
        crash = traceback.format_exc().rstrip()
        sys.stderr.write(escape(f"admin-hits-pipe: crashed: {crash}") + "\n")
        return 1
