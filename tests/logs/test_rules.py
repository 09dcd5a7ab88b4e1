from __future__ import annotations

import pytest

from admin_hits.logs import DEFAULT_ASSET_EXTENSIONS, ViewRules, split_request, split_target


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/a/b/", ("/a/b/", "")),
        ("/a?x=1&y=2", ("/a", "x=1&y=2")),
        ("/a?", ("/a", "")),
        ("/a?x=1#top", ("/a", "x=1")),
        ("/a#top?x=1", ("/a", "")),
        ("/", ("/", "")),
        ("//x", ("//x", "")),
        ("/caf%C3%A9/", ("/caf%C3%A9/", "")),
        ("http://example.com/a?b", ("/a", "b")),
        ("https://user:pw@example.com:8443/a/b?c=1#d", ("/a/b", "c=1")),
        ("http://example.com", ("/", "")),
        ("http://example.com?q=1", ("/", "q=1")),
        ("HTTP://EXAMPLE.COM/A", ("/A", "")),
        ("*", ("", "")),
        ("example.com:443", ("", "")),
        ("-", ("", "")),
        ("", ("", "")),
        ("?x=1", ("", "")),
        ("index.html", ("", "")),
        ("://nohost/a", ("", "")),
        ("1http://x/a", ("", "")),
    ],
)
def test_split_target(target: str, expected: tuple[str, str]) -> None:
    assert split_target(target) == expected


@pytest.mark.parametrize(
    ("request_line", "expected"),
    [
        ("GET /a?b HTTP/1.1", ("GET", "/a?b")),
        ("GET /a HTTP/2.0", ("GET", "/a")),
        ("GET /x", ("GET", "/x")),  # HTTP/0.9
        ("GET /a b HTTP/1.1", ("GET", "/a b")),
        ("GET /a b", ("GET", "/a b")),
        ("OPTIONS * HTTP/1.1", ("OPTIONS", "*")),
        ("CONNECT example.com:443 HTTP/1.1", ("CONNECT", "example.com:443")),
        ("-", ("", "")),
        ("", ("", "")),
        ("GET", ("GET", "")),
        ("\\x16\\x03\\x01\\x02\\x00\\x01", ("\\x16\\x03\\x01\\x02\\x00\\x01", "")),
        ("GET  HTTP/1.1", ("GET", "")),
    ],
)
def test_split_request(request_line: str, expected: tuple[str, str]) -> None:
    assert split_request(request_line) == expected


RULES = ViewRules(excluded_prefixes=("/static/", "/admin/"))


@pytest.mark.parametrize(
    ("method", "path", "status", "reason"),
    [
        ("GET", "/articles/x/", 200, ""),
        ("GET", "/articles/x/", 299, ""),
        ("GET", "/articles/x/", 304, ""),
        ("GET", "/articles/x/", 302, "status"),
        ("GET", "/articles/x/", 199, "status"),
        ("GET", "/articles/x/", 0, "status"),
        ("POST", "/articles/x/", 200, "method"),
        ("get", "/articles/x/", 200, "method"),
        ("POST", "/static/a.css", 404, "method"),  # the first reason wins
        ("GET", "", 200, "target"),
        ("GET", "/static/x", 200, "excluded"),
        ("GET", "/admin/", 200, "excluded"),
        ("GET", "/administration/", 200, ""),
        ("GET", "/img/logo.PNG", 200, "asset"),
        ("GET", "/a.js", 200, "asset"),
        ("GET", "/feed.rss", 200, "asset"),
        ("GET", "/a.js/", 200, ""),  # the extension of the last segment only
        ("GET", "/v1.2/page", 200, ""),
        ("GET", "/report.html", 200, ""),
        ("GET", "/.well-known/x", 200, ""),
    ],
)
def test_view_rules(method: str, path: str, status: int, reason: str) -> None:
    assert RULES.reason(method, path, status) == reason
    assert RULES.is_view(method, path, status) is (reason == "")


PATTERNS = ViewRules(excluded_patterns=("/api/*", "*/feed/", "/print/*.html", r"^/v\d+/"))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/api/x", "excluded"),
        ("/api/", "excluded"),
        ("/docs/api/intro/", ""),  # a glob is matched against the whole path, not searched
        ("/blog/feed/", "excluded"),
        ("/feed/", "excluded"),  # as fnmatch("/feed/", "*/feed/")
        ("/feed/x/", ""),
        ("/print/a.html", "excluded"),
        ("/news/print/a.html", ""),
        ("/v2/items/", "excluded"),
        ("/docs/v2/items/", ""),  # a regex is anchored at the path's start
    ],
)
def test_globs_and_regexes_match_from_the_paths_start(path: str, reason: str) -> None:
    assert PATTERNS.reason("GET", path, 200) == reason


def test_the_settings_entries_are_read_as_written(settings) -> None:
    from admin_hits.conf import view_rules

    settings.ADMIN_HITS_EXCLUDE_PATHS = ["admin/", "*/feed/", "/api/*", r"^/v\d+/"]
    rules = view_rules()
    # No "/" before a glob that starts with a wildcard: "/*/feed/" would miss "/feed/".
    assert rules.excluded_patterns == ("*/feed/", "/api/*", r"^/v\d+/")
    assert rules.excluded_prefixes == ("/static/", "/media/", "/admin/")
    assert rules.reason("GET", "/feed/", 200) == "excluded"
    assert rules.reason("GET", "/docs/api/intro/", 200) == ""


def test_extensions_are_normalised() -> None:
    rules = ViewRules(asset_extensions=("PDF", ".Doc", "", "."), download_extensions=())
    assert rules.reason("GET", "/a.pdf", 200) == "asset"
    assert rules.reason("GET", "/a.DOC", 200) == "asset"
    assert rules.reason("GET", "/a.css", 200) == ""
    assert rules.reason("GET", "/a", 200) == ""


def test_defaults() -> None:
    rules = ViewRules()
    assert rules.methods == frozenset({"GET"})
    assert rules.asset_extensions == DEFAULT_ASSET_EXTENSIONS
    assert rules.reason("HEAD", "/", 200) == "method"


def test_settings_default_is_the_log_core_tuple() -> None:
    from admin_hits import conf

    assert conf.DEFAULT_ASSET_EXTENSIONS is DEFAULT_ASSET_EXTENSIONS


def test_log_core_imports_no_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys, admin_hits.logs; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
        "sys.exit(', '.join(bad) or None)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_extensions_end_a_path_as_endswith_says() -> None:
    import random

    from admin_hits.logs.rules import Suffixes

    extensions = (".pdf", ".gz", ".tar.gz", ".a.b", ".x", ".css")
    suffixes = Suffixes(extensions)
    rnd = random.Random(7)
    paths = ["".join(rnd.choice("ab./gzxpdfcs.tr") for _ in range(rnd.randrange(12)))
             for _ in range(20_000)]  # fmt: skip
    paths += ["/report.PDF".lower(), "/a.tar.gz", "/x.b", "/.x", "/x..", "", "."]
    assert [suffixes.ends(p) for p in paths] == [p.endswith(extensions) for p in paths]
    assert not Suffixes(()).ends("/a.pdf")
