from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.generic import DetailView

from tests.testapp.models import Article, Release


class ArticleDetail(DetailView):
    model = Article


class ReleaseDetail(DetailView):
    queryset = Release.objects.all()


def page(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse(code)
