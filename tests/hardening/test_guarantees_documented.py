"""Every test ``docs/guarantees.md`` names as proof exists, so the document can not promise
more than the suite checks."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
GUARANTEES = TESTS.parent / "docs" / "guarantees.md"
NAMED = re.compile(r"`([\w/]+\.py)((?:::\w+)+)`")


def defined(path: Path) -> set[str]:
    """``name`` and ``Class::name`` of every test function and method in ``path``."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{f.name}" for f in node.body if isinstance(f, ast.FunctionDef)}
    return names


def test_every_named_test_exists() -> None:
    named = NAMED.findall(GUARANTEES.read_text())
    assert len(named) > 50
    missing = [
        f"{file}{test}"
        for file, test in named
        if not (TESTS / file).exists() or test[2:] not in defined(TESTS / file)
    ]
    assert missing == []
