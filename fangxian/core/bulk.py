"""Insert many rows fast, for imports: tuples straight to the driver, returning the new ids.

Django's bulk_create builds a model instance and compiles every value through its field for each
row; for a 100,000-row roster that is most of the commit's time (measured: bench/). Here the
caller hands plain tuples for the fields it sets, every other column gets its default once, and
the rows go to the database in one driver call per chunk: COPY on PostgreSQL (ids reserved from
the table's sequence first), `executemany` on SQLite (ids read back: SQLite hands out
AUTOINCREMENT ids one after the other and nobody else can write while our transaction holds the
write lock).

Values must already be what the column stores: ids for foreign keys (field attnames), Python
dicts/lists for JSON fields, dates and aware datetimes. No validation happens here: callers
insert rows their own checks have passed (`full_clean` per row is what this avoids).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection, models
from django.utils import timezone

CHUNK = 5000


def _adapter(field: models.Field):
    """A fast converter from a Python value to what the driver takes for this column."""
    kind = field.get_internal_type()
    if kind == "JSONField":
        return _json
    if connection.vendor == "sqlite":
        if kind == "DateTimeField":
            return lambda value: (
                None if value is None else connection.ops.adapt_datetimefield_value(value)
            )
        if kind == "DateField":
            return lambda value: value.isoformat() if isinstance(value, date) else value
        if kind == "DecimalField":
            return lambda value: None if value is None else str(value)
    return None


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if not value and isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    return json.dumps(value, ensure_ascii=False)


def _defaults(
    model: type[models.Model], given: Sequence[str], same: dict[str, Any]
) -> list[tuple[models.Field, Any]]:
    """The columns the rows do not carry, with the value every row gets."""
    now = timezone.now()
    filled = []
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        if field.attname in same:
            filled.append((field, same[field.attname]))
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            filled.append((field, now))
        else:
            filled.append((field, field.get_default()))
    return filled


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    same: dict[str, Any] | None = None,
) -> list[int]:
    """Insert `rows` (tuples in the order of `fields`, attnames) and return their new ids in the
    same order. `same` gives columns that hold one value on every row (converted once). Must run inside `transaction.atomic()`: the rows are one unit with the caller's
    other writes, and on SQLite the ids are only certain while the transaction holds the lock."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_rows must run inside a transaction")
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_name[name] for name in fields]
    same = same or {}
    if unknown := (set(fields) | set(same)) - set(by_name):
        raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
    extra = _defaults(model, fields, same)
    columns = [f.column for f in given] + [f.column for f, _ in extra]
    adapters = [_adapter(f) for f in given]
    constant = tuple(
        (adapt(value) if (adapt := _adapter(f)) and value is not None else value)
        for f, value in extra
    )
    pk = model._meta.pk.column
    table = model._meta.db_table
    quote = connection.ops.quote_name
    ids: list[int] = []
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        values = [
            tuple(
                adapt(value) if adapt is not None and value is not None else value
                for adapt, value in zip(adapters, row, strict=True)
            )
            + constant
            for row in chunk
        ]
        if connection.vendor == "postgresql":
            ids.extend(_copy(table, pk, columns, values, quote))
        else:
            ids.extend(_executemany(table, columns, values, quote))
    return ids


def _copy(table, pk, columns, values, quote) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk, len(values)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(quote(c) for c in [pk, *columns])
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for new_id, row in zip(ids, values, strict=True):
                copy.write_row((new_id, *row))
    return ids


def _executemany(table, columns, values, quote) -> list[int]:
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
    return list(range(last - len(values) + 1, last + 1))
