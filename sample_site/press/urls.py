from __future__ import annotations

from django.urls import path

from press import views

app_name = "press"
urlpatterns = [
    path("", views.ReleaseList.as_view(), name="releases"),
    path("search/", views.ReleaseSearch.as_view(), name="search"),
    path("releases/<slug:slug>/", views.ReleaseDetail.as_view(), name="release"),
    path("companies/", views.CompanyList.as_view(), name="companies"),
    path("companies/<slug:slug>/", views.CompanyDetail.as_view(), name="company"),
]
