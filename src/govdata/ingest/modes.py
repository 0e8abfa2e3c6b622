"""The load modes, without the metadata store: snapshot, incremental by cursor, upsert by key.

``load`` reads a connector through a ``Stream`` (schema check, row numbering, cursor filter, drift
reshaping, rejected rows, platform columns, progress) and commits it to the lake as ONE Delta commit:
an overwrite for a snapshot, a MERGE by key for incremental and upsert (with delete detection as
part of the same MERGE). A failure anywhere leaves the table at its previous version.

``load_to_lake`` is a snapshot without the metadata store (benchmarks, tests, one-off loads).

The incremental boundary: the connector is asked for ``cursor >= last`` (inclusive) and the runner
applies the same filter itself, so rows that share the last cursor value are re-read, and the MERGE
by key turns the repeats into updates — nothing lost, nothing duplicated.
Raises ``InvalidInput``: ``ingest.schema_mismatch``, ``ingest.reserved_column``,
``ingest.mode_needs_keys``, ``ingest.mode_needs_cursor``, ``ingest.unknown_column``,
``ingest.drift_rejected``, ``ingest.rows_rejected``; connector errors pass through.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from govdata.errors import GovdataError, InvalidInput
from govdata.ingest.connectors import INGESTED_AT, SOURCE_ROW, Connector, ReadRequest, get_connector
from govdata.ingest.drift import Plan, conform, describe, plan
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.models import LoadMode, RejectPolicy
from govdata.ingest.quarantine import Rejects
from govdata.lake import Lake, TableRef, WriteResult

INGESTED_AT_TYPE = pa.timestamp("us", tz="UTC")
NULL_KEY = "ingest.reject.null_key"
Progress = Callable[[int], None]
# judges a staged batch before load (governance's blocking rules): the rows that pass, the rest rejected
Gate = Callable[[pa.RecordBatch, pa.Array, Rejects], tuple[pa.RecordBatch, pa.Array]]


@dataclass(frozen=True)
class Spec:
    """What to load and how: the table's mode and policies, and the cursor reached so far."""

    mode: str = LoadMode.full
    keys: tuple[str, ...] = ()
    cursor_column: str | None = None
    cursor: str | None = None  # last cursor value, as text (see ``encode_cursor``)
    delete_detection: bool = False
    drift_policy: str = "evolve"
    reject_policy: str = RejectPolicy.commit_good


@dataclass
class Outcome:
    """What a load did (``written`` is None when nothing needed committing)."""

    plan: Plan
    rejects: Rejects
    written: WriteResult | None = None
    rows_read: int = 0
    bytes: int = 0
    cursor: str | None = None
    version: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def encode_cursor(value: Any, type_: pa.DataType) -> str | None:
    """A cursor value as text that ``decode_cursor`` turns back into the same Arrow value."""
    if value is None:
        return None
    return str(pc.cast(pa.scalar(value, type_), pa.string()).as_py())


def decode_cursor(text: str | None, type_: pa.DataType) -> pa.Scalar | None:
    if text is None:
        return None
    return pc.cast(pa.scalar(text, pa.string()), type_)


