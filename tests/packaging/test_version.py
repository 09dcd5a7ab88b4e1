"""One version number, in one place: ``admin_hits.__version__``."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import admin_hits

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_pyproject_reads_the_version_from_the_package() -> None:
    config = tomllib.loads(PYPROJECT.read_text())
    assert "version" not in config["project"]
    assert "version" in config["project"]["dynamic"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "admin_hits.__version__"}


def test_the_installed_metadata_agrees_with_the_package() -> None:
    assert importlib.metadata.version("django-admin-hits") == admin_hits.__version__
