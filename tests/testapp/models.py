from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse

from admin_hits.models import HitsMixin


class Article(HitsMixin, models.Model):
    """Integer primary key, reached by slug."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article", kwargs={"slug": self.slug})


class Release(HitsMixin, models.Model):
    """UUID primary key, reached by pk."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    title = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("release", kwargs={"pk": self.pk})


class Page(models.Model):
    """Reached through a registration (no DetailView): ``/pages/<code>/``."""

    code = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.code


class Document(models.Model):
    """Files under MEDIA_URL, matched to their object by the file fields (downloads)."""

    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="docs/")
    cover = models.FileField(upload_to="covers/", blank=True)

    def __str__(self) -> str:
        return self.title


class Story(HitsMixin, models.Model):
    """Published at a moment (``published``, found by its name), reached by slug."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    published = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class Bulletin(models.Model):
    """Two dates with publication names: neither is taken unless the setting names one."""

    title = models.CharField(max_length=200)
    pub_date = models.DateField()
    date_published = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title
