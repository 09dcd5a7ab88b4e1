"""What the e-mail commands say of a run: one line per address, and a failure that names the
addresses not reached (non-zero exit) so cron mails the operator."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError


def report(stdout: Any, outcome: Any, *, skipped: str, nothing: str) -> None:
    """``outcome`` (``notify.delivery.Outcome``) on ``stdout``; ``skipped`` is the line of an
    address that had its e-mail already (``{address}`` in it), ``nothing`` the line of a run
    that had nobody to write to."""
    for address, subject in outcome.planned:
        stdout.write(f"would send to {address}: {subject}")
    for address in outcome.sent:
        stdout.write(f"sent to {address}")
    for address in outcome.skipped:
        stdout.write(skipped.format(address=address))
    if not (outcome.planned or outcome.sent or outcome.skipped or outcome.failed):
        stdout.write(nothing)
    if outcome.failed:
        names = "; ".join(f"{address} ({error})" for address, error in outcome.failed)
        raise CommandError(f"not sent to {names}; the next run tries them again")
