"""Read-side of the audit trail, for the auditor only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.security.actor import Actor
from govdata.security.models import AuditRecord
from govdata.security.roles import Permission


def recent_records(
    session: Session, actor: Actor, action: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    actor.require(Permission.AUDIT_READ)
    stmt = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditRecord.action == action)
    return [
        {
            "seq": r.seq,
            "ts": r.ts.isoformat(),
            "actor": r.actor,
            "role": r.actor_role,
            "department": r.department,
            "action": r.action,
            "target": r.target,
            "fields": r.fields,
            "rows": r.rows,
            "grant_id": r.grant_id,
            "outcome": r.outcome,
        }
        for r in session.execute(stmt).scalars()
    ]
