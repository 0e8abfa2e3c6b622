"""Referential integrity across tables: a value exists in another lake table's column.

E.g. an enterprise's legal representative's ID number exists in the household registry
(``raw.gaj.hj_rk``, column ``sfzh``). The checked table is still read ONCE: the engine adds a CTE of
the other column's distinct normalised values and the rule is a semi-join against it (``IN``), which
DuckDB runs as a hash join beside the scan. Raises ``InvalidInput`` (``govern.quality.bad_params``)
for a missing or malformed table key or column.
"""

from __future__ import annotations

from govdata.errors import GovdataError
from govdata.govern.quality.rules import Dimension, ValueRule
from govdata.govern.quality.sql import ColumnRef, SqlContext
from govdata.lake import TableRef


class ReferentialRule(ValueRule):
    """The normalised value occurs in ``params["table"]`` (a lake table key) ``params["column"]``.

    Values compare normalised on both sides (trimmed, half-width, upper case). Reason: ``dangling``.
    """

    name = "referential"
    reasons = ("dangling",)
    dimension = Dimension.CONSISTENCY
    label = "quality.rule.referential"

    def validate_params(self) -> None:
        table, column = self.params.get("table"), self.params.get("column")
        if not isinstance(table, str) or not table:
            raise self.bad_params("table: a lake table key such as raw.gaj.hj_rk is required")
        try:
            TableRef.parse(table)
        except GovdataError as exc:
            raise self.bad_params(f"table: {table!r} is not a lake table key (layer.dept.table)") from exc
        if not isinstance(column, str) or not column:
            raise self.bad_params("column: the referenced column is required")

    @property
    def target(self) -> TableRef:
        return TableRef.parse(self.params["table"])

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        keys = ctx.reference(self.target.key, self.params["column"])
        return [(f"NOT ({column.norm} IN (SELECT k FROM {keys}))", "dangling")]  # noqa: S608 - own names
