"""The shipped catalogues: complete, not fuzzy, valid, compiled from their current text, and
holding exactly the strings the package marks for translation."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.locale.catalogues import (
    LANGUAGES,
    PACKAGE,
    gettext_tool,
    plural_count,
    po_path,
    read_po,
)


def test_german_french_and_spanish_ship() -> None:
    assert {"de", "fr", "es"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language: str) -> None:
    header, *entries = read_po(po_path(language))
    assert header.msgid == "" and f"Language: {language}\n" in header.msgstr[0]
    forms = plural_count(header)
    assert entries, "an empty catalogue"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        expected = forms if entry.msgid_plural is not None else 1
        texts = [entry.msgstr.get(index, "") for index in range(expected)]
        if len(entry.msgstr) != expected or not all(texts):
            problems.append(f"untranslated ({expected} form(s) wanted): {entry.msgid!r}")
    assert not problems, f"{po_path(language)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_valid_and_its_mo_file_is_up_to_date(language: str, tmp_path: Path) -> None:
    """``msgfmt --check`` accepts it (placeholders, plural forms, header), and the committed
    ``.mo`` holds what compiling the ``.po`` gives: the wheel ships the committed file."""
    po = po_path(language)
    compiled = tmp_path / "django.mo"
    run = subprocess.run(
        [gettext_tool("msgfmt"), "--check", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    with compiled.open("rb") as fresh, po.with_suffix(".mo").open("rb") as shipped:
        fresh_catalog = gettext.GNUTranslations(fresh)
        shipped_catalog = gettext.GNUTranslations(shipped)
    assert shipped_catalog._catalog == fresh_catalog._catalog, (
        f"{po.with_suffix('.mo')} is older than its .po: run `django-admin compilemessages` "
        "in admin_hits/ (docs/translating.md)"
    )
    plural = [shipped_catalog.plural(n) for n in (0, 1, 2, 5, 21, 1_000_000)]
    assert plural == [fresh_catalog.plural(n) for n in (0, 1, 2, 5, 21, 1_000_000)]


def marked_strings(tmp_path: Path) -> set[tuple[str | None, str, str | None]]:
    """What ``makemessages`` finds marked in a copy of the package, whose locale folder is empty
    (so the shipped catalogues are not changed, nor read)."""
    gettext_tool("xgettext")
    copy = tmp_path / "admin_hits"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        capture_output=True,
        text=True,
        # No settings: makemessages needs none, and the test settings' apps are not the package.
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert run.returncode == 0, run.stderr
    return {entry.key for entry in read_po(copy / "locale/de/LC_MESSAGES/django.po")[1:]}


def test_catalogues_hold_exactly_the_marked_strings(tmp_path: Path) -> None:
    marked = marked_strings(tmp_path)
    assert len(marked) > 100
    for language in LANGUAGES:
        shipped = {entry.key for entry in read_po(po_path(language))[1:]}
        missing, stale = sorted(marked - shipped, key=str), sorted(shipped - marked, key=str)
        assert not missing, (
            f"marked strings the {language} catalogue lacks (run makemessages, then translate: "
            f"docs/translating.md): {missing}"
        )
        assert not stale, f"the {language} catalogue has strings no longer marked: {stale}"
