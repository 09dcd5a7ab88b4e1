"""Tables of derived rows rewritten whole by the nightly run, vacuumed once it has committed.

A refresh of the period totals deletes and inserts every row of the periods it recomputes: at
100,000 objects, 600,000 rows of ``ObjectPeriodTotals`` are dead until autovacuum reaches the
table, and until then every read of them also visits the table's pages to learn which rows are
alive (the changelists' "No views in 30 days" counted 100,000 objects in 200 to 340 ms instead
of 60 to 110 ms, ``bench/README.md``). ``VACUUM (ANALYZE)`` of the tables it rewrote takes a
fraction of a second, and gives the planner their new figures. PostgreSQL runs VACUUM only
outside a transaction: inside the caller's (``hits_prune``'s), the tables are left to autovacuum.
So they are when the database user does not own them (PostgreSQL then skips them with a
warning) or VACUUM fails: the totals are committed by then, and correct either way.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, connections, models

logger = logging.getLogger(__name__)


def vacuum(using: str, tables: Iterable[type[models.Model]]) -> list[str]:
    """``VACUUM (ANALYZE)`` the tables of ``tables`` on PostgreSQL, when no transaction is
    open on ``using``; returns the tables vacuumed."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return []
    names = [model._meta.db_table for model in tables]
    try:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(name)}")
    except DatabaseError as error:
        logger.warning("VACUUM of %s failed, left to autovacuum: %s", ", ".join(names), error)
        return []
    return names
