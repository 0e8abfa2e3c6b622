"""Audit API for the auditor: verify the chain, read records."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from govdata.security.actor import Actor
from govdata.security.audit_queries import recent_records, verify_chain
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["audit"])
Auditor = Annotated[Actor, Depends(require(Permission.AUDIT_READ))]


@router.get("/audit/verify")
def verify(session: SessionDep, platform: PlatformDep, actor: Auditor) -> dict[str, Any]:
    result = verify_chain(session, platform.audit, actor)
    return {
        "ok": result.ok,
        "records": result.records,
        "broken_seq": result.broken_seq,
        "reason": result.reason,
    }


@router.get("/audit/records")
def records(
    session: SessionDep,
    platform: PlatformDep,
    actor: Auditor,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    return recent_records(session, platform.audit, actor, action=action, limit=limit)
