"""The one error hierarchy of admin_hits: catch ``AdminHitsError`` to catch them all."""

from __future__ import annotations


class AdminHitsError(Exception):
    """Base class of every error admin_hits raises on purpose."""


class LogFormatError(AdminHitsError, ValueError):
    """A log format (nickname or Apache ``LogFormat`` string) can not be used."""


class LogFileError(AdminHitsError, OSError):
    """A log file is missing, unreadable or corrupt."""


class StoreError(AdminHitsError):
    """The live store is unreachable or answered with an error."""


class ConfigurationError(AdminHitsError):
    """A setting or option has a value admin_hits can not use."""
