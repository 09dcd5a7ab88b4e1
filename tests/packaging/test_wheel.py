"""The built wheel works on its own: installed into a new virtualenv, away from this checkout.

The sdist and the wheel are built from the working tree (the wheel from the sdist, as
``python -m build`` does), the wheel is installed with its dependencies into a virtualenv in a
temporary folder, and a minimal project there migrates, passes ``check --deploy``, counts a log
with ``parse_log``, renders the report and a change page with the inline, and counts lines with
the ``admin-hits-pipe`` console script. Every command runs with its working directory outside
the checkout and without PYTHONPATH, so only what the wheel ships (templates, static files,
migrations, the bot list, the console script) can be used.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import pytest

import admin_hits
from tests.helpers import combined

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.services]

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
DAY = datetime.date(2026, 11, 28)

SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "wheel-test-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "django_tables2",
    "admin_hits",
    "shop",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "mysite.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": BASE_DIR / "db.sqlite3",
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
ADMIN_HITS_ACCESS_LOG = str(BASE_DIR / "logs/%Y/%m/%d/access.log")
ADMIN_HITS_STORE = "db"
ADMIN_HITS_EXCLUDE_PATHS = ["/admin/"]
"""

URLS = """
from django.contrib import admin
from django.urls import path
from django.views.generic import DetailView

from shop.models import Product

urlpatterns = [
    path("admin/", admin.site.urls),
    path("products/<slug:slug>/", DetailView.as_view(model=Product), name="product"),
]
"""

MODELS = """
from django.db import models
from django.urls import reverse

from admin_hits.models import HitsMixin


class Product(HitsMixin, models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("product", kwargs={"slug": self.slug})
"""

ADMIN = """
from django.contrib import admin

from admin_hits.admin import HitsAdminMixin, HitsInline
from shop.models import Product


@admin.register(Product)
class ProductAdmin(HitsAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    hits_inline = HitsInline
"""

# Run in the new virtualenv: what the site shows, as JSON for the test to check.
PAGES = """
import datetime, json, sys

import django

django.setup()

import admin_hits
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from admin_hits.models import Hits
from admin_hits.live.hours import without_hours
from admin_hits.live.stores import get_store
from shop.models import Product

product = Product.objects.get(slug="widget")
admin = User.objects.create_superuser("admin", "admin@example.com", "pw")
client = Client()
client.force_login(admin)
day = {"since": sys.argv[1], "until": sys.argv[1]}
report = client.get(reverse("admin:admin_hits_report"), day, secure=True)
change = client.get(reverse("admin:shop_product_change", args=[product.pk]), secure=True)
row = Hits.objects.for_object(product).get()
print(json.dumps({
    "package": admin_hits.__file__,
    "report": [report.status_code, report.content.decode()],
    "change": [change.status_code, change.content.decode()],
    "views": row.views,
    "bot_views": row.bot_views,
    "static": bool(finders.find("admin_hits/report.css")),
    "live": without_hours(get_store().day(datetime.date.fromisoformat(sys.argv[2]))),
}))
"""


