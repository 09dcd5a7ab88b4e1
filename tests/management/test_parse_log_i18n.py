"""parse_log on a site with ``i18n_patterns``: a view of a page in any of its languages counts
for the page's object, whatever language parse_log itself runs in."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from admin_hits.models import PathHits
from tests.helpers import combined, write_log
from tests.i18n_site import PREFIXED, i18n_settings, write_catalogs
from tests.testapp.models import Article


@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: the main process matches the workers' paths
@pytest.mark.parametrize("active", ["en", "de"])
def test_views_in_every_language_count_for_the_object(
    tmp_path: Path, db: None, active: str, jobs: str
) -> None:
    article = Article.objects.create(title="A", slug="a")
    other = Article.objects.create(title="B", slug="b")
    log = write_log(
        tmp_path / "access.log",
        [combined("/de/artikel/a/")] * 2
        + [combined("/en/articles/a/"), combined("/fr/articles/b/"), combined("/de/articles/a/")],
    )
    with i18n_settings(PREFIXED, write_catalogs(tmp_path / "locale")), translation.override(active):
        call_command(
            "parse_log", str(log), "--date", "2026-11-28", "--jobs", jobs, stdout=StringIO()
        )
    assert article.hits.get().views == 3
    assert other.hits.get().views == 1
    assert PathHits.objects.get(path="/de/artikel/a/").object_id == str(article.pk)
    # German for "articles/" is "artikel/": no page, as in a request.
    assert PathHits.objects.get(path="/de/articles/a/").object_id == ""
