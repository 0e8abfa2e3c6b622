"""Open-data API: anyone may list and download 无条件开放 resources."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from govdata.catalog import to_outs
from govdata.opendata import download_csv, open_resources
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["open data"])
Public = Annotated[Actor, Depends(require(Permission.PUBLIC))]


@router.get("/open/resources")
def list_open(session: SessionDep, _: Public) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in to_outs(open_resources(session))]


@router.get("/open/resources/{code:path}/download.csv")
def download(code: str, session: SessionDep, platform: PlatformDep, actor: Public) -> Response:
    data = download_csv(session, platform.lake, platform.audit, actor, code)
    filename = code.replace("/", "-") + ".csv"
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
