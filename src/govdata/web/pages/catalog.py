"""Catalog pages: search with facets (HTMX partial for the results) and one resource with its items.

A data user sees an apply form on a resource it may request; the form posts to /share/apply.
Raises ``NotFound`` (via the catalog service) for an unknown resource code.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from govdata.catalog import OpenType, ShareType, get_resource, search_resources, to_out
from govdata.catalog.vocab import label
from govdata.security.actor import Actor
from govdata.security.org import list_departments
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require
from govdata.web.pages.view import lang, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
PAGE_SIZE = 50


def _results(
    session: Session,
    actor: Actor,
    language: str,
    q: str | None,
    department: str | None,
    share_type: str | None,
    open_type: str | None,
    offset: int,
) -> dict[str, Any]:
    rows, total = search_resources(
        session,
        actor,
        q=q or None,
        department=department or None,
        share_type=share_type or None,
        open_type=open_type or None,
        limit=PAGE_SIZE,
        offset=offset,
    )
    return {"resources": [to_out(r, language) for r in rows], "total": total}


def _facets(session: Session, language: str) -> dict[str, Any]:
    return {
        "department_options": [(d.code, d.name) for d in list_departments(session)],
        "share_options": [(m.value, label("share_type", m.value, language)) for m in ShareType],
        "open_options": [(m.value, label("open_type", m.value, language)) for m in OpenType],
    }


@router.get("/catalog")
def catalog(
    request: Request,
    session: SessionDep,
    actor: Reader,
    q: str = "",
    department: str = "",
    share_type: str = "",
    open_type: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    language = lang(request)
    ctx = _results(session, actor, language, q, department, share_type, open_type, offset)
    ctx.update(_facets(session, language))
    ctx["filters"] = {"q": q, "department": department, "share_type": share_type, "open_type": open_type}
    return render_page(request, "catalog/list.html", ctx)


@router.get("/catalog/search")
def catalog_search(
    request: Request,
    session: SessionDep,
    actor: Reader,
    q: str = "",
    department: str = "",
    share_type: str = "",
    open_type: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The results table alone, for HTMX to swap in as the user types or picks a facet."""
    ctx = _results(session, actor, lang(request), q, department, share_type, open_type, offset)
    return render_page(request, "catalog/_results.html", ctx)


@router.get("/catalog/resources/{code:path}")
def resource_detail(request: Request, code: str, session: SessionDep, actor: Reader) -> Response:
    resource = to_out(get_resource(session, code), lang(request))
    can_apply = actor.can(Permission.SHARE_APPLY) and actor.department_code is not None
    shareable = resource.share_type != ShareType.NONE.value
    return render_page(
        request,
        "catalog/detail.html",
        {"resource": resource, "can_apply": can_apply, "shareable": shareable},
    )
