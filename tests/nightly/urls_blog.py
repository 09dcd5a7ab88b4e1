"""The URLconf of a second site, whose ``/articles/<slug>/`` are stories, not articles."""

from __future__ import annotations

from django.urls import path
from django.views.generic import DetailView

from tests.testapp.models import Story

urlpatterns = [
    path("articles/<slug:slug>/", DetailView.as_view(model=Story), name="story"),
]
