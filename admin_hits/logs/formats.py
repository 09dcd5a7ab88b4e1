"""Apache ``LogFormat`` strings: nicknames, directives, and what a usable format must log.

``compiler.py`` turns the directives into regexes; formats it does not compile are parsed by
``apachelogs.LogParser`` (``fallback.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import apachelogs

from admin_hits.exceptions import LogFormatError

NICKNAMES: dict[str, str] = {
    name.lower(): getattr(apachelogs, name)
    for name in (
        "COMBINED", "COMMON", "VHOST_COMBINED", "VHOST_COMMON", "COMBINED_DEBIAN", "COMMON_DEBIAN",
    )
}  # fmt: skip

# Apache's directive syntax, as apachelogs reads it: %[conditions][<>]{param}[<>]letter.
_DIRECTIVE = re.compile(
    r"%(?P<mods1>[0-9,!<>]*)(?:\{(?P<param>[^}]*)\})?(?P<mods2>[0-9,!<>]*)"
    r"(?P<letter>\^[a-zA-Z%]{2}|[a-zA-Z%])|(?P<literal>[^%]+)|(?P<bad>%)"
)


@dataclass(frozen=True)
class Directive:
    letter: str
    param: str | None
    modifiers: str
    quoted: bool  # written between double quotes in the format, like "%r"


Token = str | Directive


def resolve(log_format: str) -> str:
    """The LogFormat string of a nickname (case-insensitive), or ``log_format`` itself.

    A format pasted from an Apache config keeps its ``\\"``: those are unescaped here.
    """
    if "%" not in log_format and log_format.strip():
        try:
            return NICKNAMES[log_format.strip().lower()]
        except KeyError:
            known = ", ".join(sorted(NICKNAMES))
            raise LogFormatError(
                f"Unknown log format nickname {log_format!r}: use one of {known} "
                "or an Apache LogFormat string."
            ) from None
    return log_format.replace('\\"', '"')


def tokenize(fmt: str) -> list[Token]:
    """Literal text and directives of a LogFormat string."""
    parts: list[tuple[str, re.Match[str]]] = []
    for match in _DIRECTIVE.finditer(fmt):
        if match["bad"] is not None:
            raise LogFormatError(f"Invalid directive at index {match.start()} of {fmt!r}.")
        parts.append((match["literal"] or "", match))
    tokens: list[Token] = []
    for i, (literal, match) in enumerate(parts):
        if literal:
            tokens.append(literal)
            continue
        before = parts[i - 1][0] if i else ""
        after = parts[i + 1][0] if i + 1 < len(parts) else ""
        mods = match["mods1"] + match["mods2"]
        quoted = before.endswith('"') and after.startswith('"')
        tokens.append(Directive(match["letter"], match["param"], mods, quoted))
    return tokens


def validate(fmt: str, tokens: list[Token]) -> None:
    """Raise ``LogFormatError`` unless the format logs a time, a request and a final status."""
    directives = [t for t in tokens if isinstance(t, Directive)]
    letters = {d.letter for d in directives}
    missing = []
    if "t" not in letters:
        missing.append("the request time (%t)")
    if "r" not in letters and not {"m", "U"} <= letters:
        missing.append("the request line (%r, or %m and %U)")
    if not any(d.letter == "s" and "<" not in d.modifiers for d in directives):
        missing.append("the final status (%>s or %s)")
    if missing:
        raise LogFormatError(f"The log format {fmt!r} lacks {' and '.join(missing)}.")
