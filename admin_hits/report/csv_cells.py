"""CSV cells that spreadsheets will not run: the escaping every export of the package uses.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some programs,
tab or carriage return) as a formula. Paths, referrers and object names come from visitors and
editors, so every exported cell is escaped the way OWASP recommends: such a cell gets a leading
``'``, which spreadsheets show as text. https://owasp.org/www-community/attacks/CSV_Injection

The same goes for a sign that only looks like one once a program tidies the cell: behind spaces
or invisible characters (a zero-width space, a byte order mark), or in another width (the
fullwidth ``＝`` of East Asian keyboards, which some programs read as ``=``). No spreadsheet is
known to run those, but escaping them costs nothing and closes the class.
"""

from __future__ import annotations

import unicodedata
from typing import Any

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: First characters that can not start a formula however a program reads the cell, and "".
PLAIN_FIRST = frozenset(chr(c) for c in range(33, 127) if chr(c) not in "=+-@") | {""}
FORMULA_SIGNS = frozenset("=+-@\u2212")  # and the minus sign, which "₋" and others become


def _first_visible(text: str) -> str:
    """The first character of ``text`` that is neither a space nor an invisible format
    character (Unicode category Cf), as compatibility normalisation reads it (``＝`` is ``=``)."""
    for char in text:
        if char.isascii() and not char.isspace():  # the usual case, without a table lookup
            return char
        if not char.isspace() and unicodedata.category(char) != "Cf":
            return unicodedata.normalize("NFKC", char)[:1]
    return ""


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet, or a program that tidies cells first, could read a formula."""
    return text.startswith(FORMULA_PREFIXES) or _first_visible(text) in FORMULA_SIGNS


def escape_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet would read it as a formula.

    Only text can be a formula; numbers and dates pass through unchanged.
    """
    if not isinstance(value, str) or value[:1] in PLAIN_FIRST:  # most cells: one set lookup
        return value
    return "'" + value if looks_like_formula(value) else value
