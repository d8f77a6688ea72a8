"""Idempotent insertion of a batch of mention rows.

`upsert_mentions` inserts new `(source, external_id)` pairs and, for known ones, overwrites only
the engagement counters. It tells which rows it created, exactly, even when other processes
insert the same keys at the same moment.

On PostgreSQL the batch is COPYed into a temporary table and moved with one
`INSERT … SELECT … ON CONFLICT DO UPDATE … RETURNING id, (xmax = 0)`: COPY adapts values in C,
where a 1,000-row `bulk_create` spends most of its time quoting parameters in Python, and
`xmax = 0` is true exactly for the rows this statement inserted. Other databases (SQLite for
development) use `bulk_create(update_conflicts=True)` after reading which keys exist.
"""

from collections.abc import Sequence

import orjson
from django.db import connection
from psycopg.types.json import Jsonb

from mentions.models import Mention

ENGAGEMENT_FIELDS = ("likes", "comments", "reposts", "views", "reach")

# Every column of the table but the primary key; a row dict may leave out any column that has a
# model default (a field added later needs no change here).
_FIELDS = [f for f in Mention._meta.concrete_fields if not f.primary_key]
COLUMNS = tuple(f.column for f in _FIELDS)
_DEFAULTS = {f.column: f.get_default for f in _FIELDS}
_ATTNAMES = {f.column: f.attname for f in _FIELDS}
_UPDATED_ON_CONFLICT = (*ENGAGEMENT_FIELDS, "updated_at")

Key = tuple[int, str]


def upsert_mentions(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    """Insert or update `rows` (dicts keyed by COLUMNS, unique keys, in key order).

    Returns `{(source_id, external_id): (mention_id, created)}`.
    """
    if not rows:
        return {}
    if connection.vendor == "postgresql":
        return _upsert_postgresql(rows)
    return _upsert_portable(rows)


def _upsert_postgresql(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    table = Mention._meta.db_table
    # Only the columns the rows carry travel through COPY; the others are the same default for
    # every row and go into the INSERT as parameters.
    given = [column for column in COLUMNS if column in rows[0]]
    others = [column for column in COLUMNS if column not in rows[0]]
    staged = ", ".join(given)
    columns = ", ".join([*given, *others])
    selected = ", ".join([*given, *(["%s"] * len(others))])
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in _UPDATED_ON_CONFLICT)
    raw_at = given.index("raw") if "raw" in given else None
    with connection.cursor() as cursor:
        raw_cursor = cursor.cursor
        # Dropped at commit: no session state survives the transaction (safe behind PgBouncer).
        # It has every column, so that calls carrying other columns can share it.
        raw_cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS mention_ingest_stage ON COMMIT DROP AS "
            f"SELECT {', '.join(COLUMNS)} FROM {table} WITH NO DATA"
        )
        raw_cursor.execute("TRUNCATE mention_ingest_stage")
        with raw_cursor.copy(f"COPY mention_ingest_stage ({staged}) FROM STDIN") as copy:
            for row in rows:
                values = [row[column] for column in given]
                if raw_at is not None:
                    values[raw_at] = Jsonb(values[raw_at], dumps=orjson.dumps)
                copy.write_row(values)
        raw_cursor.execute(
            f"INSERT INTO {table} ({columns}) "
            f"SELECT {selected} FROM mention_ingest_stage ORDER BY source_id, external_id "
            f"ON CONFLICT (source_id, external_id) DO UPDATE SET {updates} "
            "RETURNING id, source_id, external_id, (xmax = 0)",
            [_default(column) for column in others],
        )
        return {(source, external): (pk, created) for pk, source, external, created in raw_cursor}


def _default(column: str):
    value = _DEFAULTS[column]()
    return Jsonb(value) if isinstance(value, dict | list) else value


def _upsert_portable(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    existing: set[Key] = set()
    by_source: dict[int, list[str]] = {}
    for row in rows:
        by_source.setdefault(row["source_id"], []).append(row["external_id"])
    for source_id, external_ids in by_source.items():
        existing.update(
            Mention.objects.filter(source_id=source_id, external_id__in=external_ids).values_list(
                "source_id", "external_id"
            )
        )
    objects = [Mention(**{_ATTNAMES[k]: v for k, v in row.items()}) for row in rows]
    Mention.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["source", "external_id"],
        update_fields=list(_UPDATED_ON_CONFLICT),
    )
    return {
        (obj.source_id, obj.external_id): (obj.pk, (obj.source_id, obj.external_id) not in existing)
        for obj in objects
    }
