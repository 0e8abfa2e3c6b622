"""Sharing pages: the department's applications (filed and to decide), apply, approve or reject.

Services raise ``InvalidInput`` / ``PermissionDenied`` / ``Conflict`` / ``NotFound``; the portal error
page shows them with their hint.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.share import apply, decide
from govdata.share.queries import list_applications
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()


def _row(app: Any, language: str) -> dict[str, Any]:
    return {
        "id": app.id,
        "resource": app.resource.code,
        "resource_name": app.resource.name,
        "provider": app.resource.department.name,
        "consumer": app.consumer.name,
        "fields": app.fields,
        "purpose": app.purpose,
        "status": app.status,
        "status_label": text(f"share.status.{app.status}", language),
        "note": app.decision_note or "",
        "pending": app.status == "pending",
    }


@router.get("/share")
def applications(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, Depends(require(Permission.CATALOG_READ))],
    applied: int | None = None,
    decided: int | None = None,
) -> Response:
    language = lang(request)
    apps = list_applications(session, actor)
    filed = [_row(a, language) for a in apps if a.consumer_department_id == actor.department_id]
    to_decide = [_row(a, language) for a in apps if a.resource.department_id == actor.department_id]
    ctx = {
        "filed": filed,
        "to_decide": to_decide,
        "can_decide": actor.can(Permission.SHARE_APPROVE),
        "applied": applied,
        "decided": decided,
    }
    return render_page(request, "share/applications.html", ctx)


@router.post("/share/apply")
def apply_for(
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.SHARE_APPLY))],
    resource: Annotated[str, Form()],
    fields: Annotated[list[str], Form()] = [],  # noqa: B006 — FastAPI copies defaults per request
    purpose: Annotated[str, Form()] = "",
    days: Annotated[int, Form()] = 365,
) -> Response:
    app = apply(session, platform.audit, actor, resource, fields, purpose, days)
    return redirect(f"/share?applied={app.id}")


@router.post("/share/applications/{application_id}/decision")
def decide_application(
    application_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.SHARE_APPROVE))],
    approve: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    decide(session, platform.audit, actor, application_id, approve == "1", note)
    return redirect(f"/share?decided={application_id}")
