"""The auditor's page: recent audit records and the result of verifying the hash chain.

Reading the trail is itself audited, as in the API. Raises ``PermissionDenied`` for anyone but the auditor.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from govdata.security.actor import Actor
from govdata.security.audit_queries import recent_records, verify_chain
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import render_page

router = APIRouter()


@router.get("/audit")
def audit_page(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.AUDIT_READ))],
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> Response:
    result = verify_chain(session, platform.audit, actor)
    rows = recent_records(session, platform.audit, actor, action=action or None, limit=limit)
    return render_page(
        request, "audit/list.html", {"records": rows, "verify": result, "action": action or ""}
    )
