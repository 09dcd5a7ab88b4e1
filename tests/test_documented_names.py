"""Every Python name the README and docs give users can be imported, so that moving a module
can never silently break a site that followed the documentation."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

FROM_IMPORT = re.compile(r"^\s*from (admin_hits[\w.]*) import ([\w, ()]+)", re.MULTILINE)
DOTTED = re.compile(r"`[^`]*?\b(admin_hits(?:\.\w+)+)")
#: Dotted names in the docs that are not Python: check ids and permission names.
NOT_PYTHON = re.compile(r"admin_hits\.(?:[EW]\d{3}|(?:view|add|change|delete|export)_\w+)$")


def documented_names() -> set[str]:
    names = set()
    for document in DOCUMENTS:
        text = document.read_text()
        for module, imported in FROM_IMPORT.findall(text):
            for name in re.split(r"[,\s()]+", imported):
                if name:
                    names.add(f"{module}.{name}")
        names.update(n for n in DOTTED.findall(text) if not NOT_PYTHON.match(n))
    return names


def resolve(dotted: str) -> object:
    """The module ``dotted`` names, or the attribute of the longest importable module."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(dotted)


NAMES = sorted(documented_names())


def test_the_docs_name_the_promised_imports():
    """The extraction itself works: the names the package promises are among those found."""
    promised = {
        "admin_hits.is_bot",
        "admin_hits.models.HitsMixin",
        "admin_hits.admin.HitsAdminMixin",
        "admin_hits.resolvers.register_url",
        "admin_hits.logs.Aggregator",
        "admin_hits.pipe",
    }
    assert promised <= set(NAMES)


@pytest.mark.parametrize("dotted", NAMES)
def test_a_documented_name_imports(dotted):
    assert resolve(dotted) is not None


@pytest.mark.parametrize(
    "dotted",
    ["admin_hits.admin.HitsInline", "admin_hits.admin.HitsAdminMixin", "admin_hits.is_bot"],
)
def test_the_names_users_import_most(dotted):
    assert callable(resolve(dotted))


def test_a_moved_name_fails():
    with pytest.raises((ModuleNotFoundError, AttributeError)):
        resolve("admin_hits.stores.get_store")
