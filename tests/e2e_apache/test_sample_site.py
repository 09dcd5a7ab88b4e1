"""The sample site deployed as docs/deploy.md says, from the recipe's own files.

The recipe's files (``sample_site/deploy/``) are used as they are, with only their paths and
ports replaced by the test's: the Apache configuration (proxy to gunicorn, static files, the
two CustomLog lines), gunicorn's systemd command line, ``local_settings.py`` and the cron
lines. So the recipe can not rot: Apache serves the site, the pipe it starts counts into the
store of the settings file (not of an environment it never gets), ``admin-hits-pipe --check``
passes first, and the cron line's ``parse_log`` counts the same views from the daily file.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.e2e_apache.test_apache import APACHE, MODULES, _group_exists
from tests.fixtures.memcached import MemcachedServer, free_port
from tests.helpers import BROWSER
from tests.live.pipe.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "sample_site" / "deploy"
VENV = Path(sys.prefix)
ZONE = "Europe/Berlin"  # the sample site's TIME_ZONE; Apache's (and rotatelogs') as well
SERVER = """\
ServerRoot {root}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {root}/httpd.pid
DefaultRuntimeDir {root}
ErrorLog {root}/error.log
LogLevel notice
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule alias_module {modules}/mod_alias.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule proxy_module {modules}/mod_proxy.so
LoadModule proxy_http_module {modules}/mod_proxy_http.so
TypesConfig /etc/mime.types
{user}
"""


def recipe(name: str, replacements: dict[str, str]) -> str:
    """A file of the recipe with its example paths and ports replaced."""
    text = (DEPLOY / name).read_text()
    for example, value in replacements.items():
        assert example in text, f"{name} no longer holds {example!r}"
        text = text.replace(example, value)
    return text


def defines(text: str, values: dict[str, str]) -> str:
    """apache-vars.conf with each ``Define NAME value`` given the test's value."""
    for name, value in values.items():
        text, found = re.subn(rf"^Define {name} .*$", f"Define {name} {value}", text, flags=re.M)
        assert found == 1, f"apache-vars.conf defines no {name}"
    return text


