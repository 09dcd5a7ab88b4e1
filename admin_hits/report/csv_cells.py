"""CSV cells that spreadsheets will not run: the escaping every export of the package uses.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some programs,
tab or carriage return) as a formula. Paths, referrers and object names come from visitors and
editors, so every exported cell is escaped the way OWASP recommends: such a cell gets a leading
``'``, which spreadsheets show as text. https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula.

    Only text can be a formula; numbers and dates pass through unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
