"""Statements written once from the models' `_meta`, for the few paths that run on every keystroke.

The ORM compiles a query each time it runs it, which on an indexed statement costs several times
what the database spends. The autosave runs a handful of them on every choice a RUPN makes, and
the school guard one on every school page: built here once per database and model, they keep the
autosave above half the throughput of a bare upsert (benchmarks/README.md, « What the autosave
spends »). Nothing in them is hand-typed:

- table and column names come from `_meta`, quoted by the connection;
- every value written goes through its field's `get_db_prep_save`, as the ORM does (aware
  datetimes, JSON, booleans on SQLite…);
- every value read goes through the converters Django itself applies, and instances are built
  with `Model.from_db`, so they are the ORM's, with the fields not read deferred.

Use it only where a benchmark shows the ORM's cost; everything else speaks the ORM.
"""

from dataclasses import dataclass
from functools import cache

from django.db import connections


def field_of(model, attname: str):
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def table(model, using: str = "default") -> str:
    return connections[using].ops.quote_name(model._meta.db_table)


def column(model, attname: str, table_alias: str | None = None, using: str = "default") -> str:
    name = connections[using].ops.quote_name(field_of(model, attname).column)
    return f"{table_alias}.{name}" if table_alias else name


@dataclass(frozen=True)
class Columns:
    """Some columns of one model under a table alias: the SQL that selects them, and the means
    to turn their values back into what the ORM would have given."""

    model: type
    table_alias: str
    attnames: tuple[str, ...]  # in the model's field order, as Model.from_db wants them
    sql: str
    converters: tuple  # (expression, functions) per column

    def __len__(self) -> int:
        return len(self.attnames)

    def converted(self, values, using: str = "default") -> list:
        connection = connections[using]
        out = []
        for value, (expression, functions) in zip(values, self.converters, strict=True):
            for function in functions:
                value = function(value, expression, connection)
            out.append(value)
        return out

    def instance(self, values, using: str = "default"):
        return self.model.from_db(using, self.attnames, self.converted(values, using))


@cache
def columns(model, table_alias: str, attnames: frozenset[str] | None = None, using: str = "default") -> Columns:
    """The model's columns named by `attnames` (all its concrete fields when None)."""
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if attnames is None or f.attname in attnames]
    if attnames is not None and len(fields) != len(attnames):
        raise ValueError(f"{model.__name__} has no field {sorted(attnames - {f.attname for f in fields})}")
    converters = []
    for f in fields:
        expression = f.get_col(table_alias)
        converters.append(
            (expression, tuple(connection.ops.get_db_converters(expression) + f.get_db_converters(connection)))
        )
    return Columns(
        model=model,
        table_alias=table_alias,
        attnames=tuple(f.attname for f in fields),
        sql=", ".join(column(model, f.attname, table_alias, using) for f in fields),
        converters=tuple(converters),
    )


def prepared(model, values: dict, using: str = "default") -> list:
    """The values as the ORM would send them to the database, in the dict's order."""
    connection = connections[using]
    return [field_of(model, attname).get_db_prep_save(value, connection) for attname, value in values.items()]


def _inserted_fields(model) -> tuple:
    # Every concrete field but an automatic primary key, as Model.save inserts them.
    return tuple(f for f in model._meta.concrete_fields if not (f.primary_key and f.db_returning))


@cache
def insert_statement(model, using: str = "default") -> str:
    fields = _inserted_fields(model)
    names = ", ".join(column(model, f.attname, using=using) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {table(model, using)} ({names}) VALUES ({marks})"  # noqa: S608 (names from _meta)


@cache
def update_statement(
    model, *, assign: tuple[str, ...] = (), add: tuple[str, ...] = (), where: tuple[str, ...], using: str = "default"
) -> str:
    """UPDATE … SET a = %s, n = n + %s … WHERE k = %s AND …; parameters in that order."""
    sets = [f"{column(model, a, using=using)} = %s" for a in assign]
    sets += [f"{column(model, a, using=using)} = {column(model, a, using=using)} + %s" for a in add]
    conditions = " AND ".join(f"{column(model, a, using=using)} = %s" for a in where)
    return f"UPDATE {table(model, using)} SET {', '.join(sets)} WHERE {conditions}"  # noqa: S608


def insert(model, values: dict, using: str = "default") -> None:
    """One row: the fields not given take their defaults, as with Model.objects.create."""
    unknown = set(values) - {f.attname for f in _inserted_fields(model)}
    if unknown:
        raise ValueError(f"{model.__name__} has no field {sorted(unknown)} to insert")
    row = {f.attname: values[f.attname] if f.attname in values else f.get_default() for f in _inserted_fields(model)}
    with connections[using].cursor() as cursor:
        cursor.execute(insert_statement(model, using), prepared(model, row, using))


def update(model, *, where: dict, assign: dict | None = None, add: dict | None = None, using: str = "default") -> int:
    """Sets `assign`'s fields to their values and adds `add`'s deltas (atomic: `n = n + %s`) to
    the rows matching every `where` equality. Returns the number of rows matched."""
    assign, add = assign or {}, add or {}
    statement = update_statement(model, assign=tuple(assign), add=tuple(add), where=tuple(where), using=using)
    params = prepared(model, assign, using) + list(add.values()) + prepared(model, where, using)
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount
