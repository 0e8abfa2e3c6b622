"""Arrow types of relational columns, shared by every read path of the ``sql`` connector.

``reflect`` reads a table's columns and primary key (nothing else: a load needs no indexes,
constraints or the tables its foreign keys point to). ``arrow_type`` maps a reflected SQLAlchemy type to the lake's Arrow type (IDs and codes stay text,
exact decimals stay decimal, timestamps with a time zone become UTC); ``needs_text`` says which
columns a fast path must ask the server to render as text; ``conform`` casts a fast path's batch to
the declared schema so every path yields the same types. ``coerce`` turns a request value (a cursor,
a lookup key — possibly text from stored state) into the column's Python type before it is bound.
Raises ``InvalidInput``: ``ingest.sql_value`` (table, column, detail) when a value does not fit its
declared type, ``ingest.sql_bad_filter`` (column, value) when a request value cannot be converted,
``ingest.sql_table_not_found``; ``TransientError("ingest.source_unavailable")`` from ``reflect``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from govdata.errors import InvalidInput, TransientError

Converter = Callable[[Sequence[Any]], list[Any]]


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _texts(values: Sequence[Any]) -> list[Any]:
    return [_text(v) for v in values]


def _times(values: Sequence[Any]) -> list[Any]:
    # MySQL drivers return TIME as a timedelta since midnight
    return [(dt.datetime.min + v).time() if isinstance(v, dt.timedelta) else v for v in values]


# The columns as the server's catalog lists them — name, type, nullability, primary key — one query.
# While they are unchanged a table is not reflected again: SQLAlchemy's inspector costs several
# catalog queries per run (5.9 ms on PostgreSQL, 1.5 ms on MariaDB; this query 0.9 ms).
_CATALOG = {
    "postgresql": (
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, EXISTS (SELECT 1 FROM pg_index i "
        "WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) "
        "FROM pg_attribute a WHERE a.attrelid = to_regclass(CASE WHEN CAST(:schema AS text) IS NULL "
        "THEN quote_ident(:table) ELSE quote_ident(:schema) || '.' || quote_ident(:table) END) "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
    ),
    "mysql": (
        "SELECT column_name, column_type, is_nullable, column_key FROM information_schema.columns "
        "WHERE table_schema = coalesce(:schema, database()) AND table_name = :table ORDER BY ordinal_position"
    ),
}
_CATALOG["mariadb"] = _CATALOG["mysql"]
_REFLECTED: dict[tuple[str, str | None, str], tuple[tuple[Any, ...], Any]] = {}


def reflect(engine: Any, table: str, schema: str | None, source: str) -> Any:
    """``schema.table``'s columns and primary key as a SQLAlchemy ``Table`` (``source``: the safe URL);
    the one reflected before while the catalog lists the same columns (PostgreSQL, MySQL/MariaDB)."""
    from sqlalchemy import Column, MetaData, Table, inspect
    from sqlalchemy.exc import NoSuchTableError, OperationalError

    key = (engine.url.render_as_string(hide_password=True), schema, table)
    try:
        with engine.connect() as conn:
            listed = _listed(conn, table, schema)
            known = _REFLECTED.get(key)
            if listed and known is not None and known[0] == listed:
                return known[1]
            inspector = inspect(conn)
            columns = inspector.get_columns(table, schema=schema)
            if not columns:
                raise NoSuchTableError(table)
            primary = inspector.get_pk_constraint(table, schema=schema)
    except NoSuchTableError as exc:
        raise InvalidInput("ingest.sql_table_not_found", table=table, schema=schema or "") from exc
    except OperationalError as exc:
        raise TransientError("ingest.source_unavailable", source=source) from exc
    keys = set(primary.get("constrained_columns") or ())
    reflected = Table(
        table,
        MetaData(),
        *(
            Column(c["name"], c["type"], nullable=c.get("nullable", True), primary_key=c["name"] in keys)
            for c in columns
        ),
        schema=schema,
    )
    if listed:
        _REFLECTED[key] = (listed, reflected)
    return reflected


def _listed(conn: Any, table: str, schema: str | None) -> tuple[Any, ...]:
    """The catalog's rows for the table's columns (empty where this is not known for the dialect, or
    the query failed — then the table is reflected as always)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    query = _CATALOG.get(conn.dialect.name)
    if query is None:
        return ()
    try:
        return tuple(tuple(row) for row in conn.execute(text(query), {"schema": schema, "table": table}))
    except DBAPIError:
        conn.rollback()  # PostgreSQL refuses every later statement of a failed transaction
        return ()


