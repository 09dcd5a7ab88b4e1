"""The URLconf of a third site whose ``/articles/<slug>/`` are articles found by a finder
(``ADMIN_HITS_URLS``), not shown by a DetailView: only calling it tells their model."""

from __future__ import annotations

from typing import Any

from django.urls import path

from tests.testapp import views
from tests.testapp.models import Article

urlpatterns = [
    path("articles/<slug:slug>/", views.page, name="found-article"),
]


def find_article(kwargs: dict[str, Any]) -> Article | None:
    return Article.objects.filter(slug=kwargs["slug"]).first()
