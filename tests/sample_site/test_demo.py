"""``make demo``'s data, made as it makes them: the sample site's ``demo_setup`` on a SQLite
database of its own, and the report it then shows, read as its JSON by the admin user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
# Run by the sample site's manage.py shell: the report's Speed tab as JSON, as the admin sees
# it, and the site's search page, the slow page of its logs.
READ_REPORT = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
client = Client()
client.force_login(get_user_model().objects.get(username="admin"))
url = reverse("admin:admin_hits_report")
found = client.get(url, {"tab": "delivery", "format": "json"}, HTTP_HOST="127.0.0.1")
searched = client.get("/search/", {"q": "energy plant"}, HTTP_HOST="127.0.0.1")
print(json.dumps({**found.json(), "search": [searched.status_code, searched.content.decode()]}))
"""


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("demo")
    site = root / "sample_site"
    shutil.copytree(REPO / "sample_site", site, ignore=shutil.ignore_patterns(
        "db.sqlite3*", "logs", "staticfiles", "media", "__pycache__", "local_settings.py",
    ))  # fmt: skip
    drop = ("DJANGO_SETTINGS_MODULE", "ADMIN_HITS_STORE", "PYTHONPATH", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["DATABASE_URL"] = f"sqlite:///{root / 'demo.sqlite3'}"

    def manage(*args: str) -> str:
        done = subprocess.run([sys.executable, str(site / "manage.py"), *args], env=env,
                              cwd=root, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    manage("demo_setup", "--days", "3", "--per-day", "400", "-v0")
    return json.loads(manage("shell", "-v0", "-c", READ_REPORT))


def test_the_demo_report_has_a_speed_tab_with_slow_pages(demo_report: dict) -> None:
    assert "delivery" in [tab["key"] for tab in demo_report["tabs"]]
    figures = {f["key"]: f["value"] for f in demo_report["figures"]}
    assert figures["bytes"] > 0
    assert 0 < figures["response_ms_p50"] < figures["response_ms_p95"]
    table = next(t for t in demo_report["tables"] if t["slug"] == "slow-pages")
    pages = [row["page"] for row in table["rows"]]
    assert "/search/" in pages and "/" in pages
    # The search is slower than a release's page (read often enough for its median to say).
    p50 = {row["page"]: row["p50"] for row in table["rows"]}
    releases = [row["p50"] for row in table["rows"]
                if row["page"].startswith("/releases/") and row["requests"] >= 20]  # fmt: skip
    assert releases and p50["/search/"] > 2 * max(releases)


def test_the_demo_site_has_the_search_its_logs_show(demo_report: dict) -> None:
    status, page = demo_report["search"]
    assert status == 200
    assert "Releases about \u201cenergy plant\u201d" in page