def run(
    command: list[str | Path], cwd: Path, input: str | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """``command`` with a clean environment: nothing of this checkout or of the suite's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "ADMIN_HITS_", "PYTHON", "VIRTUAL_ENV"))
        and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(PYTHONNOUSERSITE="1", **extra_env)
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, input=input, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout}{done.stderr}"
    return done


def source_tree(into: Path) -> Path:
    """The checkout's files as a clean clone with the working changes would hold them.

    Building in the checkout itself would let a stale ``build/`` or ``*.egg-info`` from an
    earlier build add files the package data no longer names.
    """
    if not (REPO / ".git").exists() or not shutil.which("git"):  # an unpacked archive
        shutil.copytree(REPO, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*BUILT))
        return into
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO)
    for name in filter(None, listed.stdout.split("\0")):
        if (REPO / name).is_file():  # a file deleted but not yet committed is listed too
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, into / name)
    return into


#: What a checkout holds besides its own files (see .gitignore).
BUILT = [".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".git"]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = source_tree(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", out, source], cwd=out)
    return out


@pytest.fixture(scope="module")
def site(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated minimal project, in a virtualenv that holds the wheel and nothing of ours."""
    root = tmp_path_factory.mktemp("wheel-site")
    (wheel,) = dist.glob("*.whl")
    run([sys.executable, "-m", "venv", root / "venv"], cwd=root)
    run([root / "venv/bin/python", "-m", "pip", "install", "--quiet", wheel], cwd=root)
    files = {
        "mysite/__init__.py": "",
        "mysite/settings.py": SETTINGS,
        "mysite/urls.py": URLS,
        "shop/__init__.py": "",
        "shop/models.py": MODELS,
        "shop/admin.py": ADMIN,
        "pages.py": PAGES,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    manage(root, "makemigrations", "shop")
    manage(root, "migrate", "--noinput")
    return root


def manage(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    options = ["--settings", "mysite.settings", "--pythonpath", root]
    return run([root / "venv/bin/django-admin", *args, *options], cwd=root)


def test_the_sdist_ships_the_docs_the_readme_links_to(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    links = re.findall(r"\]\((?!https?:|#)([^)#]+)", (REPO / "README.md").read_text())
    assert links, "the README links to no file of the repository"
    missing = {link for link in links if link not in names}
    assert not missing, f"the sdist lacks files the README links to: {missing}"
    docs = {f"docs/{path.name}" for path in (REPO / "docs").glob("*.md")}
    assert docs <= names
    assert f"django_admin_hits-{admin_hits.__version__}-py3-none-any.whl" in {
        path.name for path in dist.iterdir()
    }


def test_the_wheel_passes_the_deploy_checks(site: Path) -> None:
    done = manage(site, "check", "--deploy", "--fail-level", "WARNING")
    assert "System check identified no issues" in done.stdout
    collected = manage(site, "collectstatic", "--noinput")
    assert "static files copied" in collected.stdout
    assert (site / "static/admin_hits/report.css").is_file()


def test_the_wheel_counts_logs_and_shows_them_in_the_admin(site: Path) -> None:
    when = f"{DAY:%d/%b/%Y}:10:00:00 +0000"
    log = site / f"logs/{DAY:%Y/%m/%d}/access.log"  # at ADMIN_HITS_ACCESS_LOG, as cron reads it
    log.parent.mkdir(parents=True)
    log.write_text(
        combined("/products/widget/", when) * 3
        + combined("/products/widget/", when, user_agent=GOOGLEBOT)
        + combined("/static/admin_hits/report.css", when)
    )
    manage(site, "shell", "-c", "from shop.models import Product; "
           "Product.objects.create(slug='widget', name='Widget')")  # fmt: skip
    parsed = manage(site, "parse_log", "--date", DAY.isoformat())
    assert "Read 5 lines from 1 file(s)" in parsed.stdout

    today = datetime.datetime.now(datetime.UTC)
    lines = combined("/products/widget/", f"{today:%d/%b/%Y:%H:%M:%S} +0000") * 2
    run([site / "venv/bin/admin-hits-pipe", "--pythonpath", site, "--settings", "mysite.settings",
         "--store", "db"], cwd=site, input=lines)  # fmt: skip

    shown = run([site / "venv/bin/python", "pages.py", DAY.isoformat(), f"{today:%Y-%m-%d}"],
                cwd=site, DJANGO_SETTINGS_MODULE="mysite.settings")  # fmt: skip
    pages = json.loads(shown.stdout)
    assert Path(pages["package"]).is_relative_to(site / "venv")
    assert (pages["views"], pages["bot_views"]) == (3, 1)
    assert pages["static"]
    assert pages["live"] == {"/products/widget/": 2}
    status, report = pages["report"]
    assert status == 200 and "Widget" in report and "admin_hits/report.css" in report
    status, change = pages["change"]
    assert status == 200 and 'class="admin-hits-summary"' in change
