"""Sharing API: apply, decide, and the data service that reads records through a grant."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.share import apply, decide, read_records
from govdata.share.queries import list_applications
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["share"])


class ApplicationIn(BaseModel):
    resource: str
    fields: list[str] = Field(min_length=1)
    purpose: str = Field(min_length=1)
    days: int = 365


class DecisionIn(BaseModel):
    approve: bool
    note: str = ""


class ApplicationOut(BaseModel):
    id: int
    resource: str
    resource_name: str
    provider: str
    consumer: str
    fields: list[str]
    purpose: str
    status: str
    decision_note: str | None


def _out(app: Any) -> ApplicationOut:
    return ApplicationOut(
        id=app.id,
        resource=app.resource.code,
        resource_name=app.resource.name,
        provider=app.resource.department.code,
        consumer=app.consumer.code,
        fields=app.fields,
        purpose=app.purpose,
        status=app.status,
        decision_note=app.decision_note,
    )


@router.post("/share/applications", response_model=ApplicationOut, status_code=201)
def create_application(
    body: ApplicationIn,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.SHARE_APPLY))],
) -> ApplicationOut:
    app = apply(session, platform.audit, actor, body.resource, body.fields, body.purpose, body.days)
    return _out(app)


@router.get("/share/applications", response_model=list[ApplicationOut])
def applications(
    session: SessionDep, actor: Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
) -> list[ApplicationOut]:
    return [_out(a) for a in list_applications(session, actor)]


@router.post("/share/applications/{application_id}/decision", response_model=ApplicationOut)
def decide_application(
    application_id: int,
    body: DecisionIn,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.SHARE_APPROVE))],
) -> ApplicationOut:
    return _out(decide(session, platform.audit, actor, application_id, body.approve, body.note))


@router.get("/share/resources/{code:path}/records")
def records(
    code: str,
    key: str,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.DATA_READ))],
    fields: Annotated[str | None, Query(description="Comma-separated columns; default all granted")] = None,
) -> dict[str, Any]:
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    rows = read_records(
        session,
        platform.lake,
        platform.audit,
        actor,
        code,
        key,
        wanted,
        secret_key=platform.settings.secret_key.get_secret_value(),
    )
    return {"resource": code, "rows": rows, "count": len(rows)}
