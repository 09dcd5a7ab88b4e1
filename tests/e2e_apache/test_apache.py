"""End to end with Debian's Apache httpd: a piped CustomLog into the pipe, counts in memcached.

Apache runs on a free loopback port from a minimal configuration written for the test; the
pipe is started by Apache itself, exactly as in production (``CustomLog "|python -m ..."``).
"""

from __future__ import annotations

import contextlib
import datetime
import grp
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from admin_hits.live.hours import without_hours
from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer, free_port
from tests.helpers import BROWSER
from tests.live.pipe.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow]

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
CONFIG = """\
ServerRoot {root}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {root}/httpd.pid
DefaultRuntimeDir {root}
ErrorLog {root}/error.log
LogLevel notice
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule dir_module {modules}/mod_dir.so
LoadModule mime_module {modules}/mod_mime.so
{user}
TypesConfig /etc/mime.types
DocumentRoot {root}/htdocs
DirectoryIndex index.html
<Directory {root}/htdocs>
    Require all granted
</Directory>
LogFormat "%h %l %u %t \\"%r\\" %>s %O \\"%{{Referer}}i\\" \\"%{{User-Agent}}i\\"" combined
CustomLog "|{python} -m admin_hits.pipe --store {store} --time-zone UTC --flush-interval 0.2" \\
    combined
"""


class Apache:
    def __init__(self, root: Path, memcached: MemcachedServer) -> None:
        self.root = root
        self.port = free_port()
        self.memcached = memcached
        self.config = root / "httpd.conf"
        user = ""
        if os.geteuid() == 0:  # Apache refuses to serve as root; the piped logger stays root
            group = "nogroup" if _group_exists("nogroup") else "nobody"
            user = f"User nobody\nGroup {group}"
        self.config.write_text(CONFIG.format(
            root=root, port=self.port, modules=MODULES, user=user, python=sys.executable,
            store=memcached.url,
        ))  # fmt: skip

    def ctl(self, action: str) -> None:
        # The pipe inherits Apache's environment: not the test run's Django settings.
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        run = subprocess.run([APACHE, "-f", str(self.config), "-k", action],
                             capture_output=True, timeout=30, env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr.decode(errors="replace") + self.error_log

    @property
    def error_log(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def pid(self) -> int | None:
        try:
            return int((self.root / "httpd.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def get(self, path: str) -> int:
        # A browser's user agent: urllib's own is a bot's, and the live store counts people.
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"User-Agent": BROWSER}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def pipes(self) -> dict[int, str]:
        """Every running pipe process of this test (supervisors and workers): pid -> cmdline."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = (entry / "stat").read_text().split(") ")[1][0]
            except OSError:
                continue
            if "admin_hits.pipe" in command and self.memcached.url in command and state != "Z":
                found[int(entry.name)] = command
        return found

    def supervisor(self) -> int | None:
        return self._one(worker=False)

    def worker(self) -> int | None:
        return self._one(worker=True)

    def _one(self, *, worker: bool) -> int | None:
        pids = [pid for pid, command in self.pipes().items() if ("--worker" in command) == worker]
        assert len(pids) <= 1, self.pipes()
        return pids[0] if pids else None

    def views(self) -> dict[str, int]:
        store = MemcachedStore([self.memcached.address])
        today = datetime.datetime.now(datetime.UTC).date()
        counts: dict[str, int] = {}
        for day in (today - datetime.timedelta(days=1), today):  # a run across midnight
            for path, n in without_hours(store.day(day)).items():
                counts[path] = counts.get(path, 0) + n
        store.close()
        return counts

    def kill(self) -> None:
        for pid in [*self.pipes(), *([self.pid] if self.pid else [])]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


@pytest.fixture
def apache(memcached: MemcachedServer) -> Iterator[Apache]:
    if not os.path.exists(APACHE) or not MODULES.is_dir():
        pytest.fail(f"Apache httpd is not installed ({APACHE}): apt-get install apache2",
                    pytrace=False)  # fmt: skip
    # World-readable, unlike pytest's tmp_path: Apache's children serve it as "nobody".
    root = Path(tempfile.mkdtemp(prefix="admin-hits-apache-"))
    root.chmod(0o755)
    for name, body in {"articles/a/index.html": "a", "page.html": "p", "style.css": "*{}"}.items():
        path = root / "htdocs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    for folder in (root / "htdocs", root / "htdocs/articles", root / "htdocs/articles/a"):
        folder.chmod(0o755)
    server = Apache(root, memcached)
    try:
        server.ctl("start")
        wait_until(lambda: server.get("/style.css") == 200, timeout=10)  # an asset: not a view
        yield server
    finally:
        if server.pid:
            server.ctl("stop")
            wait_until(lambda: server.pid is None, timeout=10)
        server.kill()
        shutil.rmtree(root, ignore_errors=True)


def test_apache_pipes_its_log_into_the_live_store(apache: Apache) -> None:
    paths = ["/articles/a/", "/articles/a/?x=1", "/page.html", "/style.css", "/missing"]
    assert [apache.get(p) for p in paths] == [200, 200, 200, 200, 404]
    wait_until(lambda: apache.views() == {"/articles/a/": 2, "/page.html": 1}, timeout=10)

    # A killed worker is replaced by the supervisor; the lines after it still count.
    supervisor, worker = apache.supervisor(), apache.worker()
    os.kill(worker, signal.SIGKILL)
    wait_until(lambda: apache.worker() not in (None, worker), timeout=10)
    assert apache.supervisor() == supervisor
    apache.get("/articles/a/")
    wait_until(lambda: apache.views().get("/articles/a/") == 3, timeout=10)
    assert "worker killed by SIGKILL; restarting" in apache.error_log

    # A graceful restart replaces the pipe; the old one flushes and leaves.
    apache.ctl("graceful")
    wait_until(lambda: supervisor not in apache.pipes() and worker not in apache.pipes(), 15)
    wait_until(lambda: len(apache.pipes()) == 2, timeout=15)
    apache.get("/page.html")
    wait_until(lambda: apache.views().get("/page.html") == 2, timeout=10)

    apache.ctl("stop")
    wait_until(lambda: apache.pid is None, timeout=15)
    wait_until(lambda: not apache.pipes(), timeout=15)  # no orphan left behind
    assert "admin-hits-pipe: exit lines=" in apache.error_log
    time.sleep(0.2)
    assert apache.views() == {"/articles/a/": 3, "/page.html": 2}
