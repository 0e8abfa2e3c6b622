"""The scheduled quality re-check: tables that did not load lately are checked again, so rules that
depend on time (timeliness) open their issues without waiting for a load.

``recheck_due`` runs from the scheduler's tick (``govdata serve``, ``govdata worker``): every
catalogued resource whose lake table exists and whose newest quality run is older than
``quality.recheck_hours`` (or that has none) is checked and its issues synced, a few per tick, each
in its own unit of work. It never raises: a failing check is logged and the next tick tries again.
``recheck_resource`` does the same for one resource at once (e.g. after a rule was bound to it).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.models import Resource
from govdata.db.base import utcnow
from govdata.govern.issues import sync_issues
from govdata.govern.models import QualityRun
from govdata.govern.service import check_resource
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

if TYPE_CHECKING:
    from govdata.runtime import Platform

log = logging.getLogger(__name__)
BATCH = 5  # resources per tick: a tick stays short, the rest wait for the next one


def due_resources(platform: Platform, now: dt.datetime, batch: int = BATCH) -> list[int]:
    """Ids of resources with a lake table whose newest check is older than the interval, oldest first."""
    hours = platform.settings.quality.recheck_hours
    cutoff = now - dt.timedelta(hours=hours)
    newest = (
        select(QualityRun.resource_id, func.max(QualityRun.checked_at).label("at"))
        .where(QualityRun.resource_id.is_not(None))
        .group_by(QualityRun.resource_id)
        .subquery()
    )
    with platform.sessions() as s:
        rows = s.execute(
            select(Resource.id, Resource.lake_table, newest.c.at)
            .outerjoin(newest, newest.c.resource_id == Resource.id)
            .where(Resource.lake_table.is_not(None), (newest.c.at.is_(None)) | (newest.c.at < cutoff))
            .order_by(newest.c.at.is_not(None), newest.c.at, Resource.id)
        ).all()
    due = []
    for resource_id, lake_table, _ in rows:
        try:
            ref = TableRef.parse(lake_table)
        except Exception:  # noqa: BLE001 - a malformed table name is the catalog's problem, not the tick's
            continue
        if platform.lake.exists(ref):
            due.append(resource_id)
        if len(due) >= batch:
            break
    return due


def recheck_resource(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, resource: Resource, deadline_days: int
) -> QualityRun:
    """Check one resource's table now and sync its issues (after a rule was added, or when due)."""
    run = check_resource(session, lake, audit, actor, resource)
    sync_issues(session, audit, actor, run, deadline_days=deadline_days)
    return run


def recheck_due(platform: Platform, now: dt.datetime | None = None) -> list[int]:
    """Check the due resources and sync their issues; the ids of the resources checked."""
    if platform.settings.quality.recheck_hours <= 0:
        return []
    actor = Actor.system("govern")
    checked = []
    try:
        due = due_resources(platform, now or utcnow())
    except Exception:
        log.exception("quality re-check could not list due resources")
        return []
    for resource_id in due:
        try:
            with platform.unit() as s:
                resource = s.get(Resource, resource_id)
                assert resource is not None
                days = platform.settings.quality.issue_deadline_days
                recheck_resource(s, platform.lake, platform.audit, actor, resource, days)
            checked.append(resource_id)
        except Exception:
            log.exception("quality re-check of resource %s failed", resource_id)
    return checked
