"""Idempotent insertion of a batch of mention rows.

`upsert_mentions` inserts new `(source, external_id)` pairs and, for known ones, changes only
the engagement counters, and only upwards (`GREATEST`): monitoring tools report counters that
grow, so a lower value is an older report arriving late (or a replay) and a counter a report
leaves out (sent as 0) keeps its stored value. It tells which rows it created, exactly, even
when other processes insert the same keys at the same moment.

On PostgreSQL the batch is one `INSERT … SELECT … FROM unnest(…) ON CONFLICT DO UPDATE …
RETURNING id, (xmax = 0)`, each column sent as one binary array (`scrm.db.rows_source`; a
column the same in every row, as a scalar), rows in key order: a 1,000-row `bulk_create` spends
most of its time quoting parameters in Python, and an earlier COPY into a temporary table paid
for creating and dropping that table in the catalogue with every batch. `xmax = 0` is true
exactly for the rows this statement inserted. Other databases (SQLite for development) use
`bulk_create(update_conflicts=True)` after reading which keys exist.
"""

from collections.abc import Sequence

import orjson
from django.db import connection
from psycopg.types.json import Jsonb

from mentions.models import Mention
from scrm.db import array_type, binary_cursor, rows_source

ENGAGEMENT_FIELDS = ("likes", "comments", "reposts", "views", "reach")

# Every column of the table but the primary key and those the database computes (`stage`); a
# row dict may leave out any column that has a model default (a field added later needs no
# change here).
_FIELDS = [f for f in Mention._meta.concrete_fields if not (f.primary_key or f.generated)]
COLUMNS = tuple(f.column for f in _FIELDS)
_DEFAULTS = {f.column: f.get_default for f in _FIELDS}
_ATTNAMES = {f.column: f.attname for f in _FIELDS}
_FIELDS_BY_COLUMN = {f.column: f for f in _FIELDS}
_UPDATED_ON_CONFLICT = (*ENGAGEMENT_FIELDS, "updated_at")


def _as_is(dumped: bytes) -> bytes:
    return dumped


Key = tuple[int, str]


def upsert_mentions(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    """Insert or update `rows` (dicts keyed by COLUMNS, unique keys, in key order). A row may
    carry `raw_json`, its `raw` already serialised (the validation did it).

    Returns `{(source_id, external_id): (mention_id, created)}`.
    """
    if not rows:
        return {}
    if connection.vendor == "postgresql":
        return _upsert_postgresql(rows)
    return _upsert_portable(rows)


def _upsert_postgresql(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    table = Mention._meta.db_table
    given = [column for column in COLUMNS if column in rows[0]]
    columns = [[row[column] for row in rows] for column in given]
    for i, column in enumerate(given):
        if column == "raw":
            columns[i] = [
                Jsonb(row["raw_json"], dumps=_as_is)
                if row.get("raw_json") is not None
                else Jsonb(row["raw"], dumps=orjson.dumps)
                for row in rows
            ]
    # The columns the rows do not carry take their default, the same for every row.
    for column in COLUMNS:
        if column not in rows[0]:
            given.append(column)
            columns.append([_default(column)] * len(rows))
    source, params = rows_source([array_type(_FIELDS_BY_COLUMN[c]) for c in given], columns)
    key = ", ".join(f"s.c{given.index(name)}" for name in ("source_id", "external_id"))
    updates = ", ".join(
        [f"{name} = GREATEST({table}.{name}, EXCLUDED.{name})" for name in ENGAGEMENT_FIELDS]
        + ["updated_at = EXCLUDED.updated_at"]
    )
    with binary_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(given)}) SELECT s.* FROM {source} AS s "
            f"ORDER BY {key} "
            f"ON CONFLICT (source_id, external_id) DO UPDATE SET {updates} "
            "RETURNING id, source_id, external_id, (xmax = 0)",
            params,
        )
        return {(source, external): (pk, created) for pk, source, external, created in cursor}


def _default(column: str):
    value = _DEFAULTS[column]()
    return Jsonb(value) if isinstance(value, dict | list) else value


def _upsert_portable(rows: Sequence[dict]) -> dict[Key, tuple[int, bool]]:
    existing: dict[Key, tuple[int, ...]] = {}
    by_source: dict[int, list[str]] = {}
    for row in rows:
        by_source.setdefault(row["source_id"], []).append(row["external_id"])
    for source_id, external_ids in by_source.items():
        found = Mention.objects.filter(source_id=source_id, external_id__in=external_ids)
        for source, external, *counters in found.values_list(
            "source_id", "external_id", *ENGAGEMENT_FIELDS
        ):
            existing[(source, external)] = tuple(counters)
    objects = []
    for row in rows:
        values = {_ATTNAMES[k]: v for k, v in row.items() if k != "raw_json"}
        stored = existing.get((row["source_id"], row["external_id"]))
        if stored is not None:  # counters only move forward, as GREATEST does on PostgreSQL
            for name, before in zip(ENGAGEMENT_FIELDS, stored, strict=True):
                values[name] = max(before, values.get(name, 0))
        objects.append(Mention(**values))
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
