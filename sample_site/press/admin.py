"""Plain admins: ``ADMIN_HITS_MODELS`` in the settings adds the views to them."""

from __future__ import annotations

from django.contrib import admin

from press.models import Company, PressRelease


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "website")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(PressRelease)
class PressReleaseAdmin(admin.ModelAdmin):
    list_display = ("title", "company", "published")
    list_filter = ("company", "published")
    list_select_related = ("company",)
    search_fields = ("title", "company__name")
    date_hierarchy = "published"
    prepopulated_fields = {"slug": ("title",)}
