"""A URLconf with what the resolver walk must handle like Django: includes with namespaces,
default kwargs at both levels, converters, regex patterns, unnamed views, a catch-all."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from tests.testapp import views

shop = (
    [
        path("<int:pk>/", views.page, {"section": "shop"}, name="item"),
        re_path(r"^legacy/(?P<code>[a-z]+)/$", views.page, name="legacy"),
        path("plain/", views.page),
    ],
    "shop",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("shop/", include(shop, namespace="store"), {"site": "main"}),
    path("nested/", include([path("deeper/", include(shop))])),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article"),
    path("releases/<uuid:pk>/", views.ReleaseDetail.as_view(), name="release"),
    re_path(r"^(?P<code>[^/]+)/$", views.page, name="catch-all"),
]
