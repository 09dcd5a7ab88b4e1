from __future__ import annotations

from django.contrib import admin

from tests.testapp.models import Article, Page, Release, Story

admin.site.register(Article)
admin.site.register(Release)
admin.site.register(Page)
admin.site.register(Story)  # launches: named to those who may view stories
