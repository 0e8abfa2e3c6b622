"""The public open-data page: 无条件开放 resources with their CSV download links. Raises nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from govdata.catalog import to_outs
from govdata.opendata import open_resources
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require
from govdata.web.pages.view import lang, render_page

router = APIRouter()


@router.get("/open")
def open_data(
    request: Request, session: SessionDep, _: Annotated[Actor, Depends(require(Permission.PUBLIC))]
) -> Response:
    language = lang(request)
    return render_page(
        request, "opendata/list.html", {"resources": to_outs(open_resources(session), language)}
    )
