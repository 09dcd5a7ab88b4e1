"""The shipped gettext catalogues, read without any gettext tool, and GNU gettext found or said
missing."""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import admin_hits

PACKAGE = Path(admin_hits.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
LANGUAGES = sorted(path.name for path in LOCALE.iterdir() if path.is_dir())

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")$')


@dataclass
class Entry:
    """One message of a PO file: its flags (``fuzzy``, ``python-format``...) and texts."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Entry]:
    """The entries of ``path``, the header (``msgid ""``) first; obsolete ones (``#~``) left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] = ("msgid", 0)
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
                entry = None
            continue
        entry = entry or Entry()
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := _LINE.match(line):
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = ast.literal_eval(text)
            else:
                target = (keyword, 0)
                setattr(entry, keyword, ast.literal_eval(text))
        elif line.startswith('"'):  # a continuation of the previous string
            text = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + text)
    return entries


def plural_count(header: Entry) -> int:
    match = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert match, "the catalogue's header has no Plural-Forms"
    return int(match.group(1))


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def gettext_tool(name: str) -> str:
    """The path of a GNU gettext program, or a failed test that says how to install it."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} (GNU gettext) is not installed: apt-get install gettext", pytrace=False
        )
    return found
