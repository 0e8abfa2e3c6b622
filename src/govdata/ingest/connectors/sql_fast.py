"""Arrow-native read paths of the ``sql`` connector: PostgreSQL through ADBC, MySQL/MariaDB (and
PostgreSQL on request) through connectorx — no Python object per value.

Both take a ``Plan`` (columns, filters, order, limit, partition column) from ``sql.py`` and yield
batches already conformed to the declared schema. Identifiers are quoted by the SQLAlchemy dialect;
request values are bound parameters (ADBC). connectorx cannot bind, so ``sql.py`` sends it no
lookup value; what it writes into SQL text is only what ``literal`` formats from a typed Python
value — integer range bounds and limits, and an incremental cursor that is an integer, a date or a
naive timestamp (a text or decimal cursor goes through bound parameters instead). Partitioned reads split an integer column's ``[min, max]`` into ranges:
on PostgreSQL each range runs on its own ADBC connection in a thread, all sharing one exported
snapshot (a consistent read), and batches are yielded as they arrive through a bounded queue; on
MySQL/MariaDB connectorx runs the ranges itself (``partition_on``).
Raises ``TransientError("ingest.source_unavailable")`` when a connection fails,
``GovdataError("ingest.failed")`` for a driver failure mid-read, ``InvalidInput("ingest.sql_value")``
from ``conform``.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govdata.errors import GovdataError, TransientError
from govdata.ingest.connectors import sql_pool
from govdata.ingest.connectors.sql_types import conform, needs_text

if TYPE_CHECKING:
    from govdata.ingest.connectors.sql import Plan

_SNAPSHOT = re.compile(r"^[0-9A-Fa-f-]+$")
_QUEUE_PER_READER = 2  # batches buffered per reader: bounds memory to a few batches per range
# COPY batches of ~4 MB instead of the driver's 16 MB: the writer starts sooner and waits less at the
# end, and the parse stays in cache (1M people rows: 1.12-1.16 -> 1.04-1.07 s CPU for the whole load)
ADBC_BATCH_BYTES = 4 << 20


Bounds = tuple[int, int, bool] | None  # (low, high, last) of a partition range; None = every row


def select_text(
    plan: Plan, *, bind: bool, bounds: Bounds = None, nulls: bool = False
) -> tuple[str, list[Any]]:
    """The SELECT for ``plan`` and its parameter values (``$n`` placeholders when ``bind``).

    An incremental cursor that ``literal`` can write (an integer, a date, a naive timestamp) is
    written into the text either way: a query without parameters is one that ADBC reads through
    COPY (a 10k-row increment: 21 instead of 33 ms), and connectorx cannot bind at all.
    ``bounds`` = (low, high, last): rows with ``low <= partition < high`` (``<= high`` when last);
    ``nulls``: only rows whose partition column is NULL (which no range includes).
    """
    prep = plan.dialect.identifier_preparer
    text_type = "TEXT" if plan.backend == "postgresql" else "CHAR"
    exprs = []
    for col in plan.columns:
        quoted = prep.quote(col.name)
        exprs.append(f"CAST({quoted} AS {text_type}) AS {quoted}" if needs_text(col.type) else quoted)
    where: list[str] = []
    params: list[Any] = []
    for col, op, value, field in plan.filters:
        left = prep.quote(col.name)
        if value is None:
            where.append(f"{left} IS NULL")
            continue
        if inline(op, value):
            where.append(f"{left} >= {literal(value)}")
            continue
        if not bind:
            raise ValueError("a plan with lookup or text values needs bound parameters")
        params.append(value)
        placeholder = f"${len(params)}"
        if pa.types.is_decimal(field.type):
            placeholder = f"CAST({placeholder} AS NUMERIC)"
        elif needs_text(col.type):
            left = f"CAST({left} AS {text_type})"
        where.append(f"{left} {op} {placeholder}")
    if bounds is not None and plan.partition is not None:
        low, high, last = int(bounds[0]), int(bounds[1]), bool(bounds[2])
        key = prep.quote(plan.partition.name)
        where.append(f"{key} >= {low} AND {key} {'<=' if last else '<'} {high}")
    if nulls and plan.partition is not None:
        where.append(f"{prep.quote(plan.partition.name)} IS NULL")
    sql = f"SELECT {', '.join(exprs)} FROM {prep.format_table(plan.table)}"  # noqa: S608 - quoted identifiers
    if where:
        sql += " WHERE " + " AND ".join(where)
    if plan.order_by is not None:
        sql += f" ORDER BY {prep.quote(plan.order_by.name)}"
    if plan.limit is not None:
        sql += f" LIMIT {int(plan.limit)}"
    return sql, params


def inline(op: str, value: Any) -> bool:
    """Whether ``select_text`` writes this filter's value into the SQL text (a cursor ``literal`` can write)."""
    return op == ">=" and literal_safe(value)


