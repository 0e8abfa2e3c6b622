"""Blocking rules before load: a staged batch's failing rows go to the ingest quarantine, not the lake.

The ingest runner asks ``blocking_gate`` for a gate when it loads a source table linked to a catalog
resource with enabled blocking bindings (``govern.quality.stored``). The load stream hands each
staged batch to the gate before the batch reaches the Delta commit; the gate evaluates every
blocking rule on the batch in ONE DuckDB statement, records each failing row (its source row, its
values, the first failing rule and reason) as rejected (``govern.quality.blocked``) and passes the
rest on. Only row-level rules can block (a uniqueness or timeliness verdict needs the whole table);
a referenced table's keys are read once per load. Raises what the engine raises for a binding that
no longer fits the table (``InvalidInput``); the run then fails and the table keeps its version.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from govdata.govern.quality.engine import RuleBinding, check_columns, flagged_cte
from govdata.govern.quality.sql import Params, SqlContext, normalized, quote_ident
from govdata.lake import Lake, TableRef
from govdata.lake.sql import cursor

if TYPE_CHECKING:
    from govdata.ingest.models import SourceTable
    from govdata.ingest.quarantine import Rejects

BLOCKED = "govern.quality.blocked"
_ROW = "__gate_row"  # the batch position, added for the statement and dropped again


class Gate:
    """Judges staged batches against blocking bindings; ``__call__`` returns the rows that pass."""

    def __init__(self, lake: Lake, bindings: Sequence[RuleBinding]) -> None:
        self.lake, self.bindings = lake, list(bindings)
        self.rules = [b.rule() for b in self.bindings]
        self._con: Any = None
        self._sql = ""
        self._params: dict[str, Any] = {}

    def _compile(self, schema: pa.Schema) -> None:
        ref = TableRef("raw", "staged", "batch")  # names the staged batch in error messages
        for binding, rule in zip(self.bindings, self.rules, strict=True):
            check_columns(binding.columns, schema, ref)
            rule.check_schema(schema, binding.columns)
        ctx = SqlContext(Params(), quote_ident(_ROW))
        cte = flagged_cte(self.bindings, self.rules, [_ROW], ctx, with_references=False)
        reasons = ", ".join(f"r{i}" for i in range(len(self.bindings)))
        failing = " OR ".join(f"r{i} IS NOT NULL" for i in range(len(self.bindings)))
        self._sql = f"WITH {cte} SELECT {quote_ident(_ROW)}, {reasons} FROM flagged WHERE {failing}"  # noqa: S608 - identifiers quoted
        self._params = ctx.params.values
        self._con = cursor()
        for (table, column), name in ctx.references.items():  # the referenced keys, once per load
            other = TableRef.parse(table)
            check_columns([column], self.lake.schema(other), other)
            self.lake.register(self._con, "ref_other", other)
            self._con.execute(
                f"CREATE TEMP TABLE {name} AS SELECT DISTINCT k FROM (SELECT {normalized(quote_ident(column))} "  # noqa: S608 - identifiers quoted
                "AS k FROM ref_other) WHERE k IS NOT NULL AND k <> ''"
            )
            self._con.unregister("ref_other")

    def __call__(
        self, batch: pa.RecordBatch, rows: pa.Array, rejects: Rejects
    ) -> tuple[pa.RecordBatch, pa.Array]:
        """The rows of ``batch`` (numbered ``rows`` in the source) that pass; the others into ``rejects``."""
        if batch.num_rows == 0:
            return batch, rows
        if self._con is None:
            self._compile(batch.schema)
        positions = pa.array(range(batch.num_rows), pa.int64())
        staged = pa.Table.from_batches([batch]).append_column(_ROW, positions)
        self._con.register("source", staged)
        try:
            failed = self._con.execute(self._sql, self._params).fetchall()
        finally:
            self._con.unregister("source")
        if not failed:
            return batch, rows
        self._reject(batch, rows, failed, rejects)
        bad = pa.array([f[0] for f in failed], pa.int64())
        keep = pc.invert(pc.is_in(positions, value_set=bad))
        return batch.filter(keep), rows.filter(keep)

    def _reject(
        self, batch: pa.RecordBatch, rows: pa.Array, failed: list[tuple[Any, ...]], rejects: Rejects
    ) -> None:
        from govdata.i18n import text
        from govdata.ingest.quarantine import Rejected

        # the failing rows only (few by nature), as ``Rejects.add_rows`` does
        picked = batch.take(pa.array([f[0] for f in failed], pa.int64())).to_pylist()
        numbers = rows.take(pa.array([f[0] for f in failed], pa.int64())).to_pylist()
        for values, number, found in zip(picked, numbers, failed, strict=True):
            i = next(j for j, reason in enumerate(found[1:]) if reason is not None)
            binding, reason = self.bindings[i], str(found[1 + i])
            label = text(f"quality.reason.{reason}", "zh")
            rejects.add(
                Rejected(
                    number,
                    BLOCKED,
                    column=", ".join(binding.columns) or None,
                    raw=values,
                    file=rejects.file,
                    params={"rule": binding.key, "reason": reason if label.startswith("quality.") else label},
                )
            )

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None


def blocking_gate(session: Session, lake: Lake, source_table: SourceTable) -> Gate | None:
    """A gate for the resource linked to ``source_table``, or None when it has no blocking binding."""
    from govdata.catalog.models import Resource
    from govdata.govern.quality.stored import blocking_bindings

    # Read only: the run's pending changes (its row in ingest_runs) must not be flushed here — the
    # row lock would be held through the whole load, and the progress writer's own session, which
    # updates that row while the load runs, would wait on it forever (PostgreSQL).
    with session.no_autoflush:
        resource = session.get(Resource, source_table.resource_id) if source_table.resource_id else None
        if resource is None:
            return None
        # the bindings' columns are checked against each staged batch; the schema only filters derived ones
        names = [i.column for i in resource.items]
        schema = pa.schema([pa.field(n, pa.string()) for n in names])
        chosen = blocking_bindings(session, resource, schema)
    return Gate(lake, chosen) if chosen else None
