"""Argument types shared by the management commands, with messages that say what to type."""

from __future__ import annotations

import datetime
from argparse import ArgumentTypeError


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2026-11-28") from None


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)
