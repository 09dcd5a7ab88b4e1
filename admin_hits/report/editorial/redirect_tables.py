"""The 404 table with its fixes: a suggested target per missing path and, with
``django.contrib.redirects``, a "Create redirect" button (``report.views.redirects``). Of one
site of several (``site``): that site's suggestions, and its redirects when it is a
``django.contrib.sites`` site (``redirect_site``)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from itertools import islice
from typing import Any

import django_tables2 as tables
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tables2.rows import BoundRow

from admin_hits.models.sites import site_names
from admin_hits.report.editorial.redirects import Suggester, Suggestion, redirects_installed
from admin_hits.report.tables import EXPORT_CHUNK
from admin_hits.report.traffic.tables import NotFoundTable

REDIRECT_PERMISSION = "redirects.add_redirect"


def redirect_site(request: HttpRequest, site: int | None) -> int:
    """The ``django.contrib.sites`` id whose redirects fix the 404s of ``site`` (one of
    ``ADMIN_HITS_SITES``; None: the request's current site): that id when the sites framework
    has such a site, else the current site."""
    from django.contrib.sites.models import Site  # redirects need the sites framework

    if site is not None and site in site_names() and Site.objects.filter(pk=site).exists():
        return site
    return Site.objects.get_current(request).pk


class NotFoundFixTable(NotFoundTable):
    suggestion = tables.Column(verbose_name=_("suggested target"), empty_values=(),
                               orderable=False)  # fmt: skip
    fix = tables.Column(verbose_name=_("fix"), empty_values=(), orderable=False,
                        exclude_from_export=True)  # fmt: skip

    def __init__(self, *args: Any, site: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site
        self.suggester = Suggester(site=site)
        if not redirects_installed():
            self.columns.hide("fix")

    def _suggestion(self, record: dict[str, Any]) -> Suggestion | None:
        if "page" not in record:
            return None
        if record["page"] not in self.suggester.found:
            # The first cell of a page asks for the whole page at once.
            pages = [r["page"] for r in self.page_records() if "page" in r]
            self.suggester.suggest_many([*pages, record["page"]])
        return self.suggester.found.get(record["page"])

    def render_suggestion(self, record: dict[str, Any]) -> SafeString | str:
        found = self._suggestion(record)
        if found is None:
            return "—"
        why = {
            "moved": gettext("the object that was here"),
            "renamed": gettext("an object whose slug was changed in the admin before these 404s"),
        }.get(found.reason) or gettext("the closest address of the same kind")
        return format_html('<code class="admin-hits-path" title="{}">{}</code>', why, found.path)

    def value_suggestion(self, record: dict[str, Any]) -> str:
        found = self._suggestion(record)
        return found.path if found is not None else ""

    @cached_property
    def redirected(self) -> dict[str, str]:
        """``{old path: new path}`` of the redirects of the page's paths on the current site."""
        from django.contrib.redirects.models import Redirect

        request = getattr(self, "request", None)
        paths = [r["page"] for r in self.page_records() if "page" in r]
        if request is None or not paths:
            return {}
        rows = Redirect.objects.filter(site_id=redirect_site(request, self.site),
                                       old_path__in=paths)  # fmt: skip
        return dict(rows.values_list("old_path", "new_path"))

    def render_fix(self, record: dict[str, Any]) -> SafeString | str:
        if record["page"] in self.redirected:
            return format_html('<span class="admin-hits-redirected" title="{}">{}</span>',
                               self.redirected[record["page"]], gettext("redirected"))  # fmt: skip
        request = getattr(self, "request", None)
        found = self._suggestion(record)
        if found is None or request is None or not request.user.has_perm(REDIRECT_PERMISSION):
            return ""
        try:
            url = reverse(f"{self.site_name}:admin_hits_redirect")
        except NoReverseMatch:
            return ""
        return format_html(
            '<form method="post" action="{}" class="admin-hits-redirect">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="old_path" value="{}">'
            '<input type="hidden" name="new_path" value="{}">'
            '<input type="hidden" name="next" value="{}">{}'
            '<button type="submit" class="button">{}</button></form>',
            url, get_token(request), record["page"], found.path, request.get_full_path(),
            "" if self.site is None else format_html(
                '<input type="hidden" name="site" value="{}">', self.site),
            gettext("Create redirect"),
        )  # fmt: skip

    def value_fix(self, record: dict[str, Any]) -> str:
        """Not exported (a button); said plainly for the JSON of the page."""
        return "redirected" if record.get("page") in self.redirected else ""

    def export_rows(self) -> Iterator[list[Any]]:
        """As every table's, with the suggestions looked up a chunk of rows at a time."""
        columns = [c for c in self.columns if not c.column.exclude_from_export]
        yield [str(getattr(c.column, "export_header", None) or c.header) for c in columns]
        records = iter(self.data)
        while chunk := list(islice(records, EXPORT_CHUNK)):
            self.suggester.suggest_many(r["page"] for r in chunk if "page" in r)
            for record in chunk:
                row = BoundRow(record, table=self)
                yield [row.get_cell_value(c.name) for c in columns]
