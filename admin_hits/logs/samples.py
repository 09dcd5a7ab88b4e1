"""A made-up line in any LogFormat: what ``admin-hits-pipe --check`` feeds the log core.

Each directive gets a plausible value (a browser's request of ``SAMPLE_PATH`` answered 200),
so a format the pipe can read yields one view; one it can not read says so before Apache does.
"""

from __future__ import annotations

import datetime

from admin_hits.logs.formats import Directive, resolve, tokenize

SAMPLE_PATH = "/admin-hits-check/"
SAMPLE_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)
_VALUES = {
    "a": "203.0.113.5", "h": "203.0.113.5", "A": "192.0.2.1", "l": "-", "u": "-",
    "r": f"GET {SAMPLE_PATH} HTTP/1.1", "m": "GET", "U": SAMPLE_PATH, "q": "",
    "H": "HTTP/1.1", "s": "200", "b": "512", "B": "512", "O": "700", "I": "300", "S": "1000",
    "v": "www.example.com", "V": "www.example.com", "p": "443", "D": "1234", "T": "0",
    "P": "4321", "k": "0", "X": "+", "f": "/var/www/index.html",
}  # fmt: skip
_HEADERS = {"user-agent": SAMPLE_AGENT, "host": "www.example.com"}


def _value(directive: Directive, when: datetime.datetime) -> str:
    letter, param = directive.letter, directive.param
    if letter == "t":
        if param and param.strip("%") not in ("", "begin:", "end:"):
            # strftime directives (%{%d/%b/%Y %H:%M:%S %z}t); Apache's own letters alike
            return when.strftime(param.removeprefix("begin:").removeprefix("end:"))
        return when.strftime("[%d/%b/%Y:%H:%M:%S %z]")
    if letter == "i" and param:
        return _HEADERS.get(param.lower(), "-")
    if letter == "%":
        return "%"
    return _VALUES.get(letter, "-")


def sample_line(log_format: str, when: datetime.datetime) -> str:
    """One line of ``log_format`` (a nickname or LogFormat string) at ``when`` (aware)."""
    parts = []
    for token in tokenize(resolve(log_format)):
        parts.append(token if isinstance(token, str) else _value(token, when))
    return "".join(parts) + "\n"
