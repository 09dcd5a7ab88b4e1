"""A URLconf with ``i18n_patterns``: a translated route, a namespaced include, a DetailView by
UUID, and a page outside the language prefix."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _

from tests.testapp import views

shop = ([path("<int:pk>/", views.page, {"section": "shop"}, name="item")], "shop")


def site(*, prefix_default_language: bool = True) -> list[URLPattern | URLResolver]:
    return [
        path("admin/", admin.site.urls),
        path("pages/<str:code>/", views.page, name="page"),
        *i18n_patterns(
            path(_("articles/<slug:slug>/"), views.ArticleDetail.as_view(), name="article"),
            path("releases/<uuid:pk>/", views.ReleaseDetail.as_view(), name="release"),
            path("shop/", include(shop, namespace="store")),
            prefix_default_language=prefix_default_language,
        ),
    ]


urlpatterns = site()
