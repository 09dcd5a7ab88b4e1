"""API tokens for scripts: ``Authorization: Bearer <token>`` on any report URL.

``ADMIN_HITS_API_TOKENS`` maps the SHA-256 of each token (never the token) to the username
whose permissions the token gets: ``{"9f86d0...": "reporting-bot"}``. ``manage.py
hits_api_token USERNAME`` makes one. A token is 32 random bytes, so a fast hash is as safe as
a password hasher here and costs nothing per request. Whatever is wrong (unknown token, user
gone, inactive or not staff) the answer is the same 401, and no token is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse

from admin_hits.conf import settings

PREFIX = "Bearer "


def new_token() -> tuple[str, str]:
    """A new token and the hash that goes into ``ADMIN_HITS_API_TOKENS``."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_user(token: str) -> Any:
    """The active staff user ``token`` stands for, or None."""
    digest = token_hash(token)
    username = None
    for known, name in settings.API_TOKENS.items():
        if hmac.compare_digest(known.lower(), digest):  # every entry compared alike
            username = name
    if username is None:
        return None
    user = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
    found = user.first()
    if found is None or not (found.is_active and found.is_staff):
        return None
    return found


def unauthorized() -> JsonResponse:
    response = JsonResponse({"error": "invalid token"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="admin_hits"'
    return response


def with_tokens(guarded: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``guarded`` (a view behind the admin's login), also for requests with a bearer token:
    their user is the token's, and pages answer JSON."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if not header.startswith(PREFIX):
            return guarded(request, *args, **kwargs)
        user = token_user(header[len(PREFIX) :].strip())
        if user is None:
            return unauthorized()
        request.user = user
        request.admin_hits_token = True  # type: ignore[attr-defined]  # pages answer JSON
        return guarded(request, *args, **kwargs)

    view.csrf_exempt = True  # type: ignore[attr-defined]  # read-only GETs, no session cookie
    return view
