from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.views.generic import DetailView, ListView

from press.models import Company, PressRelease


class ReleaseList(ListView):
    queryset = PressRelease.objects.select_related("company")
    paginate_by = 10


class ReleaseSearch(ReleaseList):
    """The releases whose title or text hold every word searched for: a scan of every
    release, the demo's slow page."""

    def get_queryset(self) -> QuerySet[PressRelease]:
        releases = super().get_queryset()
        for word in self.request.GET.get("q", "").split():
            releases = releases.filter(Q(title__icontains=word) | Q(body__icontains=word))
        return releases

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "query": self.request.GET.get("q", "")}


class ReleaseDetail(DetailView):
    queryset = PressRelease.objects.select_related("company")


class CompanyList(ListView):
    model = Company


class CompanyDetail(DetailView):
    model = Company
