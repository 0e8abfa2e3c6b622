"""Platform totals for the overview screen."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from govdata.oversight import platform_totals
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["overview"])


@router.get("/overview")
def overview(
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.OVERVIEW_READ))],
) -> dict[str, Any]:
    return platform_totals(session, platform.lake, actor).to_dict()
