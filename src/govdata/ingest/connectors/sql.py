"""The ``sql`` connector: one table of a relational database (SQLite, PostgreSQL, MariaDB/MySQL).

Streams with a server-side cursor (``stream_results`` + ``yield_per``) and turns each chunk of rows
into an Arrow batch column by column. Types come from the reflected table: text stays text (IDs and
codes keep leading zeros and ``X``), exact decimals stay decimal, dates and timestamps stay temporal;
anything without a faithful Arrow type is read as text.
Raises ``InvalidInput``: ``ingest.bad_config``, ``ingest.sql_table_not_found``, ``ingest.sql_value``
(table, column); ``TransientError("ingest.source_unavailable")`` when the server cannot be reached.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors.base import Connector, ConnectorConfig, ReadRequest, clean_names

_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "mysql": "mysql+pymysql",
            "mariadb": "mariadb+pymysql"}  # fmt: skip


class SqlConfig(ConnectorConfig):
    url: str = Field(description="SQLAlchemy URL of the source database.")
    table: str = Field(description="Table (or view) to read.")
    schema_: str | None = Field(default=None, alias="schema", description="Database schema, if any.")
    batch_size: int = Field(default=50_000, ge=1, description="Rows fetched per round trip.")

    model_config = {"extra": "forbid", "populate_by_name": True}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def arrow_type(sql_type: Any) -> tuple[pa.DataType, Callable[[Sequence[Any]], list[Any]] | None]:
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


def _texts(values: Sequence[Any]) -> list[Any]:
    return [_text(v) for v in values]


def _times(values: Sequence[Any]) -> list[Any]:
    # MySQL drivers return TIME as a timedelta since midnight
    return [(dt.datetime.min + v).time() if isinstance(v, dt.timedelta) else v for v in values]


def engine_url(url: str) -> Any:
    """``url`` parsed, with the project's driver filled in for bare dialect names."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput("ingest.bad_config", connector="sql", detail="url") from exc
    driver = _DRIVERS.get(parsed.drivername)
    return parsed.set(drivername=driver) if driver else parsed


class SqlConnector(Connector):
    name = "sql"
    label = "ingest.connector.sql"
    Config = SqlConfig

    def _engine(self, cfg: SqlConfig) -> Any:
        from sqlalchemy import create_engine

        return create_engine(engine_url(cfg.url), poolclass=_null_pool())

    def _reflect(self, engine: Any, cfg: SqlConfig) -> Any:
        from sqlalchemy import MetaData, Table
        from sqlalchemy.exc import NoSuchTableError, OperationalError

        try:
            return Table(cfg.table, MetaData(), autoload_with=engine, schema=cfg.schema_)
        except NoSuchTableError as exc:
            raise InvalidInput(
                "ingest.sql_table_not_found", table=cfg.table, schema=cfg.schema_ or ""
            ) from exc
        except OperationalError as exc:
            raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc

    def _layout(self, table: Any) -> tuple[pa.Schema, list[Callable[[Sequence[Any]], list[Any]] | None]]:
        names = clean_names([c.name for c in table.columns])
        types = [arrow_type(c.type) for c in table.columns]
        schema = pa.schema([pa.field(n, ty) for n, (ty, _) in zip(names, types, strict=True)])
        return schema, [conv for _, conv in types]

    def schema(self, config: Any) -> pa.Schema:
        cfg = self.parse_config(config)
        engine = self._engine(cfg)
        try:
            return self._layout(self._reflect(engine, cfg))[0]
        finally:
            engine.dispose()

    def discover(self, config: Any) -> list[str]:
        from sqlalchemy import inspect
        from sqlalchemy.exc import OperationalError

        cfg = self.parse_config(config)
        engine = self._engine(cfg)
        try:
            inspector = inspect(engine)
            return sorted(inspector.get_table_names(schema=cfg.schema_))
        except OperationalError as exc:
            raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc
        finally:
            engine.dispose()

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        from sqlalchemy import select
        from sqlalchemy.exc import OperationalError

        cfg = self.parse_config(config)
        engine = self._engine(cfg)
        try:
            table = self._reflect(engine, cfg)
            schema, converters = self._layout(table)
            with engine.connect() as conn:
                try:
                    result = conn.execution_options(stream_results=True, yield_per=cfg.batch_size).execute(
                        select(table)
                    )
                except OperationalError as exc:
                    raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc
                for rows in result.partitions():
                    yield self._batch(cfg, schema, converters, rows)
        finally:
            engine.dispose()

    def _batch(
        self,
        cfg: SqlConfig,
        schema: pa.Schema,
        converters: list[Callable[[Sequence[Any]], list[Any]] | None],
        rows: Sequence[Any],
    ) -> pa.RecordBatch:
        columns = list(zip(*rows, strict=True))
        arrays = []
        for field, conv, values in zip(schema, converters, columns, strict=True):
            try:
                arrays.append(pa.array(conv(values) if conv else values, field.type))
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
                raise InvalidInput(
                    "ingest.sql_value", table=cfg.table, column=field.name, detail=str(exc)[:200]
                ) from exc
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    def split_secret(self, config: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        from sqlalchemy.engine import make_url

        out = dict(config)
        if "url" not in out:
            return out, None
        url = make_url(out["url"])
        if url.password is None:
            return out, None
        out["url"] = url._replace(password=None).render_as_string(hide_password=False)  # set() ignores None
        return out, str(url.password)

    def join_secret(self, config: Mapping[str, Any], secret: str | None) -> dict[str, Any]:
        from sqlalchemy.engine import make_url

        out = dict(config)
        if secret is not None and "url" in out:
            out["url"] = make_url(out["url"]).set(password=secret).render_as_string(hide_password=False)
        return out


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is named by its scheme only
        return url.split(":", 1)[0]


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool
