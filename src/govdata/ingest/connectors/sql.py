"""The ``sql`` connector: one table of a relational database (SQLite, PostgreSQL, MariaDB/MySQL).

Three read paths, one result: PostgreSQL through ADBC (COPY binary → Arrow), MySQL/MariaDB through
connectorx (Arrow, partitioned in Rust; an integer, date or timestamp cursor included), anything
else — and lookups or text cursors on a server connectorx reads, since it cannot bind them —
through SQLAlchemy with a server-side cursor (``stream_results`` + ``yield_per``), turning each
chunk into an Arrow batch column by column. Inside ``opened`` a load reflects the table once.
``engine`` in the config picks a path explicitly (``auto`` by default). Types come from the
reflected table on every path (``sql_types``): text stays text (IDs and codes keep leading zeros and
``X``), exact decimals stay decimal, timestamps with a zone are UTC; anything else is read as text.
A ``ReadRequest`` narrows the read on every path: ``cursor >= value ORDER BY cursor``, only some
columns, ``column = value`` lookups, a limit — identifiers quoted, values bound, never interpolated.
``parallel`` > 1 splits the read into ranges of an integer key (the primary key unless
``partition_column`` says otherwise) read concurrently; rows then arrive in no particular order.
Raises ``InvalidInput``: ``ingest.bad_config``, ``ingest.sql_table_not_found``, ``ingest.sql_value``
(table, column), ``ingest.sql_column_not_found``, ``ingest.sql_bad_filter``;
``TransientError("ingest.source_unavailable")`` when the server cannot be reached.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors import sql_pool
from govdata.ingest.connectors.base import Capabilities, Connector, ConnectorConfig, ReadRequest, clean_names
from govdata.ingest.connectors.sql_types import Converter, arrow_type, coerce, is_integer, reflect

__all__ = ["Plan", "SqlConfig", "SqlConnector", "arrow_type", "engine_url"]

_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg", "mysql": "mysql+pymysql",
            "mariadb": "mariadb+pymysql"}  # fmt: skip


CURSOR_OVERLAP = dt.timedelta(seconds=1)


class SqlConfig(ConnectorConfig):
    url: str = Field(description="SQLAlchemy URL of the source database.")
    table: str = Field(description="Table (or view) to read.")
    schema_: str | None = Field(default=None, alias="schema", description="Database schema, if any.")
    batch_size: int = Field(default=50_000, ge=1, description="Rows fetched per round trip.")
    engine: Literal["auto", "adbc", "connectorx", "sqlalchemy"] = Field(
        default="auto",
        description="Read path: auto = ADBC for PostgreSQL, connectorx for MySQL/MariaDB, SQLAlchemy otherwise.",
    )
    parallel: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Concurrent range readers (0 = one per CPU); needs an integer key.",
    )
    partition_column: str | None = Field(
        default=None, description="Integer column the parallel ranges split on (default: the primary key)."
    )

    model_config = {"extra": "forbid", "populate_by_name": True}


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


@dataclasses.dataclass(frozen=True)
class Plan:
    """One read, resolved against the reflected table: what to select, filter, order and split on."""

    table: Any  # the reflected SQLAlchemy Table
    label: str  # the table's name in messages
    backend: str  # "postgresql", "mysql", "sqlite", …
    dialect: Any
    columns: list[Any]  # reflected Columns, in output order
    schema: pa.Schema  # the output schema (lake names and types)
    converters: list[Converter | None]
    filters: list[tuple[Any, str, Any, pa.Field]]  # (column, ">=" | "=", value, its field)
    order_by: Any | None
    limit: int | None
    partition: Any | None  # integer Column the parallel ranges split on
    parallel: int
    batch_size: int
    libpq_url: str
    cx_url: str
    safe_url: str

    def narrowed(self, columns: list[Any], *, order: bool = True) -> Plan:
        """The same read selecting only ``columns`` (and unordered unless ``order``)."""
        index = [next(i for i, c in enumerate(self.columns) if c is col) for col in columns]
        return dataclasses.replace(
            self,
            columns=columns,
            schema=pa.schema([self.schema.field(i) for i in index]),
            converters=[self.converters[i] for i in index],
            order_by=self.order_by if order else None,
        )


class SqlConnector(Connector):
    name = "sql"
    label = "ingest.connector.sql"
    Config = SqlConfig
    capabilities = Capabilities(
        incremental=True, upsert=True, delete_detection=True, lookup=True, partitioned=True
    )

    def __init__(self) -> None:
        self._open: dict[tuple[str, str | None, str], _Opened] = {}

    @contextmanager
    def opened(self, config: Any) -> Iterator[None]:
        """Within the block, ``schema`` and ``read`` of this table share one engine and one reflection."""
        cfg = self.parse_config(config)
        key = _key(cfg)
        if key in self._open:  # an outer block already holds it
            yield
            return
        from sqlalchemy import create_engine

        from govdata.ingest.connectors.sql_fast import EarlyConnection

        url = engine_url(cfg.url)
        # the read reuses the connection the reflection opened (MySQL's handshake is ~25 ms); a
        # server's engine also outlives the load, for the source's next one (sql_pool)
        kept = sql_pool.pooled(url)
        pin = _Opened(sql_pool.engine(url) if kept else create_engine(url, pool_size=1))
        if url.get_backend_name() == "postgresql" and cfg.engine in ("auto", "adbc"):
            pin.early = EarlyConnection(_libpq(url), pin.engine)  # opens while the table is reflected
        self._open[key] = pin
        try:
            yield
        finally:
            del self._open[key]
            if pin.early is not None:
                pin.early.close()
            if not kept:
                pin.engine.dispose()

    @contextmanager
    def _source(self, cfg: SqlConfig) -> Iterator[_Opened]:
        """Engine and reflected table: the ``opened`` block's, else made (and disposed) here."""
        pin = self._open.get(_key(cfg))
        if pin is not None:
            if pin.table is None:
                pin.table = self._reflect(pin.engine, cfg)
            yield pin
            return
        with self._engine(cfg) as engine:
            yield _Opened(engine, self._reflect(engine, cfg))

    @contextmanager
    def _engine(self, cfg: SqlConfig) -> Iterator[Any]:
        """The server's kept engine (``sql_pool``), else one made for the block and disposed after it."""
        from sqlalchemy import create_engine
        from sqlalchemy.pool import NullPool

        url = engine_url(cfg.url)
        if sql_pool.pooled(url):
            yield sql_pool.engine(url)
            return
        engine = create_engine(url, poolclass=NullPool)
        try:
            yield engine
        finally:
            engine.dispose()

    def _reflect(self, engine: Any, cfg: SqlConfig) -> Any:
        return reflect(engine, cfg.table, cfg.schema_, _safe_url(cfg.url))

    def _layout(self, table: Any) -> tuple[pa.Schema, list[Converter | None]]:
        names = clean_names([c.name for c in table.columns])
        types = [arrow_type(c.type) for c in table.columns]
        schema = pa.schema([pa.field(n, ty) for n, (ty, _) in zip(names, types, strict=True)])
        return schema, [conv for _, conv in types]

    def schema(self, config: Any) -> pa.Schema:
        cfg = self.parse_config(config)
        with self._source(cfg) as source:
            return self._layout(source.table)[0]

    def discover(self, config: Any) -> list[str]:
        from sqlalchemy import inspect
        from sqlalchemy.exc import OperationalError

        cfg = self.parse_config(config)
        with self._engine(cfg) as engine:
            try:
                inspector = inspect(engine)
                return sorted(inspector.get_table_names(schema=cfg.schema_))
            except OperationalError as exc:
                raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc

    def plan(self, cfg: SqlConfig, table: Any, dialect: Any, request: ReadRequest | None) -> Plan:
        """Resolve ``request`` (lake column names, raw values) against the reflected ``table``."""
        request = request or ReadRequest()
        schema, converters = self._layout(table)
        cols = list(table.columns)
        index = {name: i for i, name in enumerate(schema.names)}

        def position(name: str) -> int:
            if name in index:
                return index[name]
            raise InvalidInput("ingest.sql_column_not_found", table=cfg.table, column=name)

        filters: list[tuple[Any, str, Any, pa.Field]] = []
        if request.cursor_column is not None and request.cursor_value is not None:
            i = position(request.cursor_column)
            since = coerce(request.cursor_value, schema.field(i))
            if isinstance(since, dt.datetime):
                # Re-read a little before the last value: the runner merges by key, so repeats cost
                # nothing, while a source that stores times as text or at a coarser precision than
                # the bound parameter (SQLite's '2025-06-01 08:15:00' < '…08:15:00.000000') would
                # otherwise lose the rows that share the last cursor value.
                since -= CURSOR_OVERLAP
            filters.append((cols[i], ">=", since, schema.field(i)))
        for name, value in request.where_equals:
            i = position(name)
            filters.append((cols[i], "=", coerce(value, schema.field(i)), schema.field(i)))
        order_by = cols[position(request.cursor_column)] if request.cursor_column else None
        url = engine_url(cfg.url)
        backend = "mysql" if url.get_backend_name() in ("mysql", "mariadb") else url.get_backend_name()
        plan = Plan(
            table=table,
            label=cfg.table,
            backend=backend,
            dialect=dialect,
            columns=cols,
            schema=schema,
            converters=converters,
            filters=filters,
            order_by=order_by,
            limit=request.limit,
            partition=self._partition(cfg, table, index),
            parallel=cfg.parallel or os.cpu_count() or 1,
            batch_size=cfg.batch_size,
            libpq_url=_libpq(url),
            cx_url=url.set(drivername=backend, query={}).render_as_string(hide_password=False),
            safe_url=_safe_url(cfg.url),
        )
        if request.columns is not None:
            plan = plan.narrowed([cols[position(n)] for n in request.columns])
        return plan

    def _partition(self, cfg: SqlConfig, table: Any, index: Mapping[str, int]) -> Any | None:
        if cfg.partition_column is not None:
            name = cfg.partition_column
            col = table.columns.get(name)
            if col is None and name in index:
                col = list(table.columns)[index[name]]
            if col is None or not is_integer(col.type):
                raise InvalidInput(
                    "ingest.bad_config", connector=self.name, detail=f"partition_column: {name}"
                )
            return col
        keys = list(table.primary_key.columns)
        return keys[0] if len(keys) == 1 and is_integer(keys[0].type) else None

    def path(self, cfg: SqlConfig, plan: Plan) -> str:
        """The read path for ``plan``: ``adbc``, ``connectorx`` or ``sqlalchemy``."""
        from govdata.ingest.connectors import sql_fast

        engine = cfg.engine
        if engine == "auto":
            engine = {"postgresql": "adbc", "mysql": "connectorx"}.get(plan.backend, "sqlalchemy")
        if engine == "adbc" and plan.backend != "postgresql":
            raise InvalidInput(
                "ingest.bad_config", connector=self.name, detail="engine: adbc needs PostgreSQL"
            )
        if engine == "connectorx" and plan.backend not in ("postgresql", "mysql"):
            raise InvalidInput(
                "ingest.bad_config",
                connector=self.name,
                detail="engine: connectorx needs PostgreSQL or MySQL",
            )
        if engine == "connectorx" and not all(
            value is None or sql_fast.inline(op, value) for _, op, value, _ in plan.filters
        ):  # connectorx cannot bind; only a typed cursor is written into its SQL (``sql_fast.literal``)
            engine = "adbc" if plan.backend == "postgresql" else "sqlalchemy"
        return engine

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        """Batches of the table narrowed by ``request`` (with ``columns``: only those, in that order)."""
        from govdata.ingest.connectors import sql_fast

        cfg = self.parse_config(config)
        with self._source(cfg) as source:
            plan = self.plan(cfg, source.table, source.engine.dialect, request)
            path = self.path(cfg, plan)
            if path == "adbc":
                yield from sql_fast.read_adbc(plan, source.early)
            elif path == "connectorx":
                yield from sql_fast.read_connectorx(plan)
            else:
                yield from self._read_sqlalchemy(source.engine, cfg, plan)

    def _read_sqlalchemy(self, engine: Any, cfg: SqlConfig, plan: Plan) -> Iterator[pa.RecordBatch]:
        from sqlalchemy import select
        from sqlalchemy.exc import OperationalError

        stmt = select(*plan.columns)
        for col, op, value, _ in plan.filters:
            stmt = stmt.where(
                col.is_(None) if value is None else (col >= value if op == ">=" else col == value)
            )
        if plan.order_by is not None:
            stmt = stmt.order_by(plan.order_by)
        if plan.limit is not None:
            stmt = stmt.limit(plan.limit)
        with engine.connect() as conn:
            try:
                result = conn.execution_options(stream_results=True, yield_per=cfg.batch_size).execute(stmt)
            except OperationalError as exc:
                raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc
            for rows in result.partitions():
                yield self._batch(cfg, plan, rows)

    def _batch(self, cfg: SqlConfig, plan: Plan, rows: Sequence[Any]) -> pa.RecordBatch:
        columns = list(zip(*rows, strict=True))
        arrays = []
        for field, conv, values in zip(plan.schema, plan.converters, columns, strict=True):
            try:
                arrays.append(pa.array(conv(values) if conv else values, field.type))
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
                raise InvalidInput(
                    "ingest.sql_value", table=cfg.table, column=field.name, detail=str(exc)[:200]
                ) from exc
        return pa.RecordBatch.from_arrays(arrays, schema=plan.schema)

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


@dataclasses.dataclass
class _Opened:
    """What one ``opened`` block keeps: a pooled engine, the table once reflected, an early ADBC connection."""

    engine: Any
    table: Any = None
    early: Any = None  # sql_fast.EarlyConnection (PostgreSQL)


def _key(cfg: SqlConfig) -> tuple[str, str | None, str]:
    return (cfg.url, cfg.schema_, cfg.table)


def _libpq(url: Any) -> str:
    return str(url.set(drivername="postgresql").render_as_string(hide_password=False))
