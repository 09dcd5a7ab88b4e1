"""docs/deploy.md quotes the sample site's deployment files as they are (the files the
end-to-end test runs), so the recipe a reader copies is the one that is tested."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "sample_site" / "deploy"


@pytest.mark.parametrize("name", sorted(p.name for p in DEPLOY.iterdir() if p.is_file()))
def test_deploy_md_quotes_each_file_whole(name: str) -> None:
    docs = (REPO / "docs" / "deploy.md").read_text()
    text = (DEPLOY / name).read_text()
    assert f"\n{text}```\n" in docs, f"docs/deploy.md does not quote sample_site/deploy/{name}"


def test_the_settings_file_is_the_one_the_sample_settings_read() -> None:
    settings = (REPO / "sample_site" / "sample_site" / "settings.py").read_text()
    assert "from sample_site.local_settings import *" in settings
    assert "sample_site/sample_site/local_settings.py" in (REPO / ".gitignore").read_text()
