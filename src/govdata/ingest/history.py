"""Time travel over aggregated tables: every Delta version of a table, and its rows as they stood.

Answers "what did this table hold on date D" for the providing department (its own data, read
raw), audited like any other data read. Raises ``NotFound`` for a table not yet loaded or a date
before its first version.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pyarrow as pa
from sqlalchemy.orm import Session

from govdata.errors import InvalidInput, NotFound
from govdata.ingest.service import get_table
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department

MAX_ROWS = 1000


def _ref(session: Session, actor: Actor, table_id: int, lake: Lake) -> TableRef:
    table = get_table(session, actor, table_id)
    dept = session.get(Department, table.source.department_id)
    ref = TableRef("raw", dept.code if dept else "", table.lake_table)
    if not lake.exists(ref):
        raise NotFound("lake.table_not_found", table=ref.key)
    return ref


def table_versions(session: Session, lake: Lake, actor: Actor, table_id: int) -> list[dict[str, Any]]:
    """Every version of the table, newest first: when, what operation, rows added/updated/deleted."""
    ref = _ref(session, actor, table_id, lake)
    out = []
    for h in lake.history(ref):
        metrics = h.get("operationMetrics") or {}
        if isinstance(metrics, str):
            metrics = json.loads(metrics)
        out.append(
            {
                "version": int(h["version"]),
                "at": dt.datetime.fromtimestamp(float(h["timestamp"]) / 1000, dt.UTC).isoformat(),
                "operation": h.get("operation"),
                "rows_added": _int(metrics, "num_added_rows", "num_target_rows_inserted", "numOutputRows"),
                "rows_updated": _int(metrics, "num_target_rows_updated"),
                "rows_deleted": _int(metrics, "num_target_rows_deleted", "num_deleted_rows"),
            }
        )
    return sorted(out, key=lambda v: v["version"], reverse=True)


def _int(metrics: dict[str, Any], *names: str) -> int | None:
    for name in names:
        if name in metrics and metrics[name] is not None:
            return int(metrics[name])
    return None


def rows_as_of(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    when: dt.datetime | None = None,
    version: int | None = None,
    limit: int = 100,
) -> tuple[int, int, pa.Table]:
    """(version, total rows, first ``limit`` rows) of the table as it stood at ``when`` or ``version``."""
    if (when is None) == (version is None):
        raise InvalidInput("ingest.as_of_one")
    if not 1 <= limit <= MAX_ROWS:
        raise InvalidInput("ingest.as_of_limit", limit=limit, max=MAX_ROWS)
    ref = _ref(session, actor, table_id, lake)
    at = lake.version_at(ref, when) if when is not None else int(version or 0)
    if at < 0 or at > lake.version(ref):
        raise NotFound("ingest.no_such_version", table=ref.key, version=at)
    with lake.connect() as con:
        lake.register(con, "t", ref, at)
        total = int(con.sql("SELECT count(*) FROM t").fetchall()[0][0])
        rows = con.sql(f"SELECT * FROM t ORDER BY _source_row NULLS LAST LIMIT {int(limit)}").to_arrow_table()  # noqa: S608
    audit.record(
        session,
        actor,
        "ingest.time_travel_read",
        target=f"table:{ref.key}",
        rows=rows.num_rows,
        detail={"version": at, "as_of": when.isoformat() if when else None},
    )
    return at, total, rows
