"""Profile services: profile a catalogued resource's lake table and keep the snapshot, read the
latest profile with the table's technical metadata, and a column's history over versions.

Who sees what: technical metadata needs ``catalog.read`` (whoever may read the catalog entry);
column profiles — top values, min/max, patterns — need ``quality.read``; profiling needs
``quality.read``. Every profile taken and every read is audited. Values of a column with a masker,
marked sensitive (masked in full) or not described by the catalog (masked in full: undeclared
columns may hold personal data) are masked before they are stored.
Raises ``NotFound`` (``catalog.not_found``, ``govern.profile.no_table``, ``lake.table_not_found``),
``PermissionDenied`` and ``InvalidInput`` (``govern.profile.unknown_column``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog import Resource, get_resource
from govdata.db.base import utcnow
from govdata.errors import InvalidInput, NotFound
from govdata.govern.profiling.engine import profile_table
from govdata.govern.profiling.metadata import file_stats, table_metadata
from govdata.govern.profiling.models import ProfileSnapshot
from govdata.govern.profiling.schemas import ColumnProfile, HistoryPoint, ProfileHistory, ProfileOut
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

if TYPE_CHECKING:
    from govdata.govern.pipeline import Loaded

HISTORY_POINTS = 200
log = logging.getLogger(__name__)


def masks_for(resource: Resource, columns: list[str]) -> dict[str, str]:
    """Column → masker for a profile: the item's masker; ``full`` for a sensitive item without one
    and for a column the catalog does not describe."""
    items = {i.column: i for i in resource.items}
    out = {}
    for column in columns:
        item = items.get(column)
        if item is None or item.masking or item.sensitive:
            out[column] = (item.masking if item is not None else None) or "full"
    return out


def resolve(session: Session, name: str) -> Resource:
    """The resource called ``name``, or the one whose lake table is ``name`` (``raw.gaj.hj_rk``)."""
    found = session.scalar(select(Resource.code).where(Resource.code == name))
    found = found or session.scalar(
        select(Resource.code).where(Resource.lake_table == name).order_by(Resource.id).limit(1)
    )
    if found is None:
        raise NotFound("govern.profile.not_found", name=name)
    return get_resource(session, found)


def _ref(resource: Resource) -> TableRef:
    if not resource.lake_table:
        raise NotFound("govern.profile.no_table", code=resource.code)
    return TableRef.parse(resource.lake_table)


def profile_resource(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    resource: Resource,
    version: int | None = None,
) -> ProfileSnapshot:
    """Profile the resource's lake table (at ``version``, default the latest) and store the snapshot;
    profiling a version again replaces its snapshot."""
    actor.require(Permission.QUALITY_READ)
    ref = _ref(resource)
    version = lake.version(ref) if version is None else version
    user_columns = [n for n in lake.schema(ref, version).names if not n.startswith("_")]
    profiled = profile_table(lake, ref, version, masks_for(resource, user_columns))
    files, _, size = file_stats(lake, ref, version)
    snap = session.scalar(
        select(ProfileSnapshot).where(
            ProfileSnapshot.table_key == ref.key, ProfileSnapshot.lake_version == version
        )
    )
    if snap is None:
        snap = ProfileSnapshot(table_key=ref.key, lake_version=version)
        session.add(snap)
    snap.resource_id = resource.id
    snap.profiled_at = utcnow()
    snap.profiled_by = actor.username
    snap.rows = profiled.rows
    snap.bytes = size
    snap.files = files
    snap.columns = [c.model_dump(mode="json") for c in profiled.columns]
    session.flush()
    audit.record(
        session,
        actor,
        "profile.created",
        target=f"resource:{resource.code}",
        rows=profiled.rows,
        detail={"table": ref.key, "version": version},
    )
    return snap


def refresh(session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str) -> ProfileOut:
    """Profile the resource's table now and return the new profile (``POST …/refresh``)."""
    actor.require(Permission.QUALITY_READ)
    profile_resource(session, lake, audit, actor, get_resource(session, code))
    return read_profile(session, lake, audit, actor, code)


def _snapshots(session: Session, key: str, newest_first: bool, limit: int) -> list[ProfileSnapshot]:
    order = ProfileSnapshot.lake_version.desc() if newest_first else ProfileSnapshot.lake_version
    stmt = select(ProfileSnapshot).where(ProfileSnapshot.table_key == key).order_by(order).limit(limit)
    return list(session.scalars(stmt))


