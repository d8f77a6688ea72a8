"""Batch writes and reads that stay fast at a thousand rows, on PostgreSQL and elsewhere.

A 1,000-mention ingest creates and looks up thousands of author rows. Through the ORM most of
that time went to Python, not to the database: one model instance and one prepared value per
field and row, one placeholder per element of an `IN` list (psycopg's client-side binding
then splits the SQL around each), pairs matched column by column (so rows of other platforms
came back to be thrown away), and arrays quoted as text element by element. So on
PostgreSQL these helpers send each column as one array in psycopg's binary format, through a
server-side-binding cursor on Django's connection (same transaction), and use
`INSERT … SELECT * FROM unnest(…)`. Other databases (SQLite for development) take the ORM path
with the same results.

- `rows_matching` / `objects_matching` read the rows whose columns equal one of many key
  tuples (say `(platform, key)` pairs), as tuples or as instances.
- `insert_rows` inserts rows given as tuples, `insert_objects` model instances, optionally
  skipping unique conflicts, and say which went in.
- `rows_source` is the derived table those statements read: one array per column, a column
  that is the same in every row sent once.
- `update_rows` writes changed fields of instances in one statement; `update_in_order` does so
  after locking their rows in a given order.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

import psycopg
from django.db import connection, models
from django.utils import timezone


def array_type(field: models.Field) -> str:
    """The element type of an array of `field`'s values: `varchar(255)` -> `varchar`."""
    target = field.target_field if field.is_relation else field
    return target.db_type(connection).split("(")[0]