class Stream:
    """The connector's batches on their way to the lake, checked, reshaped and counted."""

    def __init__(
        self,
        connector: Connector,
        config: Any,
        declared: pa.Schema,
        plan_: Plan,
        rejects: Rejects,
        *,
        request: ReadRequest | None = None,
        cursor_column: str | None = None,
        cursor_floor: pa.Scalar | None = None,
        keys: tuple[str, ...] = (),
        progress: Progress | None = None,
        fail_on_reject: bool = False,
        table: str = "",
        gate: Gate | None = None,
    ) -> None:
        self.connector, self.config, self.declared, self.plan = connector, config, declared, plan_
        self.rejects, self.request = rejects, request
        self.cursor_column, self.cursor_floor, self.keys = cursor_column, cursor_floor, keys
        self.progress, self.fail_on_reject, self.table = progress, fail_on_reject, table
        self.gate = gate
        self.now = dt.datetime.now(dt.UTC)
        self.rows = 0
        self.bytes = 0
        self.cursor_max: Any = None
        self.schema = pa.schema(
            [*plan_.target, pa.field(SOURCE_ROW, pa.int64()), pa.field(INGESTED_AT, INGESTED_AT_TYPE)]
        )

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        own_row = SOURCE_ROW in self.declared.names
        stamp = pa.scalar(self.now, INGESTED_AT_TYPE)
        for batch in self.connector.read(self.config, self.request):
            if not batch.schema.equals(self.declared):
                raise InvalidInput(
                    "ingest.schema_mismatch",
                    connector=self.connector.name,
                    detail=f"{batch.schema.names} != {self.declared.names}",
                )
            n = batch.num_rows
            if own_row:
                rows = batch.column(SOURCE_ROW)
            else:
                rows = pc.add(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n)), self.rows)
            self.rows += n
            self.bytes += batch.nbytes
            batch, rows = self._after_cursor(batch, rows)
            batch, keep = conform(batch, self.plan, self.rejects, rows)
            if keep is not None:
                rows = rows.filter(keep)
            batch, rows = self._with_keys(batch, rows)
            if self.gate is not None:
                batch, rows = self.gate(batch, rows, self.rejects)
            arrays = [*batch.columns, rows, pa.repeat(stamp, batch.num_rows)]
            if self.progress is not None:
                self.progress(self.rows)
            yield pa.RecordBatch.from_arrays(arrays, schema=self.schema)
        if self.fail_on_reject and len(self.rejects):
            raise InvalidInput("ingest.rows_rejected", table=self.table, count=len(self.rejects))

    def _after_cursor(self, batch: pa.RecordBatch, rows: pa.Array) -> tuple[pa.RecordBatch, pa.Array]:
        if self.cursor_column is None:
            return batch, rows
        values = batch.column(self.cursor_column)
        if self.cursor_floor is not None:
            mask = pc.fill_null(pc.greater_equal(values, self.cursor_floor), False)
            batch, rows, values = batch.filter(mask), rows.filter(mask), values.filter(mask)
        top = pc.max(values).as_py()
        if top is not None and (self.cursor_max is None or top > self.cursor_max):
            self.cursor_max = top
        return batch, rows

    def _with_keys(self, batch: pa.RecordBatch, rows: pa.Array) -> tuple[pa.RecordBatch, pa.Array]:
        """Rows without a value in a key column cannot be merged: they are rejected."""
        if not self.keys:
            return batch, rows
        missing = None
        for key in self.keys:
            null = pc.is_null(batch.column(key))
            missing = null if missing is None else pc.or_(missing, null)
        if missing is None or not pc.any(missing).as_py():
            return batch, rows
        self.rejects.add_rows(batch.filter(missing), rows.filter(missing), NULL_KEY, ",".join(self.keys))
        keep = pc.invert(missing)
        return batch.filter(keep), rows.filter(keep)


def _check(spec: Spec, declared: pa.Schema, table: str) -> None:
    if INGESTED_AT in declared.names or (
        SOURCE_ROW in declared.names and declared.field(SOURCE_ROW).type != pa.int64()
    ):
        raise InvalidInput("ingest.reserved_column", column=INGESTED_AT)
    if spec.mode in (LoadMode.incremental, LoadMode.upsert) and not spec.keys:
        raise InvalidInput("ingest.mode_needs_keys", table=table, mode=spec.mode)
    if spec.mode == LoadMode.incremental and not spec.cursor_column:
        raise InvalidInput("ingest.mode_needs_cursor", table=table)
    for name in (*spec.keys, *([spec.cursor_column] if spec.cursor_column else [])):
        if name not in declared.names:
            raise InvalidInput("ingest.unknown_column", table=table, column=name)


def load(
    lake: Lake,
    ref: TableRef,
    connector: Connector,
    config: Any,
    spec: Spec,
    *,
    full: bool = False,
    progress: Progress | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    rejects: Rejects | None = None,
    gate: Gate | None = None,
) -> Outcome:
    """Load one table per ``spec`` as one Delta commit; ``full`` forces a snapshot.

    With ``rejects``, connectors report unparseable rows there (they are skipped); without, such
    rows fail the read as before. Rows failing a cast or lacking a key always go to the collector, and
    so do the rows ``gate`` (blocking quality rules) rejects from a staged batch.
    """
    if rejects is not None:
        connector.reject = rejects.add  # type: ignore[attr-defined]  # file connectors report bad rows here
    else:
        rejects = Rejects()
    with connector.opened(config):  # the schema checked for drift is the one the read uses
        return _load(lake, ref, connector, config, spec, full, progress, on_plan, rejects, gate)


