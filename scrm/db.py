"""Database helpers shared by the apps' batch writes.

`AnyIn` is the `__any` lookup: `filter(value__any=[...])` means the same as `value__in`, but on
PostgreSQL it sends the list as one array parameter (`value = ANY(%s)`) instead of one
placeholder per element. A 1,000-mention ingest looks up several thousand author aliases at a
time; with `__in`, psycopg's client-side binding spent more time splitting the SQL around those
placeholders than the database spent answering. Other databases get the plain `IN`.

`insert_ignoring_conflicts` inserts rows given as columns of plain values, skipping those that
break a unique constraint, and on PostgreSQL says which rows it inserted.
"""

from collections.abc import Sequence

from django.db import connection, models
from django.db.models.lookups import In


class AnyIn(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [
            field.get_db_prep_value(value, connection, prepared=True)
            for value in self.rhs
            if value is not None
        ]
        array_type = field.db_type(connection).split("(")[0]
        return f"{lhs} = ANY(%s::{array_type}[])", (*lhs_params, values)


def register_lookups() -> None:
    models.Field.register_lookup(AnyIn)


def insert_ignoring_conflicts(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    returning: Sequence[str] = (),
) -> list[tuple] | None:
    """Insert `rows` (tuples of values for `columns`, in that order) into `model`'s table,
    skipping rows that conflict with a unique constraint.

    On PostgreSQL the columns travel as one array each (`INSERT … SELECT * FROM unnest(…)`), no
    model instance is built, and the rows actually inserted come back as tuples of `returning`.
    Elsewhere this is `bulk_create(ignore_conflicts=True)` and returns None: which rows were
    inserted is unknown.
    """
    if not rows:
        return [] if connection.vendor == "postgresql" else None
    fields = [model._meta.get_field(name) for name in columns]
    if connection.vendor != "postgresql":
        attnames = [field.attname for field in fields]
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows],
            ignore_conflicts=True,
        )
        return None
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    arrays = ", ".join(f"%s::{field.db_type(connection).split('(')[0]}[]" for field in fields)
    sql = f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    if returning:
        columns_back = [model._meta.get_field(name).column for name in returning]
        sql += " RETURNING " + ", ".join(connection.ops.quote_name(c) for c in columns_back)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return cursor.fetchall() if returning else []


def update_in_order(objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write `fields` of `objects` (instances of one model, already changed in memory), locking
    their rows in the order given.

    Batches that update overlapping rows and pass them in one agreed order (say, sorted by a
    unique key) queue behind each other instead of deadlocking. On PostgreSQL: one locking
    SELECT, then one `UPDATE … FROM unnest(…)` with one array per field. Elsewhere:
    `bulk_update`.
    """
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
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.{pk} FROM unnest(%s::bigint[]) WITH ORDINALITY AS v(id, n) "
            f"JOIN {table} AS t ON t.{pk} = v.id ORDER BY v.n FOR NO KEY UPDATE OF t",
            [[obj.pk for obj in objects]],
        )
        arrays = [[obj.pk for obj in objects]]
        for field in targets:
            arrays.append(
                [field.get_db_prep_save(getattr(obj, field.attname), connection) for obj in objects]
            )
        names = ["id", *(f"c{i}" for i in range(len(targets)))]
        types = ["bigint", *(field.db_type(connection).split("(")[0] for field in targets)]
        assignments = ", ".join(
            f"{quote(field.column)} = v.{name}"
            for field, name in zip(targets, names[1:], strict=True)
        )
        unnest = ", ".join(f"%s::{db_type}[]" for db_type in types)
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} "
            f"FROM unnest({unnest}) AS v({', '.join(names)}) WHERE t.{pk} = v.id",
            arrays,
        )
