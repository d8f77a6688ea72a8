"""Trigram indexes that answer the author search (`?q=`, `authors.filters.author_ids_matching`).

Django spells `icontains` `UPPER(col::text) LIKE UPPER(%s)`, so the indexes are on `UPPER(...)`.
They exist on PostgreSQL only (pg_trgm); on SQLite this migration does nothing, and the search
there reads the tables, which is fine at the sizes SQLite serves.
"""

from django.db import migrations

INDEXES = {
    "author_name_trgm_idx": ("authors_author", "display_name"),
    "author_identity_name_trgm_idx": ("authors_authoridentity", "display_name"),
    "author_identity_handle_trgm_idx": ("authors_authoridentity", "handle"),
    "author_identity_url_trgm_idx": ("authors_authoridentity", "profile_url_normalized"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension may not exist yet: authors migrate before mentions, which created it first.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("authors", "0003_lean_ingest_indexes")]

    operations = [migrations.RunPython(create, drop)]
