""" "Create redirect" on the 404 table: a POST, with the CSRF token, by a user who may add
redirects (``redirects.add_redirect``), never by itself. Creating it twice creates one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from admin_hits.report.editorial.redirect_tables import REDIRECT_PERMISSION, redirect_site
from admin_hits.report.editorial.redirects import redirects_installed

MAX_PATH = 200  # Redirect.old_path's and new_path's max_length


def _valid(old_path: str, new_path: str) -> bool:
    return (
        old_path.startswith("/")
        and 0 < len(old_path) <= MAX_PATH
        and 0 < len(new_path) <= MAX_PATH
        and new_path.startswith(("/", "https://", "http://"))
        and old_path != new_path
    )


def _site(value: str) -> int | None:
    """The report's site of the form (``?site=``), None for every site."""
    return int(value) if value.isdigit() else None


@require_POST
def create_redirect(request: HttpRequest, site: object) -> HttpResponse:
    if not redirects_installed():
        raise Http404
    if not request.user.has_perm(REDIRECT_PERMISSION):
        raise PermissionDenied
    from django.contrib.redirects.models import Redirect

    old_path = request.POST.get("old_path", "")
    new_path = request.POST.get("new_path", "")
    if not _valid(old_path, new_path):
        return HttpResponse(gettext("Not a path to redirect."), status=400)
    redirect, created = Redirect.objects.get_or_create(
        site_id=redirect_site(request, _site(request.POST.get("site", ""))), old_path=old_path,
        defaults={"new_path": new_path},
    )  # fmt: skip
    text = gettext("Redirected %(old)s to %(new)s.") if created else gettext(
        "%(old)s already redirects to %(new)s.")  # fmt: skip
    messages.success(request, text % {"old": old_path, "new": redirect.new_path})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        name = getattr(site, "name", "admin")  # the admin site the report is mounted on
        target = reverse(f"{name}:admin_hits_report") + "?tab=technical"
    return HttpResponseRedirect(target)
