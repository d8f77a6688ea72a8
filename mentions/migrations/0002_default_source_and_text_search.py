"""The default `api` source, and on PostgreSQL trigram indexes so `q` (ILIKE) stays fast."""

from django.db import migrations

TRIGRAM_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS mention_text_trgm_idx ON mentions_mention "
    "USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS mention_title_trgm_idx ON mentions_mention "
    "USING gin (title gin_trgm_ops)",
]
TRIGRAM_REVERSE_SQL = [
    "DROP INDEX IF EXISTS mention_text_trgm_idx",
    "DROP INDEX IF EXISTS mention_title_trgm_idx",
]


def create_default_source(apps, schema_editor):
    Source = apps.get_model("mentions", "Source")
    import secrets

    Source.objects.get_or_create(
        key="api",
        defaults={"name": "API", "kind": "generic", "secret": secrets.token_urlsafe(32)},
    )


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in TRIGRAM_SQL:
            schema_editor.execute(statement)


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in TRIGRAM_REVERSE_SQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("mentions", "0001_initial")]

    operations = [
        migrations.RunPython(create_default_source, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
