# The heartbeats of the pipes that count into the db live store (admin_hits.live.stores.heartbeats).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0005_mail"),
    ]

    operations = [
        migrations.CreateModel(
            name="LivePipe",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="date")),
                ("pipe", models.CharField(max_length=300, verbose_name="pipe")),
                ("heartbeat", models.TextField(verbose_name="heartbeat")),
            ],
            options={
                "verbose_name": "live pipe",
                "verbose_name_plural": "live pipes",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("date", "pipe"), name="admin_hits_live_pipe_per_day"
                    )
                ],
            },
        ),
    ]
