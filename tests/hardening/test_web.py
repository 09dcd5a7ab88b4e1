"""Hostile strings from the network stay inert everywhere the admin shows them.

Every table the app writes is filled with paths, referrers, keywords, campaigns and user
agents (bot names) made to break out of HTML, attributes, URLs, inline scripts and
spreadsheets; then every page, JSON response and CSV export of the app is fetched as a
superuser and its markup parsed. Then every one of those URLs is refused to users without the
permission, and the app offers no import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from admin_hits.models import (
    BotHits,
    CampaignHits,
    DayTotals,
    Hits,
    LiveHits,
    NotFoundHits,
    PathHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
    path_hash,
)
from admin_hits.models.periods import PRESETS
from admin_hits.report.csv_cells import FORMULA_PREFIXES
from admin_hits.report.sections import GROUPS, OBJECT_SECTIONS, REPORT_SECTIONS
from tests.admin.factories import days_ago, staff, superuser, today
from tests.admin.test_export import export as changelist_export
from tests.report.factories import LIVE, REPORT, export_permission, export_url, object_url
from tests.testapp.models import Article

# Each carries "alert(" so that an injection shows as a tag or attribute holding it.
MARKUP = [
    "<script>alert(1)</script>",
    '"><script>alert(2)</script>',
    "'><img src=x onerror=alert(3)>",
    '" onmouseover="alert(4)',
    "' onfocus='alert(5)' autofocus='",
    "</title></textarea></script><svg onload=alert(6)>",
    "<a href=javascript:alert(7)>x</a>",
    "{{ alert(8) }}{% csrf_token %}",
]
URLS = [
    "javascript:alert(9)",
    "JaVaScRiPt:alert(10)",
    " javascript:alert(11)",
    "java\tscript:alert(12)",
    "data:text/html,<script>alert(13)</script>",
    "vbscript:alert(14)",
    "//evil.example/alert(15)",
    'https://evil.example/"><script>alert(16)</script>',
    "https://evil.example/?q=<svg/onload=alert(17)>",
]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"alert(18)\")", "+alert(19)", "-alert(20)",
            "@SUM(alert(21))", "\talert(22)", "\ralert(23)"]  # fmt: skip
HOSTILE = MARKUP + URLS + FORMULAS
PATHS = ["/" + s for s in MARKUP] + URLS + FORMULAS
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
MARKER = re.compile(r"alert\(")


class Markup(HTMLParser):
    """The tags of a page, the attributes they carry, and the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def injections(html: str) -> list[str]:
    """What in ``html`` a hostile string could have made active."""
    page = Markup()
    page.feed(html)
    page.close()
    found = [f"inline script: {s[:80]!r}" for s in page.scripts if MARKER.search(s)]
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
            if name.startswith("on") and MARKER.search(value):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and squeezed.startswith(BAD_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and squeezed.startswith("//"):
                found.append(f"<{tag} {name}={value!r}>: a link to another site")
            if tag == "a" and name == "href" and urlsplit(squeezed).scheme in ("http", "https"):
                rel = attrs.get("rel", "").split()
                if not {"noopener", "noreferrer"} <= set(rel):
                    found.append(f"<a href={value!r} rel={rel}>: an outside link without rel")
        if tag == "base" or "srcdoc" in attrs:
            found.append(f"<{tag} {attrs}>")
    return found


def csv_cells(body: bytes) -> list[str]:
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def formula(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell`` (a negative number is only a number)."""
    try:
        float(cell)
    except ValueError:
        return cell.startswith(FORMULA_PREFIXES)
    return False


# A cell starting with a formula character, right after a delimiter or a line break (quoted or
# not): "-" is left out, as it starts the negative numbers of the "change" columns.
RAW_FORMULA = re.compile(rb'(?:^|,)"?[=+@\t\r]', re.MULTILINE)


class HostileStringsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title=MARKUP[1], slug="hostile")
        cls.plain = Article.objects.create(title="Plain", slug="plain")
        article_type = ContentType.objects.get_for_model(Article)
        export_permission()
        for n in (0, 1, 2, 40):
            day = days_ago(n)
            for obj in (cls.article, cls.plain):
                Hits.objects.create(content_type=article_type, object_id=str(obj.pk), date=day,
                                    views=10 + n, visitors=5, bot_views=1)  # fmt: skip
            DayTotals.objects.create(date=day, views=100, bot_views=10, visitors=50, not_found=9,
                                     lines=200)  # fmt: skip
            StatusHits.objects.create(date=day, status=404, views=9)
            for i, text in enumerate(HOSTILE):
                cls.rows(day, i, text, article_type)
            for i, path in enumerate(PATHS):
                PathHits.objects.create(date=day, path=path, views=3 + i)
                LiveHits.objects.create(date=day, path=path, path_hash=path_hash(path), views=i + 1)
        cls.boss = superuser()

    @classmethod
    def rows(cls, day, i: int, text: str, article_type: ContentType) -> None:
        obj = cls.article if i % 2 else cls.plain
        detail = {"date": day, "content_type": article_type, "object_id": str(obj.pk)}
        PathHits.objects.create(path=obj.get_absolute_url() + text, views=2, **detail)
        ReferrerHits.objects.create(path="/" + text, host=text[:250], url=text, views=4, **detail)
        ReferrerHits.objects.create(path=obj.get_absolute_url(), host=f"h{i}.example",
                                    url=f"https://h{i}.example/{text}", views=3,
                                    **detail)  # fmt: skip
        SearchHits.objects.create(path="/" + text, engine=text[:50], keyword=text, views=5,
                                  **detail)  # fmt: skip
        CampaignHits.objects.create(path="/" + text, source=text[:100], medium=text[:100],
                                    campaign=text[:100], views=6, **detail)  # fmt: skip
        NotFoundHits.objects.create(date=day, path="/" + text, referrer=text, hits=7)
        BotHits.objects.create(date=day, bot=text[:100], hits=8 + i)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    # -- the URLs of the app ---------------------------------------------------------------

    def periods(self) -> list[dict[str, str]]:
        custom = {"period": "custom", "start": days_ago(45).isoformat(), "end": today().isoformat()}
        return [{"period": p} for p in PRESETS if p != "custom"] + [custom]

    def pages(self) -> list[str]:
        """Every HTML page of the app, each tab in each period, with hostile parameters too."""
        objects = [object_url(self.article), object_url(self.plain)]
        urls = []
        for base, groups in ((REPORT, GROUPS), *((o, GROUPS) for o in objects)):
            for period in self.periods():
                for tab in groups:
                    urls.append(f"{base}?{urlencode({**period, 'tab': tab})}")
        reflected = {"period": MARKUP[1], "start": MARKUP[2], "end": URLS[0], "tab": MARKUP[3],
                     "objects-sort": MARKUP[1], "pages-page": MARKUP[0],
                     "q": MARKUP[2]}  # fmt: skip
        urls += [f"{REPORT}?{urlencode(reflected)}", f"{objects[0]}?{urlencode(reflected)}"]
        for model in ("hits", "pathhits"):
            changelist = reverse(f"admin:admin_hits_{model}_changelist")
            urls += [changelist, f"{changelist}?{urlencode({'q': MARKUP[1]})}"]
            urls += [f"{changelist}?{urlencode({'o': MARKUP[3], 'p': MARKUP[0]})}"]
        urls += [
            reverse("admin:admin_hits_hits_change", args=[h.pk]) for h in Hits.objects.all()[:4]
        ]
        urls += [reverse("admin:admin_hits_pathhits_change", args=[p.pk])
                 for p in PathHits.objects.filter(date=days_ago(1))]  # fmt: skip
        urls += [reverse("admin:index"), reverse("admin:app_list", args=["admin_hits"])]
        urls += [reverse("admin:testapp_article_changelist"),
                 reverse("admin:testapp_article_change", args=[self.article.pk])]  # fmt: skip
        return urls

    def json_urls(self) -> list[str]:
        return [LIVE, object_url(self.article, "admin_hits_object_live")]

    def csv_urls(self) -> list[str]:
        urls = []
        for period in self.periods():
            query = urlencode(period)
            urls += [f"{export_url(s.slug)}?{query}" for s in REPORT_SECTIONS]
            urls += [f"{object_url(obj, 'admin_hits_object_export', s.slug)}?{query}"
                     for obj in (self.article, self.plain) for s in OBJECT_SECTIONS]  # fmt: skip
        return urls

    # -- what the superuser sees ---------------------------------------------------------

    def test_every_page_keeps_hostile_strings_inert(self) -> None:
        pages = self.pages()
        assert len(pages) > 80
        seen = []
        for url in pages:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertEqual(injections(html), [])
                self.assertNotIn("<script>alert", html)
                seen.append(html)
        # Not vacuous: every hostile string was on some page, escaped.
        everything = "".join(seen)
        for text in MARKUP + URLS:
            self.assertIn(escape(text), everything)

    def test_json_endpoints(self) -> None:
        for url in self.json_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "application/json")
                data = json.loads(response.content)
                keys = {"date", "views", "text", "available", "health", "health_warning"}
                self.assertEqual(set(data), keys)
                self.assertNotIn(b"<", response.content)

    def test_every_csv_export_neutralises_formulas(self) -> None:
        cells, neutralised = 0, 0
        for url in self.csv_urls():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                body = b"".join(response.streaming_content)
                self.assertIsNone(RAW_FORMULA.search(body.replace(b"\r\n", b"\n")))
                for cell in csv_cells(body):
                    cells += 1
                    self.assertFalse(formula(cell), repr(cell))
                    neutralised += cell.startswith("'") and formula(cell[1:])
        assert cells > 1000 and neutralised > 100

    def test_changelist_exports_neutralise_formulas(self) -> None:
        for model in ("hits", "pathhits"):
            rows = changelist_export(self.client, reverse(f"admin:admin_hits_{model}_export"))
            cells = [value for row in rows for value in row.values()]
            self.assertEqual([c for c in cells if formula(c)], [])
        self.assertIn("'" + FORMULAS[0], cells)  # the paths' export

    def test_no_import(self) -> None:
        for model in ("hits", "pathhits"):
            with pytest.raises(NoReverseMatch):
                reverse(f"admin:admin_hits_{model}_import")
            changelist = self.client.get(reverse(f"admin:admin_hits_{model}_changelist"))
            self.assertNotContains(changelist, "/import/")
            self.assertNotContains(changelist, 'type="file"')
            guessed = self.client.get(reverse(f"admin:admin_hits_{model}_changelist") + "import/")
            self.assertNotEqual(guessed.status_code, 200)

    # -- who may see them ----------------------------------------------------------------

    def app_urls(self) -> list[str]:
        """Every URL of the app (not the admin's own index and the test app's pages)."""
        own = [
            u
            for u in self.pages()
            if "/admin_hits/" in u and u != reverse("admin:app_list", args=["admin_hits"])
        ]
        exports = [
            reverse("admin:admin_hits_hits_export"),
            reverse("admin:admin_hits_pathhits_export"),
        ]
        return own + self.json_urls() + self.csv_urls()[:: len(REPORT_SECTIONS)] + exports

    def test_every_view_refuses_users_without_the_permission(self) -> None:
        urls = self.app_urls()
        assert any("/report/" in u for u in urls) and any("/object/" in u for u in urls)
        member = User.objects.create_user("member", password="x")  # not staff
        member.user_permissions.add(export_permission())
        clerk = staff("clerk")
        exporter_only = staff("exporter", "admin_hits.export_hits")
        login = reverse("admin:login")
        for user, refused in ((None, 302), (member, 302), (clerk, 403), (exporter_only, 403)):
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
            for url in urls:
                with self.subTest(user=getattr(user, "username", "anonymous"), url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, refused)
                    if refused == 302:
                        self.assertTrue(response["Location"].startswith(login))
