"""OpenLineage out of govdata: the stored RunEvents for a pull, and a push to a lineage server.

Events are metadata about every department's tables and columns, so reading them is the data
bureau's (and the platform's): an external lineage tool connects with a bureau account. The push
sends the runs not yet delivered, oldest first, and stops at the first failure so that the server
receives them in order; each delivered run is marked and never sent again. The scheduler pushes on
every tick when ``lineage.openlineage_url`` is set (``push_pending``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import TransientError
from govdata.govern.lineage.models import LineageDataset, LineageEdge, LineageRun
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

if TYPE_CHECKING:
    from govdata.runtime import Platform

log = logging.getLogger(__name__)
MAX_EVENTS = 1000


def events_since(
    session: Session, actor: Actor, since: dt.datetime | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """RunEvents recorded at or after ``since``, oldest first (at most ``limit``, up to 1000)."""
    actor.require(Permission.CATALOG_READ)
    actor.require_bureau()
    query = (
        select(LineageRun.event).order_by(LineageRun.at, LineageRun.id).limit(max(1, min(limit, MAX_EVENTS)))
    )
    if since is not None:
        query = query.where(LineageRun.at >= since)
    return list(session.scalars(query))


@dataclass
class Delivery:
    sent: int
    error: TransientError | None = None  # why the delivery stopped early, if it did


def deliver(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    url: str,
    timeout: float = 5.0,
    client: httpx.Client | None = None,
) -> Delivery:
    """POST every undelivered RunEvent to ``url``, oldest first; marks each one sent (flushed, not committed).

    Stops at the first refused or failed POST and reports it as ``govern.lineage.delivery_failed``.
    What was sent is audited as ``lineage.delivered`` (the URL and the number of events).
    """
    query = select(LineageRun).where(LineageRun.delivered_at.is_(None)).order_by(LineageRun.at, LineageRun.id)
    result = Delivery(sent=0)
    with client or httpx.Client(timeout=timeout) as http:
        for run in session.scalars(query):
            try:
                response = http.post(url, json=run.event)
                reason = None if response.status_code < 300 else f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            if reason is not None:
                result.error = TransientError("govern.lineage.delivery_failed", url=url, reason=reason)
                break
            run.delivered_at = utcnow()
            result.sent += 1
    if result.sent:
        audit.record(session, actor, "lineage.delivered", target=url, rows=result.sent)
    session.flush()
    return result


def events_for_dataset(
    session: Session, actor: Actor, dataset: str, limit: int = 100
) -> list[dict[str, Any]]:
    """The newest ``limit`` RunEvents of the jobs that read or write ``dataset``, oldest first."""
    actor.require(Permission.CATALOG_READ)
    actor.require_bureau()
    ids = select(LineageDataset.id).where(LineageDataset.name == dataset).scalar_subquery()
    touching = select(LineageEdge.job_id).where(
        (LineageEdge.source_id == ids) | (LineageEdge.target_id == ids)
    )
    query = (
        select(LineageRun.event)
        .where(LineageRun.job_id.in_(touching))
        .order_by(LineageRun.at.desc(), LineageRun.id.desc())
        .limit(max(1, min(limit, MAX_EVENTS)))
    )
    return list(reversed(session.scalars(query).all()))


def push_pending(platform: Platform) -> int:
    """The scheduler's push: deliver pending events when ``lineage.openlineage_url`` is set; never raises.

    Returns how many were delivered; a failure is logged and the events wait for the next tick.
    """
    settings = platform.settings.lineage
    if not settings.openlineage_url:
        return 0
    try:
        with platform.unit() as s:
            actor = Actor.system("scheduler")
            result = deliver(
                s, platform.audit, actor, settings.openlineage_url, settings.openlineage_timeout_seconds
            )
    except Exception:  # noqa: BLE001 - a lineage server never stops the scheduler
        log.exception("OpenLineage push to %s failed", settings.openlineage_url)
        return 0
    if result.error is not None:
        log.warning("OpenLineage push stopped after %s events: %s", result.sent, result.error)
    return result.sent
