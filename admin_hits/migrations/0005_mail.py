# Traffic e-mails: who wants digests and spike alerts, and what was sent (sent once).


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0004_drop_covered_content_type_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient", models.CharField(max_length=254, verbose_name="recipient")),
                ("period", models.CharField(max_length=5, verbose_name="period")),
                ("start", models.DateField(verbose_name="first day")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="sent at")),
            ],
            options={
                "verbose_name": "digest sent",
                "verbose_name_plural": "digests sent",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recipient", "period", "start"), name="admin_hits_digest_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MailPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "digest",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "none"),
                            ("day", "daily"),
                            ("week", "weekly"),
                            ("month", "monthly"),
                        ],
                        default="",
                        help_text="The traffic summary by e-mail after each day, week or month.",
                        max_length=5,
                        verbose_name="traffic digest",
                    ),
                ),
                (
                    "spike_alerts",
                    models.BooleanField(
                        default=False,
                        help_text="An e-mail when an object gets far more views today than usual.",
                        verbose_name="spike alerts",
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="admin_hits_mail",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "traffic e-mail",
                "verbose_name_plural": "traffic e-mails",
            },
        ),
        migrations.CreateModel(
            name="AlertDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipient", models.CharField(max_length=254, verbose_name="recipient")),
                ("object_id", models.CharField(max_length=64)),
                ("date", models.DateField(verbose_name="date")),
                ("views", models.PositiveIntegerField(default=0, verbose_name="views")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="sent at")),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="contenttypes.contenttype"
                    ),
                ),
            ],
            options={
                "verbose_name": "spike alert sent",
                "verbose_name_plural": "spike alerts sent",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("recipient", "content_type", "object_id", "date"),
                        name="admin_hits_alert_once",
                    )
                ],
            },
        ),
    ]
