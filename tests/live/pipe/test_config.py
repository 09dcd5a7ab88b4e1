"""Where the pipe's settings come from: options, then Django settings, then the environment."""

from __future__ import annotations

import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from admin_hits.exceptions import AdminHitsError
from admin_hits.live.pipe.config import build_parser, resolve
from admin_hits.live.stores.memcached import MemcachedStore

TESTS = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


def config(*args: str, environ: dict[str, str] | None = None):
    return resolve(build_parser().parse_args(list(args)), environ or {})


def test_without_settings_options_and_environment_decide() -> None:
    got = config(
        "--store", "memcached://10.0.0.1:11211,10.0.0.2:11212", environ={"TZ": "Asia/Tokyo"}
    )
    assert got.store.servers == (("10.0.0.1", 11211), ("10.0.0.2", 11212))
    assert got.tz == ZoneInfo("Asia/Tokyo")
    assert got.prefix == "hits" and got.log_format == "combined" and not got.django_settings
    assert got.rules.excluded_prefixes == ("/static/", "/media/")
    assert config("--store", "memcached://h:1").tz == ZoneInfo("UTC")
    assert config(environ={"ADMIN_HITS_STORE": "memcached://h:2"}).store.servers == (("h", 2),)


def test_memcached_store_is_built_from_the_options() -> None:
    store = config(
        "--store", "memcached://h:1", "--prefix", "site2", "--timeout", "0.2"
    ).make_store()
    assert isinstance(store, MemcachedStore) and store.prefix == "site2"


def test_settings_are_the_source_of_truth(settings) -> None:
    settings.ADMIN_HITS_KEY_PREFIX = "press"
    settings.ADMIN_HITS_EXCLUDE_PATHS = ["/private/"]
    got = config(environ={**TESTS, "TZ": "Asia/Tokyo", "ADMIN_HITS_STORE": "django-cache://redis"})
    assert got.django_settings and got.tz == ZoneInfo("Europe/Berlin")  # TIME_ZONE, not TZ
    assert got.store.scheme == "django-cache" and got.prefix == "press"
    assert got.rules.excluded_prefixes == ("/static/", "/media/", "/private/")
    settings.ADMIN_HITS_STORE = "db"  # the settings' own value wins over the environment
    assert config(environ={**TESTS, "ADMIN_HITS_STORE": "memcached://h:1"}).store.scheme == "db"


def test_every_rule_of_the_settings_counts_as_in_parse_log(settings) -> None:
    # The pipe and parse_log count alike: the same rules, read the same way.
    from admin_hits.conf import view_rules

    settings.ADMIN_HITS_EXCLUDE_PATHS = ["/private/", "*/feed/", "^/x[0-9]+/"]
    settings.ADMIN_HITS_EXCLUDE_IPS = ["192.0.2.0/24"]
    settings.ADMIN_HITS_EXCLUDE_STATUSES = [204]
    settings.ADMIN_HITS_METHODS = ["GET", "POST"]
    settings.ADMIN_HITS_BOT_PATTERNS = ["inhouse-monitor"]
    settings.ADMIN_HITS_HUMAN_PATTERNS = ["friendly-bot"]
    settings.ADMIN_HITS_OWN_HOSTS = [".example.com"]
    got = config("--store", "memcached://h:1", environ=TESTS).rules
    assert got == view_rules()
    assert got.excluded_networks == ("192.0.2.0/24",) and got.own_hosts == (".example.com",)
    with_option = config("--store", "memcached://h:1", "--exclude", "/y/", environ=TESTS).rules
    assert with_option.excluded_prefixes == (*got.excluded_prefixes, "/y/")
    assert with_option.bot_patterns == ("inhouse-monitor",)


def test_a_rule_of_the_settings_that_can_not_be_used_stops_the_start(settings) -> None:
    settings.ADMIN_HITS_EXCLUDE_IPS = ["not-an-ip"]
    with pytest.raises(AdminHitsError, match="not-an-ip"):
        config("--store", "memcached://h:1", environ=TESTS)


def test_live_expiry_comes_from_the_settings(settings) -> None:
    settings.ADMIN_HITS_LIVE_EXPIRY = 3600
    got = config("--store", "memcached://h:1", environ=TESTS)
    assert got.expiry == 3600 and got.make_store().expiry == 3600
    assert config("--store", "memcached://h:1").expiry == 48 * 3600


def test_options_win_over_settings(settings) -> None:
    settings.ADMIN_HITS_STORE = "db"
    got = config("--store", "memcached://h:1", "--time-zone", "UTC", "--exclude", "/x/",
                 "--format", "common", environ=TESTS)  # fmt: skip
    assert got.store.scheme == "memcached" and got.tz == ZoneInfo("UTC")
    assert got.log_format == "common" and got.rules.excluded_prefixes[-1] == "/x/"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "db"], "needs the Django settings"),
        (["--store", "django-cache://redis"], "needs the Django settings"),
        (["--store", "redis://h"], "unknown live store"),
        (["--store", "memcached://h"], "not host:port"),
        (["--store", "memcached://h:1", "--time-zone", "Mars/Olympus"], "unknown time zone"),
        (["--store", "memcached://h:1", "--prefix", "a b"], "key prefix"),
        (["--store", "memcached://h:1", "--format", "%h %u"], None),
        (["--store", "memcached://h:1", "--format", "auto"], "needs the format Apache writes"),
        (["--store", "memcached://h:1", "--flush-interval", "0"], "--flush-interval"),
        (["--store", "memcached://h:1", "--max-pending", "0"], "--max-pending"),
    ],
)
def test_unusable_configurations_are_refused(args: list[str], message: str) -> None:
    with pytest.raises(AdminHitsError, match=message):
        config(*args)


def test_unloadable_settings_are_reported() -> None:
    command = [sys.executable, "-m", "admin_hits.pipe", "--settings", "no.such.settings"]
    out = subprocess.run(command, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert out.stderr.startswith(b"admin-hits-pipe: Django settings 'no.such.settings' can not")


def test_memcached_mode_starts_without_django() -> None:
    code = (
        "import sys\n"
        "from admin_hits.live.pipe.config import parse\n"
        "from admin_hits.live.pipe.worker import Worker\n"
        "args, config = parse(['--store', 'memcached://127.0.0.1:1'])\n"
        "Worker(config).config.make_store()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=30)
    assert out.stdout.strip() == b"[]", out.stderr


def test_an_unset_media_url_excludes_nothing(settings) -> None:
    settings.MEDIA_URL = ""  # Django reads it as "/" (the script prefix)
    assert config(environ=TESTS).rules.excluded_prefixes == ("/static/",)


def test_format_auto_of_the_settings_asks_the_pipe_for_format(settings) -> None:
    settings.ADMIN_HITS_LOG_FORMAT = "auto"
    with pytest.raises(AdminHitsError, match="pass --format with the CustomLog line's format"):
        config(environ=TESTS)
    assert config("--format", "vhost_combined", environ=TESTS).log_format == "vhost_combined"
