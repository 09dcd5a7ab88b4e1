"""Building access-log lines and files for the tests."""

from __future__ import annotations

import gzip
from pathlib import Path

# The most queries a tab of the traffic report may make, whatever its rows (see
# tests/report/test_report_page.py for what they are); the content and traffic tabs add the
# 404 suggestions' renames and the stored launches' progress in the admin's log.
REPORT_QUERIES = 21
CONTENT_TAB_QUERIES = REPORT_QUERIES + 2

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
SHARED_LOG = (
    Path(__file__).resolve().parents[1].parent / "shared/data/real/elastic_apache_combined.log"
)


def combined(
    path: str,
    when: str = "28/Nov/2026:12:00:00 +0100",
    *,
    status: int = 200,
    method: str = "GET",
    ip: str = "203.0.113.5",
    referrer: str = "-",
    user_agent: str = BROWSER,
    size: int = 5120,
) -> str:
    """One Apache ``combined`` line."""
    return (
        f'{ip} - - [{when}] "{method} {path} HTTP/1.1" {status} {size} '
        f'"{referrer}" "{user_agent}"\n'
    )


def write_log(path: Path, lines: list[str], *, compress: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(lines).encode()
    if compress:
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path
