"""Month totals per site: each month row has a ``site`` (-1: every site's rows summed).

The rows stored so far are every site's (a single-site configuration's only ones): they stay,
as site -1. ``MonthTotals`` and ``ObjectMonthTotals`` have the site in their primary key,
which a migration can not change in place: the new tables are created beside the old ones, the
rows copied, the old tables dropped. The other tables get the column with its default.
"""

import django.db.models.deletion
from django.db import migrations, models

ALL_SITES = -1  # admin_hits.models.month_totals.ALL_SITES, as it is in this migration
COPIED = {
    # new model: (former model, its columns but the site)
    "MonthTotals": ("MonthTotalsBeforeSites", ("month", "refreshed")),
    "ObjectMonthTotals": (
        "ObjectMonthTotalsBeforeSites",
        ("month", "content_type_id", "object_id", "views"),
    ),
}


def _copy(apps, schema_editor, *, forwards):
    """Each former table's rows into its new table as every site's rows (and back: every
    site's rows only, the former tables had no others)."""
    quote = schema_editor.connection.ops.quote_name
    for name, (former, columns) in COPIED.items():
        new = quote(apps.get_model("admin_hits", name)._meta.db_table)
        old = quote(apps.get_model("admin_hits", former)._meta.db_table)
        names = ", ".join(quote(column) for column in columns)
        if forwards:
            sql = f"INSERT INTO {new} ({names}, {quote('site')}) SELECT {names}, %s FROM {old}"
        else:
            sql = (
                f"INSERT INTO {old} ({names}) SELECT {names} FROM {new} WHERE {quote('site')} = %s"
            )
        schema_editor.execute(sql, [ALL_SITES])


def copy_forwards(apps, schema_editor):
    _copy(apps, schema_editor, forwards=True)


def copy_backwards(apps, schema_editor):
    _copy(apps, schema_editor, forwards=False)


def drop_sites_rows(apps, schema_editor):
    """Back: the sites' own months go (the former tables hold every site's only)."""
    for name in ("MonthTotals", "ObjectMonthTotals", "PathMonthTotals", "LandingMonthTotals",
                 "SiteDeliveryMonth", "PageDeliveryMonth"):  # fmt: skip
        rows = apps.get_model("admin_hits", name).objects.using(schema_editor.connection.alias)
        rows.exclude(site=ALL_SITES).delete()


def site_field():
    return models.SmallIntegerField(db_default=-1, default=-1, verbose_name="site")


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0018_landing_totals"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameModel("MonthTotals", "MonthTotalsBeforeSites"),
        migrations.RenameModel("ObjectMonthTotals", "ObjectMonthTotalsBeforeSites"),
        migrations.CreateModel(
            name="MonthTotals",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "month",
                        "site",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("site", site_field()),
                ("refreshed", models.DateTimeField(verbose_name="refreshed")),
            ],
            options={
                "verbose_name": "month totals",
                "verbose_name_plural": "month totals",
            },
        ),
        migrations.CreateModel(
            name="ObjectMonthTotals",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "month",
                        "site",
                        "content_type",
                        "object_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("site", site_field()),
                ("object_id", models.CharField(max_length=64, verbose_name="object id")),
                ("views", models.PositiveBigIntegerField(verbose_name="views")),
                (
                    "content_type",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="contenttypes.contenttype",
                        verbose_name="content type",
                    ),
                ),
            ],
            options={
                "verbose_name": "object month totals",
                "verbose_name_plural": "object month totals",
            },
        ),
        migrations.RunPython(copy_forwards, copy_backwards),
        migrations.DeleteModel("MonthTotalsBeforeSites"),
        migrations.DeleteModel("ObjectMonthTotalsBeforeSites"),
        migrations.RemoveConstraint(
            model_name="sitedeliverymonth",
            name="admin_hits_site_delivery_month",
        ),
        migrations.RemoveIndex(
            model_name="pagedeliverymonth",
            name="admin_hits_delivery_month_path",
        ),
        migrations.AddField(model_name="landingmonthtotals", name="site", field=site_field()),
        migrations.AddField(model_name="pagedeliverymonth", name="site", field=site_field()),
        migrations.AddField(model_name="pathmonthtotals", name="site", field=site_field()),
        migrations.AddField(model_name="sitedeliverymonth", name="site", field=site_field()),
        migrations.AlterField(
            model_name="landingmonthtotals",
            name="month",
            field=models.DateField(verbose_name="month"),
        ),
        migrations.AlterField(
            model_name="pathmonthtotals",
            name="month",
            field=models.DateField(verbose_name="month"),
        ),
        migrations.AddIndex(
            model_name="landingmonthtotals",
            index=models.Index(fields=["month", "site"], name="admin_hits_landing_month_site"),
        ),
        migrations.AddIndex(
            model_name="pagedeliverymonth",
            index=models.Index(
                fields=["month", "site", "path_hash"], name="admin_hits_delivery_month_site"
            ),
        ),
        migrations.AddIndex(
            model_name="pathmonthtotals",
            index=models.Index(fields=["month", "site"], name="admin_hits_path_month_site"),
        ),
        migrations.AddConstraint(
            model_name="sitedeliverymonth",
            constraint=models.UniqueConstraint(
                fields=("month", "site"), name="admin_hits_site_delivery_month_site"
            ),
        ),
        # Last, so that going back it runs first, while the sites' rows can still be told apart.
        migrations.RunPython(migrations.RunPython.noop, drop_sites_rows),
    ]
