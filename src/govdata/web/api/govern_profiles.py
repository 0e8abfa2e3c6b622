"""Profile API: a resource's latest profile with its table's technical metadata, a re-profile now,
and the history over versions (rows, and one column's profile with ``column=``).

Technical metadata needs ``catalog.read``; column profiles, ``column=`` history and refresh need
``quality.read`` (checked in ``govern.profiling``). Errors come from ``govern.profiling``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from govdata.govern import profiling
from govdata.govern.profiling import ProfileHistory, ProfileOut
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/govern/profiles", tags=["profiles"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Profiler = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]


@router.post("/{code:path}/refresh", response_model=ProfileOut)
def refresh(code: str, session: SessionDep, platform: PlatformDep, actor: Profiler) -> ProfileOut:
    """Profile the resource's lake table now (one scan) and store the snapshot of its version."""
    return profiling.refresh(session, platform.lake, platform.audit, actor, code)


@router.get("/{code:path}/history", response_model=ProfileHistory)
def history(
    code: str, session: SessionDep, platform: PlatformDep, actor: Reader, column: str | None = None
) -> ProfileHistory:
    """Rows and size per profiled version, oldest first; with ``column`` its profile at each one."""
    return profiling.profile_history(session, platform.audit, actor, code, column)


@router.get("/{code:path}", response_model=ProfileOut)
def read(code: str, session: SessionDep, platform: PlatformDep, actor: Reader) -> ProfileOut:
    """The latest profile (columns with ``quality.read``) and the table's technical metadata now."""
    return profiling.read_profile(session, platform.lake, platform.audit, actor, code)
