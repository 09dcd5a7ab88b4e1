"""Every ``type: ignore`` in the package and its tests names its error code and says why.

mypy itself refuses one without a code (``ignore-without-code``) and one that has become
unused (``warn_unused_ignores``); the reason, after it on the same line, is read here.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The ignore comment, its error codes in brackets, two spaces and the reason as a comment.
EXPLAINED = re.compile(r"# type: ignore\[[a-z-]+(, [a-z-]+)*\]  # \S")


def type_ignores(text: str) -> list[tuple[int, str]]:
    """The comments of ``text`` that hold ``type: ignore``, with their line numbers."""
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [
        (token.start[0], token.string)
        for token in tokens
        if token.type == tokenize.COMMENT and "type: ignore" in token.string
    ]


def unexplained_in(text: str) -> bool:
    return any(not EXPLAINED.search(comment) for _, comment in type_ignores(text))


def unexplained(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}: {comment}"
        for path in sorted(root.rglob("*.py"))
        for number, comment in type_ignores(path.read_text(encoding="utf-8"))
        if not EXPLAINED.search(comment)
    ]


@pytest.mark.parametrize(
    ("comment", "explained"),
    [
        ("# type: ignore[attr-defined]  # set by the app's ready()", True),
        ("# type: ignore[misc, override]  # both, for one reason", True),
        ("# type: ignore[attr-defined]", False),
        ("# type: ignore", False),
        ("# type: ignore  # no code", False),
    ],
)
def test_a_type_ignore_needs_its_code_and_a_reason(comment: str, explained: bool) -> None:
    assert unexplained_in(f"x = 1  {comment}\n") == (not explained)


@pytest.mark.parametrize("folder", ["admin_hits", "tests", "sample_site", "bench"])
def test_every_type_ignore_says_why(folder: str) -> None:
    assert unexplained(ROOT / folder) == []
