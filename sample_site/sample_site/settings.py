"""Settings of the demo site. The environment picks the database and the live store, so the
same site runs on SQLite and the database store (the default) or PostgreSQL and memcached:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo ADMIN_HITS_STORE=memcached://127.0.0.1:11211

Deployed behind Apache (docs/deploy.md), ``local_settings.py`` next to this file holds the
deployment's values, read last: copy ``deploy/local_settings.py`` there and edit it.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


# SQLite with several processes writing (the pipe every second, parse_log, hits_prune) and
# the admin reading: WAL lets readers and a writer work at once, IMMEDIATE transactions take
# the write lock at their start (so a read never has to become a write, which SQLite refuses
# at once when another writer holds it), and a writer waits up to 20 s for another.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database(url: str | None) -> dict[str, object]:
    default = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }
    if not url:
        return default
    try:
        import dj_database_url
    except ImportError:
        raise ImproperlyConfigured(
            "DATABASE_URL is set: install dj-database-url to use it (pip install dj-database-url)"
        ) from None
    parsed = dj_database_url.parse(url)
    if parsed["ENGINE"] == default["ENGINE"]:  # the same several writers: the same options
        parsed["OPTIONS"] = {**SQLITE_OPTIONS, **parsed.get("OPTIONS", {})}
    return parsed


SECRET_KEY = os.environ.get("SECRET_KEY", "demo-site-only-not-secret")
DEBUG = env_flag("DEBUG", True)
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

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
    "press",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The admin in the language staff chose (the switcher in the user tools), or their
    # browser's: after the session it reads, before CommonMiddleware (Django's docs).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "sample_site.urls"
WSGI_APPLICATION = "sample_site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": database(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
# The languages admin_hits ships catalogues for; the admin's switcher offers these.
LANGUAGES = [
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# admin_hits: the content models whose admins show views, the live store, and the logs
# written by Apache through cronolog (one file per day; ``demo_logs`` writes the same layout).
ADMIN_HITS_MODELS = ["press.Company", "press.PressRelease"]
ADMIN_HITS_STORE = os.environ.get("ADMIN_HITS_STORE", "db")
ADMIN_HITS_ACCESS_LOG = str(BASE_DIR / "logs" / "%Y" / "%m" / "%d" / "access.log")
# Apache's combined with the time taken (%D): deploy/apache-site.conf's LogFormat
# "combined_timed", and what demo_logs writes (press.traffic.LOG_FORMAT), for the Speed tab.
ADMIN_HITS_LOG_FORMAT = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
# Staff working in the admin are no readers: their page loads are not counted.
ADMIN_HITS_EXCLUDE_PATHS = ["/admin/"]

# A deployment's own values, from a file rather than the environment: Apache starts the pipe
# without your shell's environment, so a store set there would be the site's, not the pipe's.
try:
    from sample_site.local_settings import *  # noqa: F403
except ModuleNotFoundError as exc:
    if exc.name != "sample_site.local_settings":
        raise
