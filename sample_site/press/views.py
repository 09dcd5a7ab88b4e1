from __future__ import annotations

from django.views.generic import DetailView, ListView

from press.models import Company, PressRelease


class ReleaseList(ListView):
    queryset = PressRelease.objects.select_related("company")
    paginate_by = 10


class ReleaseDetail(DetailView):
    queryset = PressRelease.objects.select_related("company")


class CompanyList(ListView):
    model = Company


class CompanyDetail(DetailView):
    model = Company
