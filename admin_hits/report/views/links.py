"""Links of the report pages that change the query string: periods, tabs, model filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise


@dataclass
class Link:
    label: Promise | str
    url: str
    selected: bool = False


def query_url(params: QueryDict | dict[str, Any], **changes: Any) -> str:
    """``?`` and the query string of ``params`` with ``changes``; None values are left out."""
    if isinstance(params, QueryDict):
        query = params.copy()
    else:
        query = QueryDict(mutable=True)
        given: dict[str, Any] = {k: v for k, v in params.items() if v is not None}
        query.update(given)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode()
