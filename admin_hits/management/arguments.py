"""Argument types shared by the management commands, with messages that say what to type."""

from __future__ import annotations

import datetime
from argparse import ArgumentTypeError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} is not a date like 2026-11-28") from None


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        raise ArgumentTypeError(f"{value!r} is not an e-mail address") from None
    return value
