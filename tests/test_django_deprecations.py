"""What the next Django releases remove fails the tests (``tests/conftest.py``), and the app, the
test site and the demo site load and pass Django's checks without such a warning."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.utils import deprecation

from tests.conftest import django_deprecation_warnings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "category",
    # Both names exist on every supported Django, as classes or as aliases of its own.
    [deprecation.RemovedInNextVersionWarning, deprecation.RemovedAfterNextVersionWarning],
)
def test_a_django_deprecation_fails_a_test(category: type[Warning]) -> None:
    with pytest.raises(category):
        warnings.warn("removed soon", category, stacklevel=1)


def test_the_warnings_are_those_of_the_running_django() -> None:
    found = django_deprecation_warnings()
    assert deprecation.RemovedInNextVersionWarning in found
    assert all(cls.__module__ == "django.utils.deprecation" for cls in found)


#: ``manage.py check`` with those warnings made errors before Django is set up. (``python -W``
#: can not name them: it reads its options before the virtualenv's packages can be imported.)
CHECK = """
import warnings
from tests.conftest import django_deprecation_warnings
for category in django_deprecation_warnings():
    warnings.filterwarnings("error", category=category)
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check"])
"""


@pytest.mark.parametrize(
    ("settings", "path"), [("tests.settings", ROOT), ("sample_site.settings", ROOT / "sample_site")]
)
def test_the_sites_load_without_a_django_deprecation(settings: str, path: Path) -> None:
    # Imports and app loading happen before pytest's filters apply: a fresh interpreter that
    # makes the warnings errors from its start sees those too.
    pythonpath = os.pathsep.join([str(ROOT), str(path)])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": pythonpath}
    done = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout
