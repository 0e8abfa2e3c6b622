"""Technical metadata of a lake table: rows, size and files from the Delta log (no data scanned),
versions with the latest commit, partitioning, schema, and freshness against the update cycle.

Freshness is the ingest pillar's own view (``ingest.queries.table_status``) of the source tables
that load the resource: the newest success among them, its age, and whether it is late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.models import Resource
from govdata.db.base import utcnow
from govdata.govern.profiling.schemas import Commit, Freshness, TechnicalMetadata
from govdata.lake import Lake, TableRef, deleted_rows
from govdata.security.actor import Actor


def table_metadata(
    session: Session,
    lake: Lake,
    actor: Actor,
    resource: Resource,
    ref: TableRef,
    now: dt.datetime | None = None,
) -> TechnicalMetadata:
    """The table's metadata now; the caller has checked the actor may read the catalog entry."""
    from deltalake import DeltaTable

    table = DeltaTable(lake.uri(ref), storage_options=lake.storage_options)
    files, rows, size = _files(table)
    history = lake.history(ref)
    newest = max(history, key=lambda h: int(h["version"])) if history else {"version": table.version()}
    schema = pa.schema(table.schema().to_arrow())
    return TechnicalMetadata(
        table=ref.key,
        rows=rows,
        bytes=size,
        files=files,
        versions=len(history),
        latest=Commit(
            version=int(newest["version"]),
            timestamp=_when(newest.get("timestamp")),
            operation=newest.get("operation"),
        ),
        partition_columns=list(table.metadata().partition_columns),
        columns=[{"name": f.name, "type": str(f.type)} for f in schema],
        freshness=freshness(session, actor, resource, now or utcnow()),
    )


def file_stats(lake: Lake, ref: TableRef, version: int | None = None) -> tuple[int, int, int]:
    """(files, rows, bytes) of ``ref`` at ``version`` from the Delta log."""
    from deltalake import DeltaTable

    return _files(DeltaTable(lake.uri(ref), version=version, storage_options=lake.storage_options))


def _files(table: Any) -> tuple[int, int, int]:
    actions = pa.table(table.get_add_actions(flatten=True))
    if not actions.num_rows:
        return 0, 0, 0
    rows = int(pc.sum(actions.column("num_records")).as_py() or 0) - deleted_rows(table)
    size = int(pc.sum(actions.column("size_bytes")).as_py() or 0)
    return actions.num_rows, rows, size


def _when(millis: Any) -> dt.datetime | None:
    if millis is None:
        return None
    return dt.datetime.fromtimestamp(float(millis) / 1000, tz=dt.UTC)


def freshness(session: Session, actor: Actor, resource: Resource, now: dt.datetime) -> Freshness:
    """The newest successful load of the resource's source tables, its age, and whether it is late."""
    from govdata.ingest import SourceTable  # ingest sits below governance: import late
    from govdata.ingest.queries import CYCLE_MINUTES, table_status

    ids = set(session.scalars(select(SourceTable.id).where(SourceTable.resource_id == resource.id)))
    statuses = [
        s for s in table_status(session, actor, department_id=resource.department_id) if s.table_id in ids
    ]
    if not statuses:
        return Freshness(
            last_success_at=None,
            update_cycle=resource.update_cycle,
            cycle_minutes=CYCLE_MINUTES.get(resource.update_cycle),
            age_minutes=None,
            state="unknown",
            late=False,
        )
    newest = max(statuses, key=lambda s: s.last_success_at or dt.datetime.min.replace(tzinfo=dt.UTC))
    last = newest.last_success_at
    return Freshness(
        last_success_at=last,
        update_cycle=resource.update_cycle,
        cycle_minutes=newest.cycle_minutes,
        age_minutes=int((now - last).total_seconds() // 60) if last else None,
        state=newest.freshness,
        late=newest.late,
    )
