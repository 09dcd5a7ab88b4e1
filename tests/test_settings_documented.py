from __future__ import annotations

from pathlib import Path

from admin_hits.conf import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme_reference() -> None:
    names = [name for name, value in vars(Settings).items() if isinstance(value, property)]
    text = README.read_text()
    missing = [name for name in names if f"`ADMIN_HITS_{name}`" not in text]
    assert names and not missing, f"document these settings in README.md: {missing}"


def test_every_setting_has_a_docstring() -> None:
    props = {n: v for n, v in vars(Settings).items() if isinstance(v, property)}
    assert all(p.__doc__ for p in props.values())
