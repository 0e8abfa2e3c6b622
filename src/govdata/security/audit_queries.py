"""Read-side of the audit trail, for the auditor only; each read is itself audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.security.actor import Actor
from govdata.security.audit import AuditLog, VerifyResult
from govdata.security.models import AuditRecord
from govdata.security.roles import Permission


def verify_chain(session: Session, audit: AuditLog, actor: Actor) -> VerifyResult:
    """Walk the chain for the auditor and record that it was checked, with the outcome."""
    actor.require(Permission.AUDIT_READ)
    result = audit.verify(session)
    audit.record(session, actor, "audit.verified", outcome="ok" if result.ok else "broken")
    return result


def recent_records(
    session: Session, audit: AuditLog, actor: Actor, action: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """The newest records (optionally of one action), newest first; the read is audited."""
    actor.require(Permission.AUDIT_READ)
    stmt = select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditRecord.action == action)
    rows = [
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
    audit.record(session, actor, "audit.read", rows=len(rows), detail={"action": action} if action else None)
    return rows
