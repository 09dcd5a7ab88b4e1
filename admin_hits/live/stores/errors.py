"""The error a store raises when only part of an ``add()`` was applied."""

from __future__ import annotations

from admin_hits.exceptions import StoreError


class PartialAddError(StoreError):
    """Some deltas of an ``add()`` were not applied; retrying exactly those never counts twice.

    ``unapplied``: deltas certainly not applied (the server refused the connection, was marked
    down, or was never reached): safe to send again. ``uncertain``: deltas whose command was
    sent but whose reply never came (a timeout, a dropped connection). memcached may or may not
    have applied them; they are not sent again, so a view can be lost but never counted twice.
    """

    def __init__(
        self,
        message: str,
        *,
        unapplied: dict[str, int] | None = None,
        uncertain: dict[str, int] | None = None,
    ) -> None:
        super().__init__(message)
        self.unapplied = dict(unapplied or {})
        self.uncertain = dict(uncertain or {})
