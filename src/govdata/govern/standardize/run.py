"""Run a table's standardization: raw table → ``std`` table, one DuckDB statement, one Delta commit.

``standardize`` reads the raw table's current version, checks the spec (the saved one, else the
one given, else the suggested one) against its columns, runs the compiled statement and writes
its batches as one overwrite commit of ``std.<dept>.<table>`` — a spec that fails its check, or a
statement that fails half-way, leaves the std table as it was. While the batches stream to the
lake their flag columns are summed (Arrow compute, per batch) into the report: rows in and out,
duplicates removed, and per std column the values changed and those that could not be
normalized (NULL in std, row kept). The run is audited (``std.standardized``), its column lineage
recorded (kind ``standardize``, one edge per std column, transform = the normalizer) and its
report kept on the table's spec record. Needs ``standards.manage``. Raises ``InvalidInput``
(``govern.std.*``), ``NotFound`` (``govern.std.no_table``, ``lake.table_not_found``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import NotFound
from govdata.govern.library import code_lookup
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.govern.models import CodeTable
from govdata.govern.standardize.compile import Compiled, compile_spec
from govdata.govern.standardize.models import StdSpecRecord
from govdata.govern.standardize.spec import StdSpec, check_spec
from govdata.govern.standardize.suggest import suggest_spec
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

if TYPE_CHECKING:
    from govdata.catalog.models import Resource

BATCH_ROWS = 128 * 1024


class ColumnReport(BaseModel):
    target: str
    source: str
    normalizer: str | None
    changed: int  # std value differs from the raw text
    unparseable: int  # non-blank raw value without a std form: NULL in std


class StdReport(BaseModel):
    source_table: str
    target_table: str
    source_version: int
    target_version: int
    spec_version: int  # 0: the suggested spec (none saved)
    rows_in: int
    rows_out: int
    duplicates_removed: int
    columns: list[ColumnReport]
    seconds: float


def resolve(target: Resource | TableRef) -> tuple[TableRef, Resource | None]:
    """The raw table of a catalogued resource (or the ref itself)."""
    if isinstance(target, TableRef):
        return target, None
    if not target.lake_table:
        raise NotFound("govern.std.no_table", resource=target.code)
    return TableRef.parse(target.lake_table), target


def spec_record(session: Session, ref: TableRef) -> StdSpecRecord | None:
    return session.execute(
        select(StdSpecRecord).where(StdSpecRecord.table_key == ref.key)
    ).scalar_one_or_none()


def code_table_codes(session: Session) -> list[str]:
    return list(session.execute(select(CodeTable.code).order_by(CodeTable.code)).scalars())


def bindings(resource: Resource | None) -> tuple[dict[str, str], str | None]:
    """The catalog items' element bindings (column → element) and the resource's key column."""
    if resource is None:
        return {}, None
    return {i.column: i.element for i in resource.items if i.element}, resource.key_column


def effective_spec(
    session: Session, lake: Lake, ref: TableRef, resource: Resource | None
) -> tuple[StdSpec, int]:
    """The saved spec of ``ref`` and its version, else the suggested one (version 0)."""
    record = spec_record(session, ref)
    if record is not None and record.spec is not None:
        return StdSpec.model_validate(record.spec), record.version
    bound, key = bindings(resource)
    return suggest_spec(session, lake, ref, bound, key), 0


def standardize(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    target: Resource | TableRef,
    spec: StdSpec | None = None,
) -> StdReport:
    """Write ``std`` from ``raw`` for ``target`` by ``spec`` (default: saved, else suggested)."""
    actor.require(Permission.STANDARDS_MANAGE)
    started = time.perf_counter()
    ref, resource = resolve(target)
    version = lake.version(ref)
    spec_version = 0
    if spec is None:
        spec, spec_version = effective_spec(session, lake, ref, resource)
    columns = lake.schema(ref).names
    check_spec(spec, ref.key, columns, code_table_codes(session))
    lookups = {s.code_table: code_lookup(session, s.code_table) for s in spec.columns if s.code_table}
    compiled = compile_spec(spec, columns, lookups)
    std_ref = TableRef("std", ref.dept, ref.table)
    rows_in, rows_out, counts, written = _execute(lake, ref, version, std_ref, compiled)
    report = StdReport(
        source_table=ref.key,
        target_table=std_ref.key,
        source_version=version,
        target_version=written,
        spec_version=spec_version,
        rows_in=rows_in,
        rows_out=rows_out,
        duplicates_removed=rows_in - rows_out,
        columns=[
            ColumnReport(target=s.target, source=s.source, normalizer=s.normalizer, changed=c, unparseable=b)
            for s, (c, b) in zip(spec.columns, counts, strict=True)
        ],
        seconds=round(time.perf_counter() - started, 3),
    )
    _keep(session, ref, resource, report)
    record_lineage(
        session,
        job=f"standardize {ref.key}",
        kind="standardize",
        inputs=[ref.key],
        outputs=[std_ref.key],
        column_edges=[
            ColumnEdge(ref.key, s.source, std_ref.key, s.target, s.normalizer) for s in spec.columns
        ],
        version=written,
    )
    audit.record(
        session,
        actor,
        "std.standardized",
        target=f"table:{std_ref.key}",
        rows=rows_out,
        detail={
            "source": ref.key,
            "source_version": version,
            "version": written,
            "spec_version": spec_version,
        },
    )
    return report


def _execute(
    lake: Lake, ref: TableRef, version: int, std_ref: TableRef, compiled: Compiled
) -> tuple[int, int, list[tuple[int, int]], int]:
    """Run the statement and write its rows as one commit; (rows in, rows out, flag sums, version)."""
    import duckdb

    con = duckdb.connect()
    try:
        lake.register(con, "raw", ref, version)
        rows_in = int(con.sql("SELECT count(*) FROM raw").fetchall()[0][0])
        reader = con.sql(compiled.sql, params=compiled.params).to_arrow_reader(BATCH_ROWS)
        schema = pa.schema([reader.schema.field(name) for name in compiled.output])
        sums = [[0, 0] for _ in compiled.flags]
        out = [0]

        def batches() -> Iterator[pa.RecordBatch]:
            for batch in reader:
                for total, (changed, bad) in zip(sums, compiled.flags, strict=True):
                    total[0] += pc.sum(batch.column(changed)).as_py() or 0
                    total[1] += pc.sum(batch.column(bad)).as_py() or 0
                out[0] += batch.num_rows
                yield pa.RecordBatch.from_arrays([batch.column(n) for n in compiled.output], schema=schema)

        written = lake.write(std_ref, batches(), schema=schema, mode="overwrite")
    finally:
        con.close()
    return rows_in, out[0], [(c, b) for c, b in sums], written.version


def _keep(session: Session, ref: TableRef, resource: Resource | None, report: StdReport) -> None:
    record = spec_record(session, ref)
    if record is None:
        record = StdSpecRecord(table_key=ref.key, resource_id=resource.id if resource else None, version=0)
        session.add(record)
    record.last_report = report.model_dump(mode="json")
    record.last_run_at = utcnow()
    session.flush()
