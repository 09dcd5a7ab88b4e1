"""Companies and their press releases: one model with an integer key, one with a UUID key."""

from __future__ import annotations

import uuid

from django.db import models
from django.urls import reverse

from admin_hits.models import HitsMixin


class Company(HitsMixin, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("press:company", kwargs={"slug": self.slug})


class PressRelease(HitsMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="releases")
    published = models.DateField()
    body = models.TextField()
    # Its downloads are counted per release: admin_hits matches the file to this field.
    press_kit = models.FileField(upload_to="press-kits/", blank=True)

    class Meta:
        ordering = ["-published", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("press:release", kwargs={"slug": self.slug})
