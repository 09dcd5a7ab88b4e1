"""Response times and bytes sent per finished month (``SiteDeliveryMonth``,
``PageDeliveryMonth``). The months stored so far have none: their ``MonthTotals`` stamps go,
so the next ``parse_log`` computes every month again, its totals and its delivery (until then
the report reads custom ranges from the days, as before month totals)."""

import django.db.models.deletion
from django.db import migrations, models


def forget_months(apps, schema_editor):
    apps.get_model("admin_hits", "MonthTotals").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0015_sites"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteDeliveryMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("requests", models.PositiveBigIntegerField(default=0, verbose_name="requests")),
                ("bytes", models.BigIntegerField(blank=True, null=True, verbose_name="bytes sent")),
                (
                    "sketch",
                    models.BinaryField(
                        blank=True, default=b"", verbose_name="response-time sketch"
                    ),
                ),
            ],
            options={
                "verbose_name": "site delivery month",
                "verbose_name_plural": "site delivery months",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month",), name="admin_hits_site_delivery_month"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PageDeliveryMonth",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("requests", models.PositiveBigIntegerField(default=0, verbose_name="requests")),
                ("bytes", models.BigIntegerField(blank=True, null=True, verbose_name="bytes sent")),
                (
                    "sketch",
                    models.BinaryField(
                        blank=True, default=b"", verbose_name="response-time sketch"
                    ),
                ),
                ("path_hash", models.CharField(max_length=32)),
                ("path", models.TextField(verbose_name="path")),
                (
                    "object_id",
                    models.CharField(
                        blank=True, default="", max_length=64, verbose_name="object id"
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
            ],
            options={
                "verbose_name": "page delivery month",
                "verbose_name_plural": "page delivery months",
                "indexes": [
                    models.Index(
                        fields=["month", "path_hash"], name="admin_hits_delivery_month_path"
                    )
                ],
            },
        ),
        migrations.RunPython(forget_months, migrations.RunPython.noop),
    ]
