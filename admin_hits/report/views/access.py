"""Who may see the report and who may export it.

Mounted through the admin site, every view is behind ``AdminSite.admin_view``: anonymous users
and non-staff are sent to the admin's login page. On top of that the report needs the
permission to view ``Hits`` rows, and CSV exports the export permission
(``ADMIN_HITS_EXPORT_PERMISSION``), the same that the ``Hits`` changelist's export button needs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from admin_hits.conf import settings

VIEW_PERMISSION = "admin_hits.view_hits"


def can_view(user: Any) -> bool:
    """Staff allowed to view hits (superusers always are)."""
    return bool(user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION))


def can_export(user: Any) -> bool:
    """Staff allowed to view hits and to export them."""
    return can_view(user) and user.has_perm(settings.EXPORT_PERMISSION)


View = Callable[..., HttpResponse]


def _requiring(check: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return checked

    return decorator


view_required = _requiring(can_view)
export_required = _requiring(can_export)
