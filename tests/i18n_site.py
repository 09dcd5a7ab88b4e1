"""A site with ``i18n_patterns`` for the tests: its settings and its German catalog, which
translates one route (``articles/<slug:slug>/`` is ``artikel/<slug:slug>/`` in German)."""

from __future__ import annotations

import struct
from pathlib import Path

from django.test import override_settings

PREFIXED = "tests.nightly.urls_i18n"  # every language has its prefix, /en/ too
UNPREFIXED = "tests.nightly.urls_i18n_unprefixed"  # prefix_default_language=False
LANGUAGES = [("en", "English"), ("de", "German"), ("fr", "French")]
GERMAN = {"articles/<slug:slug>/": "artikel/<slug:slug>/"}


def mo_file(messages: dict[str, str]) -> bytes:
    """A GNU gettext catalog (what msgfmt makes), so the tests need no msgfmt."""
    header = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
    entries = sorted({"": header, **messages}.items())
    ids = [k.encode() for k, _ in entries]
    strs = [v.encode() for _, v in entries]
    count = len(entries)
    start = 28 + 16 * count  # after the header and the two tables of (length, offset)
    table, data = [], b""
    for text in ids + strs:
        table.append((len(text), start + len(data)))
        data += text + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    return head + b"".join(struct.pack("<2I", *pair) for pair in table) + data


def write_catalogs(root: Path) -> Path:
    messages = root / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True, exist_ok=True)
    (messages / "django.mo").write_bytes(mo_file(GERMAN))
    return root


def i18n_settings(urlconf: str, locale_root: Path) -> override_settings:
    # The catalog is always there with these URLconfs: Django caches a translated route's
    # regex per language on the pattern, so a German regex built without it would stay.
    return override_settings(
        ROOT_URLCONF=urlconf,
        LANGUAGES=LANGUAGES,
        LANGUAGE_CODE="en",
        LOCALE_PATHS=[str(locale_root)],
        USE_I18N=True,
    )
