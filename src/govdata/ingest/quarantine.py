"""Rejected rows (问题数据): rows a connector cannot parse or a run cannot cast, kept for the provider.

Connectors report a bad row through ``Connector.reject`` (set by the runner to a ``Rejects``
collector; when unset they raise as before). The runner adds rows that fail a cast under the freeze
drift policy or lack a key. After the run, ``write_rejects`` appends them to the lake-side Delta
table ``<lake>/_quarantine/<dept>/<table>`` (not one of the five layers) with the run id, file, row,
column, reason code, the Chinese reason and the raw values as JSON text; ``quarantine_rows`` reads
them back for the portal, the API and downloads.
Raises nothing of its own (lake errors pass through).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from govdata.db.base import utcnow
from govdata.lake import Lake

QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.int64()),
        pa.field("file", pa.string()),
        pa.field("source_row", pa.int64()),
        pa.field("column", pa.string()),
        pa.field("reason_code", pa.string()),
        pa.field("reason", pa.string()),
        pa.field("raw", pa.string()),
        pa.field("rejected_at", pa.timestamp("us", tz="UTC")),
    ]
)


@dataclass(frozen=True)
class Rejected:
    """One rejected row: where it was, why (an i18n code and its parameters) and what it held."""

    source_row: int | None
    reason_code: str
    column: str | None = None
    raw: Any = None  # the row's values as read: a dict, a list of fields, or text
    file: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)


def _raw_text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return json.dumps(raw, ensure_ascii=False)
    return json.dumps(raw, ensure_ascii=False, default=str)


class Rejects:
    """Collects the rejected rows of one run (a connector's ``reject`` callback is ``add``)."""

    def __init__(self, file: str | None = None) -> None:
        self.file = file
        self.rows: list[Rejected] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(self, rejected: Rejected) -> None:
        self.rows.append(rejected)

    def add_rows(
        self, rows: pa.Table | pa.RecordBatch, source_rows: pa.Array, reason_code: str, column: str | None
    ) -> None:
        """Reject every row of ``rows`` (the bad rows only, few by nature) for one reason."""
        numbers = source_rows.to_pylist()
        for number, values in zip(numbers, rows.to_pylist(), strict=True):
            self.add(Rejected(number, reason_code, column=column, raw=values, file=self.file))

    def table(self, run_id: int | None) -> pa.Table:
        """The collected rows in the quarantine layout."""
        from govdata.i18n import text

        now = utcnow()
        columns: dict[str, list[Any]] = {name: [] for name in QUARANTINE_SCHEMA.names}
        for r in self.rows:
            columns["run_id"].append(run_id)
            columns["file"].append(r.file or self.file)
            columns["source_row"].append(r.source_row)
            columns["column"].append(r.column)
            columns["reason_code"].append(r.reason_code)
            columns["reason"].append(text(r.reason_code, "zh", column=r.column or "", **r.params))
            columns["raw"].append(_raw_text(r.raw))
            columns["rejected_at"].append(now)
        return pa.table(columns, schema=QUARANTINE_SCHEMA)


def write_rejects(lake: Lake, dept: str, table: str, run_id: int | None, rejects: Rejects) -> int:
    """Append ``rejects`` to the quarantine table of ``dept``/``table``; how many were written."""
    if not len(rejects):
        return 0
    lake.append_quarantine(dept, table, rejects.table(run_id))
    return len(rejects)


def quarantine_rows(lake: Lake, dept: str, table: str, run_id: int | None = None) -> pa.Table:
    """The rejected rows of ``dept``/``table`` (of one run if ``run_id``), oldest first."""
    dataset = lake.quarantine_dataset(dept, table)
    if dataset is None:
        return QUARANTINE_SCHEMA.empty_table()
    rows = dataset.to_table(filter=pc.field("run_id") == run_id if run_id is not None else None)
    rows = rows.select(QUARANTINE_SCHEMA.names)
    return rows.sort_by([("run_id", "ascending"), ("source_row", "ascending")])


def reject_codes(rows: Iterable[Rejected]) -> list[str]:
    """The distinct reason codes of ``rows``, in first-seen order."""
    return list(dict.fromkeys(r.reason_code for r in rows))
