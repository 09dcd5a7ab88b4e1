from __future__ import annotations

from django.contrib import admin
from django.urls import path

from tests.testapp import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("articles/<slug:slug>/", views.ArticleDetail.as_view(), name="article"),
    path("releases/<uuid:pk>/", views.ReleaseDetail.as_view(), name="release"),
    path("pages/<str:code>/", views.page, name="page"),
]
