from __future__ import annotations

from django.db import migrations, models

import admin_hits.models


class Migration(migrations.Migration):
    dependencies = [("testapp", "0002_document")]

    operations = [
        migrations.CreateModel(
            name="Story",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("slug", models.SlugField(unique=True)),
                ("published", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name_plural": "stories"},
            bases=(admin_hits.models.HitsMixin, models.Model),
        ),
        migrations.CreateModel(
            name="Bulletin",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                ("pub_date", models.DateField()),
                ("date_published", models.DateField(blank=True, null=True)),
            ],
        ),
    ]
