"""A per-owner scope for the tests: a user owns the objects whose title starts with their
username and a colon ("acme: launch")."""

from __future__ import annotations


def by_title(user, model, queryset):
    if not any(f.name == "title" for f in model._meta.get_fields()):
        return queryset.none()
    return queryset.filter(title__startswith=f"{user.username}:")
