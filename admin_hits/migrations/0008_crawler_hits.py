import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0007_visits_and_downloads"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="CrawlerHits",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                ("bot", models.CharField(max_length=100, verbose_name="AI crawler")),
                ("views", models.PositiveIntegerField(default=0, verbose_name="views")),
                (
                    "content_type",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
            ],
            options={
                "verbose_name": "AI crawler hits",
                "verbose_name_plural": "AI crawler hits",
                "ordering": ["-date", "-views"],
                "indexes": [
                    models.Index(
                        fields=["content_type", "object_id", "date"],
                        name="admin_hits_crawlers_of_object",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("date", "content_type", "object_id", "bot"),
                        name="admin_hits_crawler_per_day",
                    )
                ],
            },
        ),
    ]
