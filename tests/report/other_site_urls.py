"""The test URLs with a second admin site, ``other``, that has hits too."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from admin_hits.admin import HitsAdmin
from admin_hits.admin.mixins import HitsAdminMixin
from admin_hits.models import Hits
from tests.testapp.models import Article
from tests.urls import urlpatterns as test_urls


class ArticleAdmin(HitsAdminMixin, admin.ModelAdmin):
    pass


other = admin.AdminSite(name="other")
other.register(Hits, HitsAdmin)
other.register(Article, ArticleAdmin)

urlpatterns = [path("other-admin/", other.urls), *test_urls]
