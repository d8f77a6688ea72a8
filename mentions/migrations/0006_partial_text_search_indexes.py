"""Fewer index entries per ingested mention.

The trigram indexes behind `q` become what `q` can use, and leave out mentions still `new`:

- Django spells `icontains` `UPPER(text) LIKE UPPER(%s)`, which an index on `text` cannot
  answer: the indexes are now on `UPPER(text)` and `UPPER(title)`.
- A GIN trigram entry per word of every text made inserting a mention several times dearer than
  the row itself, and processing rewrote the row (with all its index entries) moments later
  anyway. Now a mention enters the text indexes when processing moves it on from `new`; until
  then `q` finds it through `mention_unprocessed_idx` (the filter asks for both halves).

`source` loses its own index: the unique (source, external_id) index serves lookups by source.
"""

import django.db.models.deletion
from django.db import migrations, models

PARTIAL_SQL = [
    "DROP INDEX IF EXISTS mention_text_trgm_idx",
    "DROP INDEX IF EXISTS mention_title_trgm_idx",
    "CREATE INDEX mention_text_trgm_idx ON mentions_mention "
    "USING gin (UPPER(text) gin_trgm_ops) WHERE NOT (status = 'new')",
    "CREATE INDEX mention_title_trgm_idx ON mentions_mention "
    "USING gin (UPPER(title) gin_trgm_ops) WHERE NOT (status = 'new')",
]
FULL_SQL = [
    "DROP INDEX IF EXISTS mention_text_trgm_idx",
    "DROP INDEX IF EXISTS mention_title_trgm_idx",
    "CREATE INDEX mention_text_trgm_idx ON mentions_mention USING gin (text gin_trgm_ops)",
    "CREATE INDEX mention_title_trgm_idx ON mentions_mention USING gin (title gin_trgm_ops)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("mentions", "0005_queueitem")]

    operations = [
        migrations.RunPython(_run(PARTIAL_SQL), _run(FULL_SQL)),
        migrations.AlterField(
            model_name="mention",
            name="source",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="mentions",
                to="mentions.source",
            ),
        ),
    ]