def arrow_type(sql_type: Any) -> tuple[pa.DataType, Converter | None]:
    """The Arrow type for a reflected SQLAlchemy column type, plus a value converter if needed."""
    from sqlalchemy import types as t

    if isinstance(sql_type, t.Boolean):
        return pa.bool_(), None
    if isinstance(sql_type, t.Integer):
        if getattr(sql_type, "unsigned", False) and isinstance(sql_type, t.BigInteger):
            return pa.uint64(), None
        return pa.int64(), None
    if isinstance(sql_type, t.Float):
        return pa.float64(), None
    if isinstance(sql_type, t.Numeric):
        precision, scale = sql_type.precision, sql_type.scale or 0
        if precision and precision <= 38 and 0 <= scale <= precision:
            return pa.decimal128(precision, scale), None
        return pa.string(), _texts
    if isinstance(sql_type, t.DateTime):
        return pa.timestamp("us", tz="UTC" if sql_type.timezone else None), None
    if isinstance(sql_type, t.Date):
        return pa.date32(), None
    if isinstance(sql_type, t.Time):
        return pa.time64("us"), _times
    if isinstance(sql_type, t.LargeBinary):
        return pa.binary(), None
    if isinstance(sql_type, t.String) and not isinstance(sql_type, t.JSON):
        return pa.string(), None
    return pa.string(), _texts


def needs_text(sql_type: Any) -> bool:
    """Whether a fast path should read this column as server-rendered text.

    Exact decimals (drivers disagree on their Arrow form; connectorx mis-scales them) and every type
    the lake keeps as text without being text at the source (JSON, UUID, arrays, intervals …).
    """
    from sqlalchemy import types as t

    ty, converter = arrow_type(sql_type)
    if pa.types.is_decimal(ty):
        return True
    return converter is _texts and not isinstance(sql_type, t.String)


def is_integer(sql_type: Any) -> bool:
    """Whether a column can split a read into integer ranges."""
    from sqlalchemy import types as t

    return isinstance(sql_type, t.Integer)


def conform(batch: pa.RecordBatch, schema: pa.Schema, table: str) -> pa.RecordBatch:
    """``batch`` (columns in ``schema`` order) with the names and types of ``schema``."""
    arrays = []
    for i, field in enumerate(schema):
        array = batch.column(i)
        if isinstance(array, pa.ExtensionArray):  # ADBC's opaque numeric, arrow.json
            array = array.storage
        if array.type != field.type:
            try:
                array = pc.cast(array, field.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                raise InvalidInput(
                    "ingest.sql_value", table=table, column=field.name, detail=str(exc)[:200]
                ) from exc
        arrays.append(array)
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def coerce(value: Any, field: pa.Field) -> Any:
    """``value`` as the Python value of ``field``'s type (``"2024-01-02"`` → a date for a date column)."""
    if value is None:
        return None
    try:
        return pa.scalar(value).cast(field.type).as_py() if not _fits(value, field.type) else value
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError) as exc:
        raise InvalidInput("ingest.sql_bad_filter", column=field.name, value=str(value)[:100]) from exc


def _fits(value: Any, ty: pa.DataType) -> bool:
    if pa.types.is_string(ty):
        return isinstance(value, str)
    if pa.types.is_integer(ty):
        return isinstance(value, int) and not isinstance(value, bool)
    if pa.types.is_timestamp(ty):
        return isinstance(value, dt.datetime) and (value.tzinfo is None) == (ty.tz is None)
    if pa.types.is_date(ty):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return False
