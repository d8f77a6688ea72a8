"""Claims and releases become HOT updates.

A claim changed `status` (queued -> claimed), `claimed_by` and `lease_expires_at`: columns in the
key or the condition of six indexes, so PostgreSQL wrote a new entry for the row in every index
of the table (both trigram GIN indexes included) on each claim, renewal, release and expiry.
Now no index reads those columns:

- `stage`, a stored generated column, is `status` with `claimed` read as `queued`; the status,
  processing-backlog, queue and trigram indexes read it instead of `status`, and a claim or a
  release leaves it unchanged;
- the indexes on `claimed_by` and on the lease are dropped (the lease sweep and a holder's own
  list read the queue index, which holds the open mentions);
- the table keeps 15% of each page free (fillfactor 85), so that the new row version of a
  claim fits on its page: a HOT update needs room there. (Set before the column is added,
  whose table rewrite then packs every page so.)
"""

from django.db import migrations, models

TRIGRAM = ("text", "title")


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def _trigram(column: str, predicate_column: str) -> str:
    return (
        f"CREATE INDEX mention_{column}_trgm_idx ON mentions_mention "
        f"USING gin (UPPER({column}) gin_trgm_ops) WHERE NOT ({predicate_column} = 'new')"
    )


DROP_TRIGRAM = [f"DROP INDEX IF EXISTS mention_{column}_trgm_idx" for column in TRIGRAM]
BEFORE = [*DROP_TRIGRAM, "ALTER TABLE mentions_mention SET (fillfactor = 85)"]
AFTER = [_trigram(column, "stage") for column in TRIGRAM]
BEFORE_REVERSE = [
    *[_trigram(column, "status") for column in TRIGRAM],
    "ALTER TABLE mentions_mention RESET (fillfactor)",
]


class Migration(migrations.Migration):
    dependencies = [("mentions", "0014_replies_need_approval_by_default")]

    operations = [
        migrations.RunPython(_on_postgresql(BEFORE), _on_postgresql(BEFORE_REVERSE)),
        migrations.RemoveIndex(model_name="mention", name="mention_status_idx"),
        migrations.RemoveIndex(model_name="mention", name="mention_unprocessed_idx"),
        migrations.RemoveIndex(model_name="mention", name="mention_queue_idx"),
        migrations.RemoveIndex(model_name="mention", name="mention_lease_idx"),
        migrations.RemoveIndex(model_name="mention", name="mention_claimed_by_idx"),
        migrations.AddField(
            model_name="mention",
            name="stage",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status="claimed", then=models.Value("queued")),
                    default=models.F("status"),
                ),
                output_field=models.CharField(max_length=16),
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(fields=["stage", "-published_at"], name="mention_stage_idx"),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("stage", "new")),
                fields=["processing_enqueued_at"],
                name="mention_unprocessed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("stage", "queued")),
                fields=["team", "priority_rank", "sla_due_at", "id"],
                name="mention_queue_idx",
            ),
        ),
        migrations.RunPython(_on_postgresql(AFTER), _on_postgresql(DROP_TRIGRAM)),
    ]
