"""The common Apache directives compiled into regexes over bytes.

Python's regex engine spends most of a match on what it returns (each group is a new bytes
object, each match a match object), so the counting regexes return little: the minute of the
time (``dd/Mon/yyyy:HH:MM``, enough for the date), its zone, and one "span" of raw text holding
the request and status fields (``GET /a HTTP/1.1" 200`` in the combined format). Spans are
split into their fields once per distinct span, by ``span`` regexes.

A format with a directive not listed here is parsed by apachelogs (``fallback.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from admin_hits.logs.formats import Directive, Token

# A field without spaces. Apache escapes '"', '\' and control bytes in what it logs, so a
# control byte never is part of a well-formed line (a line with one is "binary").
_TOKEN = rb'[^\x00-\x20\x7f"]+'
# The inside of a quoted field, Apache-escaped (\" \\ \xHH); an unrolled loop, possessive
# because it can never give back a character the closing quote could use: linear time.
_QUOTED = rb'[^"\\\x00-\x1f\x7f]*+(?:\\[!-~][^"\\\x00-\x1f\x7f]*+)*+'
_QUOTED_FAST = rb'[^"]*+'
_NUMBER = rb"(?:-?[0-9]+|-)"
# %T may carry a fraction: nginx's $request_time ("0.123", seconds) is logged in its place.
_SECONDS = rb"(?:-?[0-9]+(?:\.[0-9]+)?|-)"
_PLAIN: dict[str, bytes] = {
    "h": _TOKEN, "a": _TOKEN, "v": _TOKEN, "V": _TOKEN, "l": _TOKEN, "m": _TOKEN, "H": _TOKEN,
    "U": _TOKEN, "u": rb'(?:""|' + _TOKEN + rb")", "p": rb"[0-9]+",
    "q": rb'(?:\?[^\x00-\x20\x7f"]*)?', "s": rb"(?:[0-9]{3}|-)",
    "b": _NUMBER, "B": _NUMBER, "O": _NUMBER, "I": _NUMBER, "D": _NUMBER, "T": _SECONDS,
}  # fmt: skip
# For records: every part of %t, seconds out of range captured apart to report a bad date.
_TIME_RECORD = (
    rb"\[(?P<tmin>[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2})"
    rb":(?:(?P<tsec>[0-5][0-9]|60)|(?P<tbad>[0-9]{2})) (?P<tzone>[+-][0-9]{4})\]"
)
# For counting: the minute and the zone; a line with impossible seconds does not match and
# is judged by the record regex instead (as a bad date).
_TIME_KEY = (
    rb"\[([0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}):(?:[0-5][0-9]|60) ([+-][0-9]{4})\]"
)
_NAMED_GROUP = re.compile(rb"\(\?P<\w+>")
_HEADERS = {"referer": "referrer", "user-agent": "user_agent"}
REQUEST_FIELDS = frozenset({"request", "method", "path", "query", "status"})
# Who sent a request, captured apart from the spans (bots, referrers, visitors).
CLIENT_FIELDS = ("host", "referrer", "user_agent")
# How a request was served (``delivery.py``), captured apart too when the format logs them.
DELIVERY_FIELDS = ("response_time", "bytes")
# The units %{UNIT}T may name, as Apache's mod_log_config does.
TIME_UNITS = ("s", "ms", "us")
_OWN_GROUPS = (*CLIENT_FIELDS, *DELIVERY_FIELDS)


@dataclass(frozen=True)
class Matcher:
    """Counting regexes. ``line``: one line, a group for the minute, the zone and each span,
    in the format's order (``CompiledFormat.key_order`` says which is where). ``chunk``: lines
    joined by ``\\n`` (``findall`` gives one tuple per line), the same groups and a last one,
    ``bad``, holding a line that does not match (whose other groups are then empty).
    ``spans``: regexes with named groups for the request and status fields in each span, for
    ``fullmatch``."""

    record: re.Pattern[bytes]

    line: re.Pattern[bytes]
    chunk: re.Pattern[bytes]
    spans: tuple[re.Pattern[bytes], ...]


@dataclass(frozen=True)
class CompiledFormat:
    """The regexes of one format.

    ``Matcher.record``: one line, a named group per ``LogRecord`` field (``tmin``, ``tsec``,
    ``tbad``, ``tzone``, ``host``, ``request`` or ``method``/``path``/``query``, ``status``,
    ``referrer``, ``user_agent``; those the format logs).

    ``fast`` reads quoted fields as ``[^"]*``, which the regex engine scans twice as fast as
    the escape-aware ``strict`` version: it matches exactly the lines without an escaped
    quote (a line with one has more quotes than the format), and splits them as ``strict``
    does. Lines it misses go to ``strict``.
    """

    fast: Matcher
    strict: Matcher
    # Where the minute, the zone and each span are among the counting regexes' groups, which
    # follow the format's order: the status may come before the time.
    key_order: tuple[int, ...] = (0, 1, 2)
    # Where the host, the referrer and the user agent are among those groups (None: the
    # format does not log it, or logs it between request fields, inside a span).
    client_order: tuple[int | None, ...] = (None, None, None)
    # When the only span is a request line, a literal and the status ('GET / HTTP/1.1" 200'
    # in the combined format): the literal, by which the span splits faster than by a regex.
    separator: bytes | None = None
    # Where the response time and the bytes sent are among those groups (None: not logged,
    # or logged inside a span, where ``delivery.py`` reads them from the span).
    delivery_order: tuple[int | None, ...] = (None, None)


def compile_format(tokens: list[Token]) -> CompiledFormat | None:
    """Compile ``tokens``, or ``None`` when a directive is not one compiled here."""
    strict = [_token_regex(tokens, i) for i in range(len(tokens))]
    if any(regex is None for regex in strict):
        return None
    names = _field_names(tokens)
    time_at = next(i for i, name in names.items() if name == "time")
    keys = sorted(i for i, name in names.items() if name in REQUEST_FIELDS)
    # The request and status fields before the time, and those after, each become one span.
    sides = ([i for i in keys if i < time_at], [i for i in keys if i > time_at])
    ranges = [(side[0], side[-1]) for side in sides if side]
    fast = [_QUOTED_FAST if regex == _QUOTED else regex or b"" for regex in strict]
    groups = _groups(len(tokens), names, time_at, ranges)
    return CompiledFormat(
        fast=_matcher(fast, names, time_at, ranges),
        strict=_matcher([regex or b"" for regex in strict], names, time_at, ranges),
        key_order=(
            groups.index("minute"),
            groups.index("zone"),
            *(groups.index(("span", i)) for i in range(len(ranges))),
        ),
        client_order=tuple(groups.index(f) if f in groups else None for f in CLIENT_FIELDS),
        separator=_separator(tokens, names, ranges),
        delivery_order=tuple(groups.index(f) if f in groups else None for f in DELIVERY_FIELDS),
    )


def _groups(
    count: int, names: dict[int, str], time_at: int, ranges: list[tuple[int, int]]
) -> list[object]:
    """What each group of the counting regexes holds, in order (as ``_matcher`` builds them)."""
    groups: list[object] = []
    i = 0
    while i < count:
        span = next((n for n, r in enumerate(ranges) if r[0] == i), None)
        if span is not None:
            groups.append(("span", span))
            i = ranges[span][1] + 1
            continue
        if i == time_at:
            groups += ["minute", "zone"]
        elif names.get(i) in _OWN_GROUPS:
            groups.append(names[i])
        i += 1
    return groups


def _separator(
    tokens: list[Token], names: dict[int, str], ranges: list[tuple[int, int]]
) -> bytes | None:
    if len(ranges) != 1 or ranges[0][1] - ranges[0][0] != 2:
        return None
    first, last = ranges[0]
    literal = tokens[first + 1]
    # The status is digits or "-": the last occurrence of the literal is the separator.
    if names.get(first) != "request" or names.get(last) != "status":
        return None
    if not isinstance(literal, str) or not literal.strip("0123456789-"):
        return None
    return literal.encode("utf-8")


def _matcher(
    regexes: list[bytes], names: dict[int, str], time_at: int, ranges: list[tuple[int, int]]
) -> Matcher:
    plain = [_NAMED_GROUP.sub(b"(?:", regex) for regex in regexes]
    named = [_named(names.get(i), regex) for i, regex in enumerate(plain)]
    record = [_TIME_RECORD if i == time_at else regex for i, regex in enumerate(named)]
    parts: list[bytes] = []
    i = 0
    while i < len(plain):
        span = next((r for r in ranges if r[0] == i), None)
        if span is not None:
            parts.append(b"(" + b"".join(plain[span[0] : span[1] + 1]) + b")")
            i = span[1] + 1
            continue
        if i == time_at:
            parts.append(_TIME_KEY)
        elif names.get(i) in _OWN_GROUPS:
            parts.append(b"(" + plain[i] + b")")
        else:
            parts.append(plain[i])
        i += 1
    good = b"".join(parts)
    return Matcher(
        record=re.compile(b"".join(record) + rb"\r?\n?\Z"),
        line=re.compile(good + rb"\r?\n?\Z"),
        chunk=re.compile(rb"^(?:" + good + rb"\r?$|(.*))", re.MULTILINE),
        spans=tuple(re.compile(b"".join(named[a : b + 1])) for a, b in ranges),
    )


def _named(name: str | None, regex: bytes) -> bytes:
    if name is None or name == "time":
        return b"(?:" + _NAMED_GROUP.sub(b"(?:", regex) + b")"
    return b"(?P<" + name.encode() + b">" + regex + b")"


def _token_regex(tokens: list[Token], i: int) -> bytes | None:
    token = tokens[i]
    if isinstance(token, str):
        return re.escape(token.encode("utf-8"))
    letter, param = token.letter, token.param
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    if letter == "%" and param is None:
        return b"%"
    if letter == "t" and param is None:
        return _TIME_RECORD
    if letter in ("r", "i") and token.quoted and (letter == "r") == (param is None):
        regex = _QUOTED
    elif letter == "T" and param in TIME_UNITS:
        regex = _NUMBER
    elif param is None and letter in _PLAIN:
        regex = _PLAIN[letter]
        if letter == "U" and isinstance(following, Directive) and following.letter == "q":
            # "%U%q": the path stops at "?", so the two fields never compete for it.
            regex = rb'[^\x00-\x20\x7f"?]+'
        elif regex == _TOKEN and isinstance(following, str) and following[0] in ' "':
            regex = _TOKEN + b"+"  # possessive: the next character can not be in the token
    else:
        return None
    if any(c.isdigit() for c in token.modifiers):
        regex = b"(?:" + regex + b"|-)"  # a conditional directive logs "-" when it is off
    return regex


def _field_names(tokens: list[Token]) -> dict[int, str]:
    """Which token fills which record field: the first of each kind wins."""
    wanted: dict[int, str] = {}
    taken: set[str] = set()
    has_final = any(
        isinstance(t, Directive) and t.letter == "s" and ">" in t.modifiers for t in tokens
    )
    sent = bytes_letter(tokens)
    for i, token in enumerate(tokens):
        if not isinstance(token, Directive):
            continue
        name = _field_name(token, has_final)
        if name == "bytes" and token.letter != sent:
            name = None
        if name and name not in taken:
            taken.add(name)
            wanted[i] = name
    if "host" not in taken:
        for i, token in enumerate(tokens):
            if isinstance(token, Directive) and token.letter == "a" and token.param is None:
                wanted[i] = "host"
                break
    return wanted


def _field_name(d: Directive, has_final: bool) -> str | None:
    if d.param is not None and not is_time_taken(d):
        return _HEADERS.get(d.param.lower()) if d.letter == "i" else None
    if d.letter == "s":
        final = ">" in d.modifiers if has_final else "<" not in d.modifiers
        return "status" if final else None
    if d.letter == "t":
        return "time"
    if is_time_taken(d):
        return "response_time"
    if d.letter in "Ob":
        return "bytes"
    names = {"r": "request", "m": "method", "U": "path", "q": "query", "h": "host"}
    return names.get(d.letter)


def is_time_taken(d: Directive) -> bool:
    """Whether ``d`` logs the time taken to serve the request (%D, %T, %{UNIT}T)."""
    return (d.letter == "D" and d.param is None) or (
        d.letter == "T" and d.param in (None, *TIME_UNITS)
    )


def bytes_letter(tokens: list[Token]) -> str | None:
    """The directive the bytes sent are read from: %O, else %b when the format also logs the
    time taken (a format chosen for it), else none. The common and combined formats log %b
    alone: they pay nothing for a figure their sites did not ask for."""
    letters = {t.letter for t in tokens if isinstance(t, Directive) and t.param is None}
    if "O" in letters:
        return "O"
    timed = any(isinstance(t, Directive) and is_time_taken(t) for t in tokens)
    return "b" if timed and "b" in letters else None
