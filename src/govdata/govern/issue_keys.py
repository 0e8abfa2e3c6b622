"""Every failing row of a quality issue, as CSV: no cap, streamed, masked, audited as a data read.

The rows come from the lake version the issue's newest failing run checked (Delta time travel), so
the download matches the counts on the issue even after later loads. Raises what ``load_issue``
raises, ``NotFound`` for a resource without its lake table, and the quality engine's errors.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from govdata.catalog.models import Resource
from govdata.govern.issues import load_issue
from govdata.govern.models import QualityRun
from govdata.govern.quality import RuleBinding, failing_keys
from govdata.govern.service import catalog_bindings
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.masking import mask_table
from govdata.security.roles import Permission

BATCH_ROWS = 65_536
SOURCE_ROW = "_source_row"


@dataclass(frozen=True)
class KeysDownload:
    """The failing rows of one issue, ready to stream: ``chunks()`` yields CSV bytes."""

    filename: str
    table: pa.Table

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def chunks(self) -> Iterator[bytes]:
        """UTF-8 CSV with a BOM (Excel on Chinese Windows reads it right), one chunk per Arrow batch."""
        yield "\ufeff".encode()
        header = True
        for batch in self.table.to_batches(max_chunksize=BATCH_ROWS):
            buf = io.BytesIO()
            pacsv.write_csv(
                pa.Table.from_batches([batch], self.table.schema),
                buf,
                pacsv.WriteOptions(include_header=header),
            )
            header = False
            yield buf.getvalue()
        if header:  # no failing row left: still a header line
            buf = io.BytesIO()
            pacsv.write_csv(self.table.slice(0, 0), buf)
            yield buf.getvalue()


def issue_keys(session: Session, lake: Lake, audit: AuditLog, actor: Actor, issue_id: int) -> KeysDownload:
    """All failing rows of issue ``issue_id``: the row number at the source, the resource's key and
    the checked columns (masked per the catalog items), and the failure reason."""
    actor.require(Permission.QUALITY_READ)
    issue = load_issue(session, actor, issue_id)
    resource = session.get(Resource, issue.resource_id)
    run = session.get(QualityRun, issue.last_run_id)
    assert resource is not None and run is not None  # foreign keys
    ref = TableRef.parse(issue.table_key)
    schema = lake.schema(ref, run.lake_version)
    binding = _binding(resource, schema, run, issue.rule, list(issue.columns))
    keys = [SOURCE_ROW] if SOURCE_ROW in schema.names else []
    if resource.key_column and resource.key_column not in keys:
        keys.append(resource.key_column)
    # ``_source_row`` comes first and is unique, so the extra columns do not change which duplicate
    # counts as the first one — the download fails exactly the rows the check counted.
    wanted = keys + [c for c in binding.columns if c not in keys]
    table = failing_keys(lake, ref, binding, wanted, version=run.lake_version)
    masks = {i.column: i.masking for i in resource.items if i.masking and i.column in table.column_names}
    table = mask_table(table, masks)
    audit.record(
        session,
        actor,
        "quality.issue_keys_read",
        target=f"quality_issue:{issue.id}",
        fields=wanted,
        rows=table.num_rows,
        detail={"table": issue.table_key, "version": run.lake_version, "binding": issue.binding},
    )
    return KeysDownload(filename=f"quality-issue-{issue.id}-keys.csv", table=table)


def _binding(
    resource: Resource, schema: pa.Schema, run: QualityRun, rule: str, columns: list[str]
) -> RuleBinding:
    """The binding as the run checked it, with the parameters the check kept — the one that failed
    most rows when two bindings of the rule share the columns, as ``sync_issues`` chooses. A check
    stored before parameters were kept is matched among the resource's effective bindings."""
    mine = [c for c in run.checks if c.rule == rule and list(c.columns) == columns]
    check = max(mine, key=lambda c: c.failed_rows, default=None)
    if check is not None and check.params is not None:
        return RuleBinding(rule, tuple(columns), dict(check.params))
    for b in catalog_bindings(resource, schema):
        if b.rule_name == rule and list(b.columns) == columns:
            return b
    return RuleBinding(rule, tuple(columns))