class Deployment:
    """The sample site copied to a folder of its own, as a clone on a server would be."""

    def __init__(self, root: Path, memcached: MemcachedServer) -> None:
        self.root = root
        self.site = root / "sample_site"
        self.logs = root / "logs"
        self.port, self.gunicorn_port = free_port(), free_port()
        self.memcached = memcached
        shutil.copytree(REPO / "sample_site", self.site, ignore=shutil.ignore_patterns(
            "db.sqlite3*", "logs", "staticfiles", "__pycache__", "local_settings.py",
        ))  # fmt: skip
        self.paths = {"/srv/venv": str(VENV), "/srv/django-admin-hits/sample_site": str(self.site)}
        local = recipe("local_settings.py", {
            "memcached://127.0.0.1:11211": memcached.url,
            "/var/log/apache2/sample_site": str(self.logs),
        })  # fmt: skip
        (self.site / "sample_site" / "local_settings.py").write_text(local)
        self.gunicorn: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """What a service gets: not the test run's settings, store or Python path."""
        drop = ("DJANGO_SETTINGS_MODULE", "ADMIN_HITS_STORE", "PYTHONPATH", "DATABASE_URL")
        return {**{k: v for k, v in os.environ.items() if k not in drop}, "TZ": ZONE}

    def run(self, command: list[str], cwd: Path | None = None) -> str:
        done = subprocess.run(command, capture_output=True, text=True, timeout=180,
                              cwd=cwd or self.root, env=self.env)  # fmt: skip
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        return done.stdout

    def manage(self, *args: str) -> str:
        return self.run([str(VENV / "bin" / "python"), str(self.site / "manage.py"), *args])

    def python(self, code: str) -> str:
        """What ``code`` prints, run by the site's ``manage.py shell``."""
        return self.manage("shell", "-v", "0", "-c", code).strip()

    def start_gunicorn(self) -> None:
        unit = recipe("gunicorn.service", {**self.paths, "127.0.0.1:8001":
                                           f"127.0.0.1:{self.gunicorn_port}"})  # fmt: skip
        folder = re.search(r"^WorkingDirectory=(.*)$", unit, re.M).group(1)
        command = shlex.split(re.search(r"^ExecStart=(.*)$", unit, re.M).group(1))
        quiet = subprocess.DEVNULL
        self.gunicorn = subprocess.Popen(
            command, cwd=folder, env=self.env, stdout=quiet, stderr=quiet
        )

    def apache_config(self) -> Path:
        user = ""
        if os.geteuid() == 0:  # Apache refuses to serve as root; its piped loggers stay root
            user = f"User nobody\nGroup {'nogroup' if _group_exists('nogroup') else 'nobody'}"
        site = defines((DEPLOY / "apache-vars.conf").read_text(), {
            "SAMPLE_SITE": str(self.site), "SAMPLE_VENV": str(VENV),
            "SAMPLE_LOGS": str(self.logs), "SAMPLE_PORT": str(self.port),
            "SAMPLE_GUNICORN": f"127.0.0.1:{self.gunicorn_port}",
        })  # fmt: skip
        config = self.root / "httpd.conf"
        config.write_text(SERVER.format(root=self.root, port=self.port, modules=MODULES,
                                        user=user) + site)  # fmt: skip
        return config

    def apache(self, action: str) -> None:
        self.run([APACHE, "-f", str(self.root / "httpd.conf"), "-k", action])

    @property
    def apache_pid(self) -> int | None:
        try:
            return int((self.root / "httpd.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def get(self, path: str) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                         headers={"User-Agent": BROWSER})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except (urllib.error.HTTPError, urllib.error.URLError, ConnectionError) as exc:
            return getattr(exc, "code", 0)

    def cron_commands(self) -> list[list[str]]:
        """The cron file's commands (after the schedule and the user)."""
        lines = recipe("cron", self.paths).splitlines()
        return [shlex.split(line)[6:] for line in lines if line and not line.startswith("#")]

    def stop(self) -> None:
        if self.apache_pid:
            subprocess.run([APACHE, "-f", str(self.root / "httpd.conf"), "-k", "stop"],
                           capture_output=True, timeout=30)  # fmt: skip
            wait_until(lambda: self.apache_pid is None, timeout=15)
        if self.gunicorn is not None and self.gunicorn.poll() is None:
            self.gunicorn.send_signal(signal.SIGTERM)
            self.gunicorn.wait(timeout=15)


@pytest.fixture
def deployment(memcached: MemcachedServer) -> Iterator[Deployment]:
    if not os.path.exists(APACHE) or not (MODULES / "mod_proxy_http.so").exists():
        pytest.fail(f"Apache httpd with mod_proxy_http is not installed ({APACHE}): "
                    "apt-get install apache2", pytrace=False)  # fmt: skip
    # World-readable, unlike pytest's tmp_path: Apache's children serve static files as nobody.
    root = Path(tempfile.mkdtemp(prefix="admin-hits-sample-"))
    root.chmod(0o755)
    deployed = Deployment(root, memcached)
    try:
        yield deployed
    finally:
        deployed.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_sample_site_runs_behind_apache_as_the_recipe_says(deployment: Deployment) -> None:
    site = deployment
    site.manage("migrate", "--noinput", "-v0")
    site.manage("collectstatic", "--noinput", "-v0")
    site.python("from press.demo_data import create_demo_objects; create_demo_objects()")
    first = "from press.models import PressRelease as P; print(P.objects.order_by('pk')[0].slug)"
    slug = site.python(first)
    release = f"/releases/{slug}/"

    # docs: check the pipe's command line before reloading Apache.
    config = site.apache_config()
    pipe = re.search(r'CustomLog "\|(\S*admin-hits-pipe[^"]*)"', config.read_text()
                     + (DEPLOY / "apache-site.conf").read_text())  # fmt: skip
    command = pipe.group(1).replace("${SAMPLE_VENV}", str(VENV))
    command = command.replace("${SAMPLE_SITE}", str(site.site))
    checked = site.run([*shlex.split(command), "--check"], cwd=Path("/"))
    assert f"into {site.memcached.url}" in checked and "with the settings sample_site." in checked

    site.start_gunicorn()
    site.apache("start")
    wait_until(lambda: site.get("/static/admin_hits/admin_hits.css") == 200, timeout=20)
    wait_until(lambda: site.get("/") == 200, timeout=20)  # gunicorn is up
    for _ in range(3):
        assert site.get(release) == 200
    assert site.get("/releases/no-such-release/") == 404

    # The live counts, from the store of local_settings.py, and who counted them.
    def live() -> dict:
        return json.loads(site.manage("hits_today", "--json"))

    wait_until(lambda: {p["path"]: p["views"] for p in live()["paths"]}.get(release) == 3, 15)
    counted = live()
    assert counted["store"] == site.memcached.url
    assert counted["health"]["pipes_running"] == 1

    # The cron line, as written, for today's file (it counts yesterday's at 00:30).
    site.stop()
    today = datetime.datetime.now(ZoneInfo(ZONE)).date()
    assert (site.logs / today.strftime("%Y/%m/%d") / "access.log").exists()
    parse_log, hits_prune = site.cron_commands()
    assert parse_log[-3:] == ["parse_log", "--verbosity", "0"]
    summary = json.loads(site.run([*parse_log[:-2], "--date", today.isoformat(), "--json"]))
    assert summary["days"][0]["views"] == counted["total"]  # the same lines, counted alike
    # The recipe's LogFormat logs the time taken and the bytes sent: the Speed tab's figures.
    assert summary["days"][0]["bytes"] > 0
    assert summary["days"][0]["response_ms"]["p50"] > 0
    site.run(hits_prune)
    views = f"from press.models import PressRelease as P; print(P.objects.get(slug={slug!r}).hits)"
    assert site.python(views.replace(".hits)", ".hits.get().views)")) == "3"
