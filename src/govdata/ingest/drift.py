"""Schema drift: columns added, removed or retyped at the source, and what a table's policy does.

``compare`` diffs the connector's schema with the lake table's (the platform's ``_source_row`` and
``_ingested_at`` are ignored). ``plan`` applies the table's ``DriftPolicy``:

- ``evolve``: new columns are added; removed columns stay in the lake, null for new rows; a retyped
  column takes the new type on a snapshot, and is cast to the lake's type on a merge (Delta cannot
  change a column's type in place) — rows that do not cast are rejected;
- ``freeze``: the lake's columns are kept: new columns dropped, removed ones null, retyped ones cast
  to the lake type (rows that fail the cast are rejected rows);
- ``reject``: the run fails with ``InvalidInput("ingest.drift_rejected")`` listing the changes and the
  lake is unchanged.

``conform`` reshapes each batch to the planned schema; ``record`` writes every change as a
``SchemaChange`` with the action taken. ``TABLE_GONE`` lists the connector codes meaning the source
table or file has disappeared (recorded as ``table_dropped``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.ingest.connectors.base import RESERVED_COLUMNS
from govdata.ingest.models import DriftPolicy, IngestRun, SchemaChange, SourceTable
from govdata.ingest.quarantine import Rejects

TABLE_GONE = frozenset(
    {"ingest.sql_table_not_found", "ingest.file_not_found", "ingest.excel_sheet_not_found"}
)
CAST_FAILED = "ingest.reject.cast"


@dataclass(frozen=True)
class ColumnChange:
    kind: str  # added / removed / retyped
    column: str
    old_type: str | None = None
    new_type: str | None = None

    def describe(self) -> str:
        if self.kind == "retyped":
            return f"{self.kind} {self.column} {self.old_type}→{self.new_type}"
        return f"{self.kind} {self.column}"


@dataclass
class Plan:
    """How batches are reshaped: the user columns written, casts that may reject rows, the actions."""

    target: pa.Schema
    casts: dict[str, pa.DataType] = field(default_factory=dict)
    actions: list[tuple[ColumnChange, str]] = field(default_factory=list)
    rejected: bool = False
    evolve_schema: bool = False

    @property
    def changes(self) -> list[ColumnChange]:
        return [c for c, _ in self.actions]


def user_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` without the platform's columns."""
    return pa.schema([f for f in schema if f.name not in RESERVED_COLUMNS])


def compare(source: pa.Schema, lake: pa.Schema | None) -> list[ColumnChange]:
    """Added, removed and retyped columns of ``source`` relative to ``lake`` (none if no lake table)."""
    if lake is None:
        return []
    src, old = user_schema(source), user_schema(lake)
    changes = [ColumnChange("added", f.name, None, str(f.type)) for f in src if f.name not in old.names]
    # a lake-only ``_`` column was added by the platform (a push batch id …), not removed at the source
    changes += [
        ColumnChange("removed", f.name, str(f.type), None)
        for f in old
        if f.name not in src.names and not f.name.startswith("_")
    ]
    for f in src:
        if f.name in old.names and not old.field(f.name).type.equals(f.type):
            changes.append(ColumnChange("retyped", f.name, str(old.field(f.name).type), str(f.type)))
    return changes


