"""The test matrix: the suite on each supported (Python, Django) pair, and on the oldest
dependency versions the package allows.

``make test`` runs the default pair (Python 3.11, Django 5.2 LTS) with every service, on SQLite
and PostgreSQL; ``make test-matrix`` (plain ``nox``) runs the others, on SQLite and without the
tests of external services (``-m "not services"``): what differs between Django releases is the
ORM, the admin and the templates, not memcached, Apache or Chromium. ``nox -l`` lists the
sessions; ``nox -s "tests(python='3.13', django='6.1')" -- -x tests/admin`` runs one, with
pytest's options after ``--``.

Pythons are found as ``python3.X`` on ``PATH`` or under pyenv's ``versions/``; a Python the
machine lacks is said once and its sessions are skipped (nox's "Missing interpreters" line).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent

#: Each supported Django release and the Pythons it supports among the project's.
DJANGO_PYTHONS = {
    "5.2": ("3.11", "3.12", "3.13"),
    "6.0": ("3.12", "3.13"),
    "6.1": ("3.12", "3.13"),
}
#: The pair of ``make test``'s own virtualenv (the oldest Python the package supports gives the
#: newest Django it can have), left out of the default sessions.
DEFAULT_PAIR = ("3.11", "5.2")
#: The oldest dependencies, on the oldest Python and Django.
OLDEST_PYTHON = "3.11"

PYTEST = ("python", "-m", "pytest", "-q", "-m", "not services", "-p", "no:cacheprovider")

nox.options.default_venv_backend = "venv"
# A Python that this machine lacks skips its sessions, on CI too (nox would fail them there).
nox.options.error_on_missing_interpreters = False


def pyenv_pythons(version: str) -> list[Path]:
    """The ``python3.X`` that pyenv installed for ``version`` ("3.12"), newest first."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = []
    for folder in root.glob(f"{version}.*"):
        try:
            patch = Version(folder.name)
        except InvalidVersion:  # 3.12-dev, 3.13.0t and other builds are not meant here
            continue
        found.append((patch, folder / "bin" / f"python{version}"))
    return [python for _, python in sorted(found, reverse=True)]


def runs_as(python: str | Path, version: str) -> bool:
    """Whether ``python`` starts and is ``version``: a pyenv shim of a version that is not
    selected is on PATH but fails."""
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except OSError:
        return False
    return done.returncode == 0 and done.stdout.strip() == version


def find_pythons(versions: list[str]) -> None:
    """Put the folder of each version's Python before the others on PATH when ``python3.X``
    there does not run (pyenv's versions/), so that nox finds it by version; say which
    versions can not be found."""
    for version in versions:
        on_path = shutil.which(f"python{version}")
        if on_path and runs_as(on_path, version):
            continue
        python = next((p for p in pyenv_pythons(version) if runs_as(p, version)), None)
        if python is None:
            print(
                f"Python {version} not found (neither python{version} on PATH nor under "
                "pyenv's versions/): skipping its sessions.",
                file=sys.stderr,
            )
            continue
        os.environ["PATH"] = f"{python.parent}{os.pathsep}{os.environ['PATH']}"


def oldest_dependencies() -> list[str]:
    """``name==X`` for every ``name>=X`` among the package's own dependencies in
    ``pyproject.toml``: the oldest versions it allows, as a site that pins them would have."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = []
    for line in project["dependencies"]:
        requirement = Requirement(line)
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if lowest:
            pins.append(f"{requirement.name}=={lowest[0]}")
    return pins


PAIRS = [(python, django) for django, pythons in DJANGO_PYTHONS.items() for python in pythons]
find_pythons(sorted({python for python, _ in PAIRS}))


@nox.session
@nox.parametrize("python,django", PAIRS)
def tests(session: nox.Session, django: str) -> None:
    """The suite on the newest release of one Django and of the other dependencies."""
    session.install("-e", ".[test]", f"Django~={django}.0")
    session.run(*PYTEST, *session.posargs)


@nox.session(python=OLDEST_PYTHON)
def oldest(session: nox.Session) -> None:
    """The suite on the oldest versions of the dependencies (pyproject.toml's lower bounds)."""
    session.install("-e", ".[test]", *oldest_dependencies())
    session.run("python", "-m", "pip", "list", "--format=freeze", silent=False)
    session.run(*PYTEST, *session.posargs)


# Plain ``nox`` (``make test-matrix``): every pair but ``make test``'s own, and the oldest.
nox.options.sessions = [
    *(f"tests(python='{py}', django='{dj}')" for py, dj in PAIRS if (py, dj) != DEFAULT_PAIR),
    "oldest",
]