def read_profile(session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str) -> ProfileOut:
    """The latest stored profile (columns only for ``quality.read``) and the table's metadata now."""
    actor.require(Permission.CATALOG_READ)
    resource = get_resource(session, code)
    ref = _ref(resource)
    meta = table_metadata(session, lake, actor, resource, ref) if lake.exists(ref) else None
    latest = next(iter(_snapshots(session, ref.key, True, 1)), None)
    visible = actor.can(Permission.QUALITY_READ)
    columns = [ColumnProfile.model_validate(c) for c in latest.columns] if latest and visible else None
    audit.record(
        session,
        actor,
        "profile.read",
        target=f"resource:{code}",
        fields=[c.name for c in columns] if columns else None,
        detail={"table": ref.key, "version": latest.lake_version if latest else None, "columns": visible},
    )
    return ProfileOut(
        resource=code,
        table=ref.key,
        metadata=meta,
        lake_version=latest.lake_version if latest else None,
        profiled_at=latest.profiled_at if latest else None,
        rows=latest.rows if latest else None,
        columns=columns,
        columns_visible=visible,
    )


def profile_history(
    session: Session, audit: AuditLog, actor: Actor, code: str, column: str | None = None
) -> ProfileHistory:
    """Rows and size per profiled version, oldest first, and with ``column`` its profile at each
    version (``quality.read``); a column no snapshot has is refused."""
    actor.require(Permission.CATALOG_READ)
    if column is not None:
        actor.require(Permission.QUALITY_READ)
    resource = get_resource(session, code)
    ref = _ref(resource)
    snaps = list(reversed(_snapshots(session, ref.key, True, HISTORY_POINTS)))
    points = []
    for snap in snaps:
        found = next((c for c in snap.columns if c.get("name") == column), None) if column else None
        points.append(
            HistoryPoint(
                lake_version=snap.lake_version,
                profiled_at=snap.profiled_at,
                rows=snap.rows,
                bytes=snap.bytes,
                column=ColumnProfile.model_validate(found) if found else None,
            )
        )
    if column is not None and snaps and all(p.column is None for p in points):
        known = sorted({c["name"] for s in snaps for c in s.columns})
        raise InvalidInput("govern.profile.unknown_column", column=column, known=", ".join(known))
    audit.record(
        session,
        actor,
        "profile.history_read",
        target=f"resource:{code}",
        fields=[column] if column else None,
        detail={"table": ref.key, "points": len(points)},
    )
    return ProfileHistory(resource=code, table=ref.key, column=column, points=points)


# A profile is one scan of the whole table (1.4–1.6 s for the 1M-row people table), however small the
# load before it. A table under PROFILE_ALWAYS_ROWS rows is profiled after every load; a larger one
# once the rows its loads wrote or deleted since its last profile pass PROFILE_CHANGE_SHARE of it, its
# columns changed, or that profile is PROFILE_MAX_AGE old — so a 1 % increment does not pay a full
# scan, and a profile is never more than 5 % of the rows or a day behind (refresh: on demand).
PROFILE_ALWAYS_ROWS = 100_000
PROFILE_CHANGE_SHARE = 0.05
PROFILE_MAX_AGE = dt.timedelta(days=1)


def profile_step(ctx: Loaded) -> None:
    """The pipeline's profile step: profile the loaded resource's table at its new version, when due."""
    if ctx.resource is None or not ctx.resource.lake_table:
        return
    ref = TableRef.parse(ctx.resource.lake_table)
    if not ctx.lake.exists(ref):
        return
    reason = profile_due(ctx.session, ctx.lake, ref, ctx.source_table.id)
    if reason is None:
        log.info("profile of %s not retaken after run %s: little changed since the last", ref.key, ctx.run.id)
        return
    profile_resource(ctx.session, ctx.lake, ctx.audit, ctx.actor, ctx.resource)


def profile_due(session: Session, lake: Lake, ref: TableRef, source_table_id: int) -> str | None:
    """Why the table needs a new profile after a load of ``source_table_id`` (``first``, ``small``,
    ``columns``, ``changed``, ``age``), or None while its last profile still describes it."""
    from govdata.ingest.models import IngestRun, RunStatus

    last = next(iter(_snapshots(session, ref.key, True, 1)), None)
    if last is None:
        return "first"
    rows = lake.stats(ref).records
    if rows < PROFILE_ALWAYS_ROWS:
        return "small"
    if [c.get("name") for c in last.columns] != [n for n in lake.schema(ref).names if not n.startswith("_")]:
        return "columns"
    changed = session.scalar(
        select(func.coalesce(func.sum(IngestRun.rows_written + IngestRun.rows_deleted), 0)).where(
            IngestRun.source_table_id == source_table_id,
            IngestRun.status == RunStatus.succeeded,
            IngestRun.lake_version > last.lake_version,
        )
    )
    if int(changed or 0) > PROFILE_CHANGE_SHARE * max(rows, last.rows):
        return "changed"
    if utcnow() - last.profiled_at >= PROFILE_MAX_AGE:
        return "age"
    return None
