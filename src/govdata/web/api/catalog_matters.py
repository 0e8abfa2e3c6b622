"""Matter lists (事项清单): a department registers the matters it handles; anyone in government reads them.

``POST /catalog/matters`` needs ``catalog.write`` for the caller's own department; ``GET`` needs
``catalog.read``. Errors come from ``govdata.catalog.matters``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from govdata.catalog.matters import MatterListIn, MatterOut, RegisterResult, list_matters, register_matters
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]


@router.get("/catalog/matters", response_model=list[MatterOut])
def read_matters(session: SessionDep, actor: Reader, department: str | None = None) -> list[MatterOut]:
    """Registered matters (of one department with ``department``) and how many published resources serve each."""
    return list_matters(session, actor, department)


@router.post("/catalog/matters", response_model=RegisterResult)
def post_matters(
    body: MatterListIn, session: SessionDep, platform: PlatformDep, actor: Writer
) -> RegisterResult:
    """Register or correct a department's matters (upsert by code; all rows checked first)."""
    return register_matters(session, platform.audit, actor, body)
