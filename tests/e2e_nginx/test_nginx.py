"""End to end with Debian's nginx: its access log sent as syslog datagrams to ``--listen``.

nginx has no piped logs. It runs in the foreground on a free loopback port from a minimal
configuration written for the test, with ``access_log syslog:server=...``; the pipe listens on a
UDP port or a Unix socket and counts into a real memcached.
"""

from __future__ import annotations

import contextlib
import datetime
import grp
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from admin_hits.live.stores.memcached import MemcachedStore
from tests.fixtures.memcached import MemcachedServer, free_port
from tests.helpers import BROWSER
from tests.live.pipe.conftest import wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONFIG = """\
daemon off;
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log notice;
events {{}}
http {{
    client_body_temp_path {root}/body_temp;
    proxy_temp_path {root}/proxy_temp;
    fastcgi_temp_path {root}/fastcgi_temp;
    uwsgi_temp_path {root}/uwsgi_temp;
    scgi_temp_path {root}/scgi_temp;
    access_log syslog:server={syslog},tag=nginx,nohostname combined;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
    }}
}}
"""
PAGES = {"articles/a/index.html": "a", "page.html": "p", "style.css": "*{}"}


class Nginx:
    def __init__(self, root: Path, syslog: str) -> None:
        self.root = root
        self.port = free_port()
        user = ""
        if os.geteuid() == 0:  # unprivileged workers, as in production (Debian: www-data)
            user = f"user nobody {'nogroup' if _group_exists('nogroup') else 'nobody'};"
        config = root / "nginx.conf"
        config.write_text(CONFIG.format(root=root, port=self.port, syslog=syslog, user=user))
        self._stderr = (root / "stderr.log").open("wb")
        self.process = subprocess.Popen([NGINX, "-p", str(root), "-c", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=self._stderr)  # fmt: skip

    @property
    def errors(self) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in (self.root / "stderr.log", self.root / "error.log")
            if path.exists()
        )

    def get(self, path: str) -> int | None:
        """The response's status; None while nginx does not answer."""
        # A browser's user agent: urllib's own is a bot's, and the live store counts people.
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"User-Agent": BROWSER}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def answers(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"nginx exited at start: {self.errors}", pytrace=False)
        return self.get("/style.css") == 200  # an asset: a line, not a view

    def workers(self) -> list[int]:
        tasks = Path(f"/proc/{self.process.pid}/task")
        return [
            int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()
        ]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._stderr.close()


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def site() -> Iterator[Path]:
    if not os.path.exists(NGINX):
        pytest.fail(f"nginx is not installed ({NGINX} missing): apt-get install nginx",
                    pytrace=False)  # fmt: skip
    # World-readable, unlike pytest's tmp_path: nginx's workers serve it as "nobody".
    root = Path(tempfile.mkdtemp(prefix="admin-hits-nginx-"))
    root.chmod(0o755)
    for name, body in PAGES.items():
        path = root / "www" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    for folder in (root / "www", root / "www/articles", root / "www/articles/a"):
        folder.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def running_nginx(root: Path, syslog: str) -> Iterator[Nginx]:
    nginx = Nginx(root, syslog)
    try:
        wait_until(nginx.answers, timeout=5)
        yield nginx
    finally:
        workers = nginx.workers() if nginx.process.poll() is None else []
        nginx.stop()
        wait_until(lambda: not any(_alive(pid) for pid in workers), timeout=5)


def views(memcached: MemcachedServer) -> dict[str, int]:
    store = MemcachedStore([memcached.address])
    today = datetime.datetime.now(datetime.UTC).date()
    counts: dict[str, int] = {}
    for day in (today - datetime.timedelta(days=1), today):  # a run across midnight
        for path, n in store.get_many(day, ["/articles/a/", "/page.html"]).items():
            counts[path] = counts.get(path, 0) + n
    store.close()
    return counts


@pytest.mark.parametrize("kind", ["udp", "unix"])
def test_nginx_sends_its_log_to_the_pipe(
    memcached: MemcachedServer, start_pipe, site: Path, kind: str
) -> None:
    if kind == "udp":
        port = free_port(socket.SOCK_DGRAM)
        listen, syslog = f"udp://127.0.0.1:{port}", f"127.0.0.1:{port}"
    else:
        listen = syslog = f"unix:{site / 'hits.sock'}"
    pipe = start_pipe("--listen", listen, "--store", memcached.url, "--time-zone", "UTC",
                      "--no-supervisor", "--flush-interval", "0.2",
                      "--status-interval", "0.2")  # fmt: skip
    wait_until(lambda: "lines=0 " in pipe.stderr, timeout=8)  # listening
    if kind == "unix":
        (site / "hits.sock").chmod(0o666)  # nginx's workers (nobody) write to it

    with running_nginx(site, syslog) as nginx:
        paths = ["/articles/a/", "/articles/a/?x=1", "/page.html", "/style.css", "/missing"]
        assert [nginx.get(path) for path in paths] == [200, 200, 200, 200, 404]
        wait_until(lambda: views(memcached) == {"/articles/a/": 2, "/page.html": 1}, timeout=5)
        assert "syslog" not in nginx.errors  # no send or connect errors

    assert pipe.signal(signal.SIGTERM) == 0
    assert "lines=6 views=3" in pipe.stderr  # the start-up probe of style.css is a line too
    if kind == "unix":  # kept, with the mode nginx's workers need, for the next worker
        assert stat.S_IMODE((site / "hits.sock").stat().st_mode) == 0o666
