"""PostgreSQL-only search indexes over articles (SQLite has neither; the in-memory index serves).

- full text, `russian` configuration: question and phrasings weight A, the answer weight C;
- trigrams of the question, for typos (`pg_trgm` is created by mentions 0002).
"""

from django.db import migrations

FTS = (
    "setweight(to_tsvector('russian', coalesce(question, '') || ' ' || coalesce(phrasings::text, '')), 'A')"
    " || setweight(to_tsvector('russian', coalesce(answer, '')), 'C')"
)
CREATE = [
    f"CREATE INDEX IF NOT EXISTS kb_article_fts_idx ON knowledge_base_article USING gin (({FTS}))",
    "CREATE INDEX IF NOT EXISTS kb_article_question_trgm_idx ON knowledge_base_article "
    "USING gin (question gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS kb_article_fts_idx",
    "DROP INDEX IF EXISTS kb_article_question_trgm_idx",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge_base", "0001_knowledge_base_initial"), ("mentions", "0007_lean_ingest_indexes")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
