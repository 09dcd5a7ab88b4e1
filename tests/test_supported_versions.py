"""The Django and Python versions the package declares are those its test matrix runs
(``noxfile.py``), and every dependency has a lower bound that ``nox -s oldest`` can install."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def matrix() -> dict[str, tuple[str, ...]]:
    """``DJANGO_PYTHONS`` of the noxfile, read without importing nox."""
    tree = ast.parse((ROOT / "noxfile.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "DJANGO_PYTHONS":
            return ast.literal_eval(node.value)
    raise AssertionError("noxfile.py has no DJANGO_PYTHONS")


def classified(prefix: str) -> set[str]:
    return {
        c.removeprefix(prefix)
        for c in PROJECT["classifiers"]
        if c.startswith(prefix) and c != prefix
    }


def test_the_classifiers_name_the_tested_versions() -> None:
    tested = matrix()
    assert classified("Framework :: Django :: ") == set(tested)
    pythons = {python for pythons in tested.values() for python in pythons}
    assert classified("Programming Language :: Python :: ") - {"3 :: Only"} == {"3"} | pythons
    oldest = min(pythons, key=Version)
    assert PROJECT["requires-python"] == f">={oldest}"


def test_django_is_allowed_from_the_oldest_to_the_newest_tested_release() -> None:
    django = next(Requirement(r) for r in PROJECT["dependencies"] if r.startswith("Django"))
    releases = sorted(matrix(), key=Version)
    oldest, newest = Version(releases[0]), Version(releases[-1])
    next_release = f"{newest.major}.{newest.minor + 1}"
    assert django.specifier.contains(f"{oldest}.20")
    assert django.specifier.contains(f"{newest}.0")
    assert not django.specifier.contains(f"{next_release}.0")
    assert not django.specifier.contains(f"{oldest.major}.{oldest.minor - 1}.0")


def test_every_dependency_has_an_exact_lower_bound() -> None:
    # `nox -s oldest` installs each `>=X` as `==X`: X must be a release, not a prefix.
    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        lowest = [s.version for s in requirement.specifier if s.operator == ">="]
        assert len(lowest) == 1, line
        release = Version(lowest[0]).release
        # A full release (x.y.z), or a calendar version that is one (uap-core's rules: 202610).
        assert len(release) == 3 or (len(release) == 1 and release[0] > 2000_00), line


def test_the_readme_names_each_tested_pair() -> None:
    readme = (ROOT / "README.md").read_text()
    for django, pythons in matrix().items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| {django}"))
        assert row.split("|")[2].strip() == ", ".join(pythons), row