@contextmanager
def binary_cursor() -> Iterator[psycopg.Cursor]:
    """A cursor on Django's connection, in its transaction, that binds parameters server-side
    (Django's own cursor quotes them into the SQL text, element by element for arrays).

    Errors come out as Django's (`django.db.IntegrityError`, `OperationalError`, … with the
    psycopg error as `__cause__`), as from Django's own cursors: callers that retry a deadlock
    victim or map an integrity error see them the same way."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def rows_source(types: Sequence[str], columns: Sequence[list]) -> tuple[str, list]:
    """A derived table `(SELECT … FROM unnest(…))` whose columns `c0`, `c1`, … carry `columns`
    (one list per column, all of one length) row by row, and its parameters.

    A column with the same value in every row (a default, "now") travels once, as a scalar,
    rather than as an array of copies. The first column always travels as an array: it gives
    the rows their number."""
    select, unnest, scalars, arrays = [], [], [], []
    for i, (db_type, values) in enumerate(zip(types, columns, strict=True)):
        if i and values.count(values[0]) == len(values):
            select.append(f"%s::{db_type} AS c{i}")
            scalars.append(values[0])
        else:
            placeholder = "%s" if all(v is None for v in values) else "%b"
            unnest.append(f"{placeholder}::{db_type}[]")
            select.append(f"a{len(arrays)} AS c{i}")
            arrays.append(values)
    names = ", ".join(f"a{j}" for j in range(len(arrays)))
    sql = f"(SELECT {', '.join(select)} FROM unnest({', '.join(unnest)}) AS v({names}))"
    return sql, [*scalars, *arrays]


def _column_values(objects: Sequence[models.Model], field: models.Field, now: datetime) -> list:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        for obj in objects:
            setattr(obj, field.attname, now)
    return [getattr(obj, field.attname) for obj in objects]


def rows_matching(
    model: type[models.Model],
    match: Sequence[str],
    keys: Iterable[Sequence],
    fields: Sequence[str],
) -> list[tuple]:
    """The `fields` (as tuples) of the rows whose fields `match` equal one of `keys` (tuples of
    values for `match`, in that order), in one query."""
    keys = list({tuple(key) for key in keys})
    if not keys:
        return []
    opts = model._meta
    if connection.vendor != "postgresql":
        found = model.objects.filter(
            **{f"{name}__in": {key[i] for key in keys} for i, name in enumerate(match)}
        )
        wanted = set(keys)
        width = len(match)
        return [
            row[width:]
            for row in found.values_list(*match, *fields)
            if tuple(row[:width]) in wanted
        ]
    quote = connection.ops.quote_name
    targets = [opts.get_field(name) for name in match]
    source, params = rows_source(
        [array_type(f) for f in targets], [list(column) for column in zip(*keys, strict=True)]
    )
    on = " AND ".join(f"t.{quote(f.column)} = v.c{i}" for i, f in enumerate(targets))
    selected = ", ".join(f"t.{quote(opts.get_field(name).column)}" for name in fields)
    with binary_cursor() as cursor:
        cursor.execute(
            f"SELECT {selected} FROM {quote(opts.db_table)} AS t JOIN {source} AS v ON {on}",
            params,
        )
        return cursor.fetchall()


def objects_matching(
    model: type[models.Model], match: Sequence[str], keys: Iterable[Sequence]
) -> list[models.Model]:
    """The instances whose fields `match` equal one of `keys`, every field loaded."""
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = rows_matching(model, match, keys, fields)
    return [model.from_db(connection.alias, fields, row) for row in rows]


def insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[str] = (),
) -> list[tuple] | None:
    """Insert rows given as tuples of values for the fields `names`, in one statement; every
    other field takes its default (`auto_now` fields: now). No model instance is built.

    Returns the inserted rows as tuples of the `returning` fields, in the order given. With
    `ignore_conflicts`, rows that break a unique constraint are skipped and only the rows
    inserted come back; where the database cannot say which (not PostgreSQL), the result is
    None.
    """
    if not rows:
        return None if ignore_conflicts and connection.vendor != "postgresql" else []
    opts = model._meta
    given = [opts.get_field(name) for name in names]
    others = [
        f for f in opts.concrete_fields if not (f.primary_key or f.generated) and f not in given
    ]
    if connection.vendor != "postgresql":
        attnames = [f.attname for f in given]
        objects = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, ignore_conflicts=ignore_conflicts)
        if ignore_conflicts or not returning:
            return None if ignore_conflicts else []
        return [
            tuple(getattr(obj, opts.get_field(n).attname) for n in returning) for obj in objects
        ]
    now = timezone.now()
    columns = [list(values) for values in zip(*rows, strict=True)]
    for i, field in enumerate(given):
        if isinstance(field, models.JSONField):
            columns[i] = [field.get_db_prep_save(value, connection) for value in columns[i]]
    for field in others:
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = now if auto else field.get_db_prep_save(field.get_default(), connection)
        columns.append([default] * len(rows))
    fields = [*given, *others]
    source, params = rows_source([array_type(f) for f in fields], columns)
    quote = connection.ops.quote_name
    names_sql = ", ".join(quote(f.column) for f in fields)
    sql = f"INSERT INTO {quote(opts.db_table)} ({names_sql}) SELECT * FROM {source} AS s"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        back = (quote(opts.get_field(name).column) for name in returning)
        sql += " RETURNING " + ", ".join(back)
    with binary_cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if returning else []


def insert_objects(
    objects: Sequence[models.Model],
    *,
    ignore_conflicts: bool = False,
    unique: Sequence[str] = (),
) -> list[models.Model] | None:
    """Insert unsaved instances of one model in one statement, as `bulk_create` does, and give
    the inserted ones their primary key; returns those.

    With `ignore_conflicts`, instances whose row breaks a unique constraint are skipped; the
    rows inserted are matched to their instances by the fields `unique` (a unique constraint
    the instances do not repeat among themselves). Where the database cannot say which rows
    went in (not PostgreSQL) the result is None.
    """
    if not objects:
        return []
    model = type(objects[0])
    opts = model._meta
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, ignore_conflicts=ignore_conflicts)
        return None if ignore_conflicts else list(objects)
    fields = [f for f in opts.concrete_fields if not (f.primary_key or f.generated)]
    now = timezone.now()
    rows = list(zip(*(_column_values(objects, f, now) for f in fields), strict=True))
    match = [opts.get_field(name).attname for name in unique] if ignore_conflicts else []
    back = insert_rows(
        model,
        [f.name for f in fields],
        rows,
        ignore_conflicts=ignore_conflicts,
        returning=[opts.pk.name, *unique],
    )
    if ignore_conflicts:
        by_key = {tuple(getattr(obj, name) for name in match): obj for obj in objects}
        inserted = [(row[0], by_key[tuple(row[1:])]) for row in back]
    else:
        inserted = [(row[0], obj) for row, obj in zip(back, objects, strict=True)]
    for pk, obj in inserted:
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return [obj for _, obj in inserted]


def update_rows(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write `fields` of `objects` (instances of one model, already changed in memory) in one
    statement: on PostgreSQL `UPDATE … FROM unnest(…)`, one array per field; elsewhere
    `bulk_update`. The caller holds the rows' locks if it needs them (`update_in_order` takes
    them in order first).

    Django's `bulk_update` builds a `CASE WHEN pk = … THEN …` per field and row: for 200 rows
    and 18 fields that is 3,600 expressions resolved in Python and several statements, about
    a tenth of the time of processing a batch of mentions (embedding included)."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objects, fields)
        return
    opts = model._meta
    quote = connection.ops.quote_name
    table, pk = quote(opts.db_table), quote(opts.pk.column)
    targets = [opts.get_field(name) for name in fields]
    now = timezone.now()
    source, params = rows_source(
        [array_type(opts.pk), *(array_type(f) for f in targets)],
        [[obj.pk for obj in objects], *(_column_values(objects, f, now) for f in targets)],
    )
    assignments = ", ".join(f"{quote(f.column)} = s.c{i}" for i, f in enumerate(targets, 1))
    with binary_cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {source} AS s WHERE t.{pk} = s.c0",
            params,
        )


def update_in_order(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write `fields` of `objects` (instances of one model, already changed in memory), locking
    their rows in the order given.

    Batches that update overlapping rows and pass them in one agreed order (say, sorted by a
    unique key) queue behind each other instead of deadlocking. On PostgreSQL: one locking
    SELECT, then `update_rows`. Elsewhere `update_rows` alone (`bulk_update`).
    """
    if objects and connection.vendor == "postgresql":
        opts = type(objects[0])._meta
        quote = connection.ops.quote_name
        table, pk = quote(opts.db_table), quote(opts.pk.column)
        with binary_cursor() as cursor:
            cursor.execute(
                f"SELECT t.{pk} FROM unnest(%b::{array_type(opts.pk)}[]) WITH ORDINALITY "
                f"AS v(id, n) JOIN {table} AS t ON t.{pk} = v.id ORDER BY v.n "
                "FOR NO KEY UPDATE OF t",
                [[obj.pk for obj in objects]],
            )
    update_rows(objects, fields)
