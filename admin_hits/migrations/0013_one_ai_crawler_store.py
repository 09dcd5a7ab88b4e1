"""One store of AI crawlers' views per object: ``AICrawlerHits``' object rows, now every object
a crawler fetched (they were its top 200 a day). The rows of ``CrawlerHits`` it lacks move
into it before the table is dropped; days parsed again are written whole anyway."""

from django.db import migrations

MOVE = """
INSERT INTO admin_hits_aicrawlerhits (date, content_type_id, object_id, bot, views)
SELECT c.date, c.content_type_id, c.object_id, c.bot, c.views
FROM admin_hits_crawlerhits c
WHERE NOT EXISTS (
    SELECT 1 FROM admin_hits_aicrawlerhits a
    WHERE a.date = c.date AND a.content_type_id = c.content_type_id
    AND a.object_id = c.object_id AND a.bot = c.bot
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("admin_hits", "0012_trending_objects"),
    ]

    operations = [
        migrations.RunSQL(MOVE, migrations.RunSQL.noop),
        migrations.DeleteModel(
            name="CrawlerHits",
        ),
    ]