def literal_safe(value: Any) -> bool:
    """Whether ``literal`` can write ``value`` into SQL: an integer, a date or a naive timestamp."""
    if isinstance(value, dt.datetime):
        return value.tzinfo is None
    return isinstance(value, dt.date) or (isinstance(value, int) and not isinstance(value, bool))


def literal(value: Any) -> str:
    """``value`` (see ``literal_safe``) as an SQL literal, formatted from the typed value, never from text."""
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ', timespec='microseconds')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return str(int(value))


def ranges(low: int, high: int, parts: int) -> list[tuple[int, int, bool]]:
    """``[low, high]`` cut into at most ``parts`` contiguous integer ranges (the last one closed)."""
    span = high - low + 1
    parts = max(1, min(parts, span))
    step = -(-span // parts)
    cuts = [low + i * step for i in range(parts) if low + i * step <= high]
    return [(c, cuts[i + 1] if i + 1 < len(cuts) else high, i + 1 == len(cuts)) for i, c in enumerate(cuts)]


# ---------------------------------------------------------------- PostgreSQL through ADBC


def _adbc_connect(plan: Plan) -> Any:
    import adbc_driver_manager
    import adbc_driver_postgresql.dbapi as adbc

    try:
        return adbc.connect(plan.libpq_url)
    except adbc_driver_manager.Error as exc:
        raise TransientError("ingest.source_unavailable", source=plan.safe_url) from exc


class EarlyConnection:
    """An ADBC connection opened in a thread while the load reflects the table (or the one the
    source's previous load left in ``sql_pool``, checked there over ``engine``), handed to one read at
    a time: libpq's handshake and the driver's type query (~40 ms) are not waited for in turn.

    A connection that fails to open is dropped: the read then connects itself and reports the error.
    """

    def __init__(self, libpq_url: str, engine: Any) -> None:
        self._lock = threading.Lock()
        self._conn: Any = None
        self._backend: sql_pool.Backend | None = None
        self._closed = False
        self._url = libpq_url
        self._thread = threading.Thread(
            target=self._open, args=(libpq_url, engine), name="adbc-connect", daemon=True
        )
        self._thread.start()

    def _open(self, url: str, engine: Any) -> None:
        import adbc_driver_postgresql.dbapi as adbc

        kept = sql_pool.take_adbc(url, engine)
        if kept is not None:  # the connection a previous load of this source left, still served
            conn, self._backend = kept
        else:
            try:
                conn = adbc.connect(url)
            except Exception:  # noqa: BLE001 - see the class docstring
                return
            self._backend = sql_pool.backend(conn)
        self.give_back(conn, fresh=True)

    def take(self) -> Any | None:
        """The connection (None when it could not be opened or another read holds it)."""
        self._thread.join()
        with self._lock:
            conn, self._conn = self._conn, None
        return conn

    def give_back(self, conn: Any, *, fresh: bool = False) -> None:
        """Keep ``conn`` for the next read (its transaction ended), or close it once the load is over."""
        try:
            if not fresh:
                conn.rollback()
        except Exception:  # noqa: BLE001 - a connection that cannot roll back is not reused
            conn.close()
            return
        with self._lock:
            keep = not self._closed
            if keep:
                self._conn = conn
        if not keep:
            conn.close()

    def close(self) -> None:
        """End the load: an idle connection is kept for the source's next load (``sql_pool``); one
        still opening closes itself when it arrives, one lent to a failed read was closed by it."""
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
        if conn is None:
            return
        if self._backend is None:  # not kept: its server process is unknown
            conn.close()
        else:
            sql_pool.keep_adbc(self._url, sql_pool.Kept(conn, self._backend))


def _param_batch(plan: Plan, params: list[Any]) -> pa.RecordBatch:
    arrays = []
    bound = [field for _, op, value, field in plan.filters if value is not None and not inline(op, value)]
    for field, value in zip(bound, params, strict=True):
        ty = pa.string() if pa.types.is_decimal(field.type) else field.type
        arrays.append(pa.array([str(value) if ty == pa.string() else value], ty))
    return pa.RecordBatch.from_arrays(arrays, names=[f"p{i}" for i in range(len(arrays))])


def _adbc_batches(
    plan: Plan, conn: Any, bounds: Bounds = None, nulls: bool = False
) -> Iterator[pa.RecordBatch]:
    import adbc_driver_manager

    sql, params = select_text(plan, bind=True, bounds=bounds, nulls=nulls)
    cursor = conn.cursor()
    try:
        cursor.adbc_statement.set_options(**{"adbc.postgresql.batch_size_hint_bytes": str(ADBC_BATCH_BYTES)})
        cursor.execute(sql, _param_batch(plan, params) if params else None)
        reader = cursor.fetch_record_batch()
        for batch in reader:
            # a bound query arrives as one batch: hand it on in batch_size slices
            for offset in range(0, batch.num_rows, plan.batch_size):
                yield conform(batch.slice(offset, plan.batch_size), plan.schema, plan.label)
    except adbc_driver_manager.Error as exc:
        raise GovdataError("ingest.failed", table=plan.label, detail=str(exc).splitlines()[0][:300]) from exc
    finally:
        cursor.close()


def _scalar_row(conn: Any, sql: str, plan: Plan, params: list[Any]) -> tuple[Any, ...]:
    cursor = conn.cursor()
    try:
        cursor.execute(sql, _param_batch(plan, params) if params else None)
        return tuple(cursor.fetchone() or ())
    finally:
        cursor.close()


def read_adbc(plan: Plan, early: EarlyConnection | None = None) -> Iterator[pa.RecordBatch]:
    """Batches of ``plan`` from PostgreSQL over ADBC (COPY binary), in ``plan.parallel`` ranges;
    on ``early``'s connection when it has one (given back after a complete read)."""
    conn = early.take() if early is not None else None
    lent = conn is not None
    if conn is None:
        conn = _adbc_connect(plan)
    complete = False
    try:
        yield from _read_adbc(plan, conn)
        complete = True
    finally:
        if lent and complete and early is not None:
            early.give_back(conn)
        else:
            conn.close()


def _read_adbc(plan: Plan, conn: Any) -> Iterator[pa.RecordBatch]:
    if plan.parallel <= 1 or plan.partition is None:
        yield from _adbc_batches(plan, conn, None)
        return
    _scalar_row(conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", plan, [])
    (snapshot,) = _scalar_row(conn, "SELECT pg_export_snapshot()", plan, [])
    low, high = _min_max(plan, conn)
    if low is None or high is None:
        yield from _adbc_batches(plan, conn, None)
        return
    if plan.partition.nullable:
        yield from _adbc_batches(plan, conn, nulls=True)

    def job(bounds: Bounds) -> Callable[[], Iterator[pa.RecordBatch]]:
        def run() -> Iterator[pa.RecordBatch]:
            worker = _adbc_connect(plan)
            try:
                if _SNAPSHOT.match(str(snapshot)):
                    _scalar_row(worker, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", plan, [])
                    _scalar_row(worker, f"SET TRANSACTION SNAPSHOT '{snapshot}'", plan, [])
                yield from _adbc_batches(plan, worker, bounds)
            finally:
                worker.close()

        return run

    yield from threaded([job(b) for b in ranges(int(low), int(high), plan.parallel)])


def _min_max(plan: Plan, conn: Any) -> tuple[Any, Any]:
    assert plan.partition is not None
    keys = plan.narrowed([plan.partition], order=False)
    sql, params = select_text(keys, bind=True)
    key = plan.dialect.identifier_preparer.quote(plan.partition.name)
    row = _scalar_row(conn, f"SELECT MIN({key}), MAX({key}) FROM ({sql}) AS r", plan, params)  # noqa: S608
    return row[0], row[1]


def threaded(jobs: list[Callable[[], Iterator[pa.RecordBatch]]]) -> Iterator[pa.RecordBatch]:
    """Run each job in its own thread; yield their batches as they arrive; re-raise the first error."""
    done = object()
    inbox: queue.Queue[Any] = queue.Queue(maxsize=_QUEUE_PER_READER * len(jobs))
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                inbox.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work(job: Callable[[], Iterator[pa.RecordBatch]]) -> None:
        try:
            for batch in job():
                if not put(batch):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            put(exc)
        finally:
            put(done)

    threads = [threading.Thread(target=work, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    try:
        remaining = len(threads)
        while remaining:
            item = inbox.get()
            if item is done:
                remaining -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


# ---------------------------------------------------------------- connectorx


def read_connectorx(plan: Plan) -> Iterator[pa.RecordBatch]:
    """Batches of ``plan`` (no request values) through connectorx, streamed as Arrow record batches."""
    import connectorx as cx

    sql, _ = select_text(plan, bind=False)
    kwargs: dict[str, Any] = {"return_type": "arrow_stream", "batch_size": plan.batch_size}
    key = plan.partition
    if (
        plan.parallel > 1
        and key is not None
        and not key.nullable  # connectorx's ranges would drop rows whose key is NULL
        and any(c is key for c in plan.columns)  # it partitions the query's output
        and plan.limit is None
        and plan.order_by is None
    ):
        kwargs.update(partition_on=key.name, partition_num=plan.parallel)
    try:
        reader = cx.read_sql(plan.cx_url, sql, **kwargs)
        for batch in reader:
            yield conform(batch, plan.schema, plan.label)
    except (GeneratorExit, KeyboardInterrupt, SystemExit):
        raise
    except GovdataError:
        raise
    except BaseException as exc:  # noqa: BLE001 - connectorx raises Rust panics as BaseException
        detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        if "connect" in detail.lower() or "timed out" in detail.lower():
            raise TransientError("ingest.source_unavailable", source=plan.safe_url) from exc
        raise GovdataError("ingest.failed", table=plan.label, detail=detail) from exc