def _load(
    lake: Lake,
    ref: TableRef,
    connector: Connector,
    config: Any,
    spec: Spec,
    full: bool,
    progress: Progress | None,
    on_plan: Callable[[Plan], None] | None,
    rejects: Rejects,
    gate: Gate | None,
) -> Outcome:
    declared = connector.schema(config)
    _check(spec, declared, ref.key)
    snapshot = full or spec.mode == LoadMode.full
    exists = lake.exists(ref)
    plan_ = plan(declared, lake.schema(ref) if exists else None, spec.drift_policy, replace=snapshot)
    if on_plan is not None:
        on_plan(plan_)
    if plan_.rejected:
        raise InvalidInput("ingest.drift_rejected", table=ref.key, changes=describe(plan_.changes))
    cursor_col = spec.cursor_column if spec.cursor_column in declared.names else None
    floor = None
    request = None
    if not snapshot and spec.mode == LoadMode.incremental and spec.cursor is not None and cursor_col:
        floor = decode_cursor(spec.cursor, declared.field(cursor_col).type)
        request = ReadRequest(cursor_column=cursor_col, cursor_value=floor.as_py())
    stream = Stream(
        connector, config, declared, plan_, rejects, request=request, cursor_column=cursor_col,
        cursor_floor=floor, keys=() if snapshot else spec.keys, progress=progress,
        fail_on_reject=spec.reject_policy == RejectPolicy.reject_run, table=ref.key, gate=gate,
    )  # fmt: skip
    outcome = Outcome(plan=plan_, rejects=rejects)
    try:
        if snapshot:
            outcome.written = lake.write(ref, iter(stream), schema=stream.schema, mode="overwrite")
        else:
            outcome.written = _merge(lake, ref, connector, config, spec, stream, exists)
    finally:
        outcome.rows_read, outcome.bytes = stream.rows, stream.bytes
    if cursor_col:
        top = stream.cursor_max
        outcome.cursor = (
            encode_cursor(top, declared.field(cursor_col).type) if top is not None else spec.cursor
        )
    outcome.version = outcome.written.version if outcome.written else (lake.version(ref) if exists else None)
    return outcome


def _merge(
    lake: Lake, ref: TableRef, connector: Connector, config: Any, spec: Spec, stream: Stream, exists: bool
) -> WriteResult | None:
    """MERGE the stream by key; the lake stages it on disk, so memory stays bounded at any size."""
    delete = spec.delete_detection and exists
    present = None
    if delete and spec.mode == LoadMode.incremental:  # read before the stream starts: one read at a time
        present = current_keys(connector, config, spec.keys, stream.schema)
    data: Iterator[pa.RecordBatch] = iter(stream)
    if not delete:
        first = next((batch for batch in data if batch.num_rows), None)
        if first is None:  # an empty read commits nothing
            return None
        data = itertools.chain([first], data)
    return lake.merge(
        ref,
        data,
        spec.keys,
        delete_missing=delete,
        present_keys=present,
        schema=stream.schema,
        evolve=stream.plan.evolve_schema,
    )


def current_keys(connector: Connector, config: Any, keys: tuple[str, ...], schema: pa.Schema) -> pa.Table:
    """Every key the source holds now: a key-only read where the connector can, else projected."""
    wanted = pa.schema([schema.field(k) for k in keys])
    request = ReadRequest(columns=keys) if connector.capabilities.delete_detection else None
    parts = [batch.select(list(keys)).cast(wanted) for batch in connector.read(config, request)]
    return pa.Table.from_batches(parts, schema=wanted)


@dataclass(frozen=True)
class LoadResult:
    """What one load wrote: the lake version, row and byte counts, how long it took."""

    table: str
    version: int
    rows_read: int
    rows_written: int
    bytes: int
    duration_ms: int
    schema: pa.Schema


def load_to_lake(
    lake: Lake,
    dept_code: str,
    lake_table: str,
    connector_name: str,
    config: Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
) -> LoadResult:
    """Replace ``raw.<dept_code>.<lake_table>`` with everything the source holds now.

    Raises ``InvalidInput``/``TransientError`` from the connector, ``GovdataError("ingest.failed")``
    for anything unexpected; in every failure case the table keeps its previous version.
    """
    started = time.monotonic()
    ref = TableRef("raw", dept_code, lake_table)
    try:
        connector = get_connector(connector_name)
        cfg = connector.parse_config(config)
        outcome = load(lake, ref, connector, cfg, Spec(), full=True)
    except GovdataError:
        raise
    except Exception as exc:
        raise as_govdata_error(exc, ref.key) from exc
    written = outcome.written
    assert written is not None  # a snapshot always commits
    return LoadResult(
        table=ref.key,
        version=written.version,
        rows_read=outcome.rows_read,
        rows_written=written.rows,
        bytes=outcome.bytes,
        duration_ms=int((time.monotonic() - started) * 1000),
        schema=lake.schema(ref),
    )
