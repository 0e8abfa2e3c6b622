"""Catalog statistics and the DCAT-AP 3 export of the open catalog.

``GET /catalog/stats`` needs ``CATALOG_READ``; ``GET /open/dcat.jsonld`` is public (it lists only
what the open portal may name). Raises ``PermissionDenied`` through the services.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from govdata.catalog.dcat import dcat_catalog
from govdata.catalog.stats import catalog_stats
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Public = Annotated[Actor, Depends(require(Permission.PUBLIC))]


@router.get("/catalog/stats", tags=["catalog"])
def read_stats(session: SessionDep, platform: PlatformDep, actor: Reader) -> dict[str, Any]:
    """Resources, items, sharing/open split, late resources and coverage, per department and in total."""
    return catalog_stats(session, platform.lake, actor).to_dict()


@router.get("/open/dcat.jsonld", tags=["open data"], response_class=JSONResponse)
def dcat(request: Request, session: SessionDep, _: Public) -> JSONResponse:
    """The open catalog as DCAT-AP 3 JSON-LD (无条件开放 and 有条件开放 resources, never 不予开放)."""
    return JSONResponse(dcat_catalog(session, str(request.base_url)), media_type="application/ld+json")
