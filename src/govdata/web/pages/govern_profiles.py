"""Profile page ``/profiles/{resource_code}``: the table's technical metadata (rows, size, versions,
partitioning, schema, freshness), the columns' profiles with null-share bars and expandable top
values and patterns (``quality.read``), a chart of rows and one column's null share by version,
and a "profile now" button (``quality.read``). Linked from the catalog resource page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from govdata.govern import profiling
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Profiler = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]


@router.post("/profiles/{code:path}/refresh")
def profile_refresh(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Profiler
) -> Response:
    profiling.refresh(session, platform.lake, platform.audit, actor, code)
    return redirect(f"/profiles/{quote(code)}{'?lang=en' if lang(request) == 'en' else ''}")


@router.get("/profiles/{code:path}")
def profile_page(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader, column: str = ""
) -> Response:
    out = profiling.read_profile(session, platform.lake, platform.audit, actor, code)
    names = [c.name for c in out.columns or []]
    chosen = column if column in names else (names[0] if names else "")
    history = profiling.profile_history(session, platform.audit, actor, code, chosen or None)
    trend = {
        "versions": [f"v{p.lake_version}" for p in history.points],
        "rows": [p.rows for p in history.points],
        "nulls": [round(p.column.missing_share * 100, 2) if p.column else None for p in history.points],
    }
    ctx = {"profile": out, "code": code, "column": chosen, "trend": trend}
    return render_page(request, "govern/profile.html", ctx)
