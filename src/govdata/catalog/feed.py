"""The catalog change feed (目录变更实时推送): every published change of a resource, recorded once.

``resource_changed`` is called by the lifecycle in the transaction that publishes or retires a
resource. In that same transaction it records the ``ChangeEvent`` with its message (``payload``,
the stable JSON below), and fans it out: a ``Notice`` (the portal inbox) for every department
holding a live grant on the resource (not revoked, not expired) and every department subscribed to
the resource or to all resources, and a pending ``Delivery`` for every active subscription with a
webhook. The provider's own department hears of its change only when it subscribed. Nothing leaves
the platform here: webhooks (``feed_webhook``) and NATS (``feed_nats``) are sent after the commit
by the scheduler loop (``feed_dispatch``), so a slow receiver never holds up publishing.

The message (schema 1; docs/catalog.md "Change feed")::

    {"schema": 1, "id": 42, "kind": "new_version", "occurred_at": "2025-05-01T08:00:00+00:00",
     "resource": {"code", "name", "department", "department_name", "version", "status", "published_at"},
     "changes": {"previous_version": 1, "fields": ["summary"], "items_added": [{"column", "name"}],
                 "items_removed": [...], "items_changed": [...]} | null,
     "note": "the provider's change note" | null, "path": "/catalog/resources/<code>"}

``changes`` compares the new reader view with the previous frozen ``Version`` snapshot; it is null
for a first publication, a retirement, or when no earlier snapshot was kept. What is sent replaces
``path`` by the absolute ``url`` (``message``). Raises nothing of its own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from govdata.catalog.models import ChangeEvent, ChangeKind, Delivery, Notice, Resource, Subscription, Version
from govdata.db.base import utcnow

SCHEMA = 1
REASON_GRANT = "grant"
REASON_SUBSCRIPTION = "subscription"
# reader-view keys that are not "what changed": bookkeeping of the version itself, and display labels
_NOT_CHANGES = {"version", "published_at", "status", "items", "department_name"}
_ITEM_KEYS = ("column", "name")


def resource_changed(
    session: Session, resource: Resource, kind: ChangeKind, payload: dict[str, object]
) -> ChangeEvent:
    """Record that ``resource`` changed (``payload``: the new version's reader view, JSON-ready),
    and address it to grant holders and subscribers."""
    kind = ChangeKind(kind)
    event = ChangeEvent(resource_id=resource.id, version=resource.version, kind=kind.value, payload={})
    session.add(event)
    session.flush()
    event.payload = _message(session, event, resource, kind, payload)
    fan_out(session, event, resource)
    session.flush()
    return event


def resource_path(code: str) -> str:
    return f"/catalog/resources/{code}"


def message(event: ChangeEvent, portal_url: str) -> dict[str, Any]:
    """What receivers get: the stored message with ``path`` made an absolute ``url``."""
    body = {k: v for k, v in event.payload.items() if k != "path"}
    body["url"] = portal_url.rstrip("/") + str(event.payload.get("path", ""))
    return body


def _message(
    session: Session, event: ChangeEvent, resource: Resource, kind: ChangeKind, view: dict[str, object]
) -> dict[str, Any]:
    published = view.get("published_at", resource.published_at)
    if isinstance(published, dt.datetime):
        published = published.isoformat()
    created = event.created_at or utcnow()
    summary = {
        "code": resource.code,
        "name": view.get("name", resource.name),
        "department": view.get("department", resource.department.code),
        "department_name": view.get("department_name", resource.department.name),
        "version": resource.version,
        "status": view.get("status", resource.status),
        "published_at": published,
    }
    previous, note = None, None
    if kind is not ChangeKind.RETIRED:
        previous = session.execute(
            select(Version)
            .where(Version.resource_id == resource.id, Version.version < resource.version)
            .order_by(Version.version.desc())
            .limit(1)
        ).scalar_one_or_none()
        note = session.execute(
            select(Version.note).where(
                Version.resource_id == resource.id, Version.version == resource.version
            )
        ).scalar_one_or_none()
    return {
        "schema": SCHEMA,
        "id": event.id,
        "kind": kind.value,
        "occurred_at": created.isoformat(),
        "resource": summary,
        "changes": diff(previous.snapshot, view, previous.version) if previous is not None else None,
        "note": note,
        "path": resource_path(resource.code),
    }


def diff(old: dict[str, Any], new: dict[str, Any], previous_version: int) -> dict[str, Any]:
    """What changed between two reader views: top-level fields, and items by column."""
    fields = sorted(
        key
        for key in set(old) | set(new)
        if key not in _NOT_CHANGES and not key.endswith("_label") and old.get(key) != new.get(key)
    )
    old_items = {str(i["column"]): i for i in old.get("items") or []}
    new_items = {str(i["column"]): i for i in new.get("items") or []}

    def brief(item: dict[str, Any]) -> dict[str, Any]:
        return {k: item.get(k) for k in _ITEM_KEYS}

    return {
        "previous_version": previous_version,
        "fields": fields,
        "items_added": [brief(i) for c, i in new_items.items() if c not in old_items],
        "items_removed": [brief(i) for c, i in old_items.items() if c not in new_items],
        "items_changed": [brief(i) for c, i in new_items.items() if c in old_items and old_items[c] != i],
    }


def fan_out(session: Session, event: ChangeEvent, resource: Resource) -> None:
    """Notices for grant holders and subscribers, deliveries for subscribed webhooks."""
    from govdata.share import Grant  # the share pillar imports the catalog: import late

    now = utcnow()
    reasons: dict[int, str] = {}
    holders = session.execute(
        select(Grant.consumer_department_id)
        .where(Grant.resource_id == resource.id, Grant.revoked_at.is_(None), Grant.expires_at > now)
        .distinct()
    ).scalars()
    for department_id in holders:
        if department_id != resource.department_id:
            reasons[department_id] = REASON_GRANT
    subscriptions = session.execute(
        select(Subscription)
        .where(
            Subscription.active.is_(True),
            or_(Subscription.resource_id == resource.id, Subscription.resource_id.is_(None)),
        )
        .order_by(Subscription.id)
    ).scalars()
    for sub in subscriptions:
        reasons.setdefault(sub.department_id, REASON_SUBSCRIPTION)
        if sub.webhook_url:
            session.add(Delivery(event_id=event.id, subscription_id=sub.id, next_attempt_at=now))
    for department_id, reason in sorted(reasons.items()):
        session.add(Notice(event_id=event.id, department_id=department_id, reason=reason))
