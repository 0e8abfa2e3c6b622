"""Catalog API: search and read resources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from govdata.catalog import ResourceOut, get_resource, search_resources, to_out
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


class ResourcePage(BaseModel):
    total: int
    items: list[ResourceOut]


@router.get("/catalog/resources", response_model=ResourcePage)
def list_resources(
    session: SessionDep,
    actor: Reader,
    q: str | None = None,
    department: str | None = None,
    share_type: str | None = None,
    open_type: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ResourcePage:
    rows, total = search_resources(
        session,
        actor,
        q=q,
        department=department,
        share_type=share_type,
        open_type=open_type,
        limit=limit,
        offset=offset,
    )
    return ResourcePage(total=total, items=[to_out(r) for r in rows])


@router.get("/catalog/resources/{code:path}", response_model=ResourceOut)
def read_resource(code: str, session: SessionDep, actor: Reader) -> ResourceOut:
    return to_out(get_resource(session, code))