def plan(source: pa.Schema, lake: pa.Schema | None, policy: str, *, replace: bool) -> Plan:
    """The plan for a run reading ``source`` into a table now shaped ``lake``.

    ``replace`` is true for a snapshot (the lake table is rewritten), false for a merge.
    """
    src = user_schema(source)
    changes = compare(source, lake)
    if lake is None:
        return Plan(target=src)
    old = user_schema(lake)
    if not changes:
        kept = [] if replace else [f for f in old if f.name not in src.names]  # platform ``_`` columns
        return Plan(target=pa.schema([*src, *kept]))
    if policy == DriftPolicy.reject:
        return Plan(target=old, actions=[(c, "rejected") for c in changes], rejected=True)
    if policy == DriftPolicy.freeze:
        casts = {c.column: old.field(c.column).type for c in changes if c.kind == "retyped"}
        return Plan(target=old, casts=casts, actions=[(c, "frozen") for c in changes])
    # evolve: the source's columns (new ones included), then the removed ones kept as null
    fields, casts, actions = [], {}, []
    for f in src:
        if f.name in old.names and not old.field(f.name).type.equals(f.type) and not replace:
            fields.append(old.field(f.name))
            casts[f.name] = old.field(f.name).type
        else:
            fields.append(f)
    fields += [f for f in old if f.name not in src.names]
    for c in changes:
        actions.append((c, "cast_to_lake" if c.column in casts else "evolved"))
    evolve_schema = any(c.kind == "added" for c in changes)
    return Plan(target=pa.schema(fields), casts=casts, actions=actions, evolve_schema=evolve_schema)


def try_cast(values: pa.Array | pa.ChunkedArray, target: pa.DataType) -> tuple[pa.Array, pa.Array]:
    """``values`` cast to ``target`` and a mask of the values that could not be cast (now null)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    try:
        cast = pc.cast(values, target)
        return cast, pa.repeat(pa.scalar(False), len(values))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    from govdata.lake.sql import duck

    with duck() as con:
        con.register("empty", pa.table({"v": pa.array([], target)}))
        duck_type = con.sql("DESCRIBE empty").fetchall()[0][1]
        con.register("vals", pa.table({"v": values}))
        out = con.sql(f"SELECT TRY_CAST(v AS {duck_type}) AS v FROM vals").to_arrow_table()  # noqa: S608
    cast = out.column("v").combine_chunks().cast(target)
    bad = pc.and_(pc.is_valid(values), pc.is_null(cast))
    return cast, bad


def conform(
    batch: pa.RecordBatch, plan_: Plan, rejects: Rejects, source_rows: pa.Array
) -> tuple[pa.RecordBatch, pa.Array | None]:
    """``batch`` reshaped to ``plan_.target`` and the mask of rows kept (None: all).

    Rows failing a cast go to ``rejects`` and are dropped.
    """
    arrays, bad = [], None
    for f in plan_.target:
        if f.name not in batch.schema.names:
            arrays.append(pa.nulls(batch.num_rows, f.type))
            continue
        column = batch.column(f.name)
        if f.name in plan_.casts or not column.type.equals(f.type):
            column, failed = try_cast(column, f.type)
            if pc.any(failed).as_py():
                rejects.add_rows(batch.filter(failed), source_rows.filter(failed), CAST_FAILED, f.name)
                bad = failed if bad is None else pc.or_(bad, failed)
        arrays.append(column)
    out = pa.RecordBatch.from_arrays(arrays, schema=plan_.target)
    if bad is None:
        return out, None
    keep = pc.invert(bad)
    return out.filter(keep), keep


def record(
    session: Session,
    source_table: SourceTable,
    run: IngestRun | None,
    actions: Iterable[tuple[ColumnChange, str]],
) -> int:
    """Write each change and its action as a ``SchemaChange``; how many were written."""
    n = 0
    for change, action in actions:
        session.add(
            SchemaChange(
                source_table_id=source_table.id,
                run_id=run.id if run is not None else None,
                kind=change.kind,
                column=change.column,
                old_type=change.old_type,
                new_type=change.new_type,
                action=action,
                detected_at=utcnow(),
            )
        )
        n += 1
    return n


def record_table_dropped(session: Session, source_table: SourceTable, run: IngestRun | None) -> None:
    """Note that the source table (or file) has gone; the run fails and the source shows the error."""
    record(session, source_table, run, [(ColumnChange("table_dropped", source_table.source_table), "failed")])


def describe(changes: Iterable[ColumnChange]) -> str:
    return "; ".join(c.describe() for c in changes)
