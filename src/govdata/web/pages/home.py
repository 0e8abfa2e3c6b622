"""The overview page: platform totals as a bureau reports them, and records per department as a chart.

Below them: each department's quality score (mean of its tables' latest scores) and the latest
ingest runs; each section renders only when there is something to show.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from govdata.govern.service import department_scores
from govdata.i18n import text
from govdata.ingest.queries import recent_runs
from govdata.oversight import Totals, platform_totals
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import compact, lang, render_page, thousands

router = APIRouter()


def overview_context(totals: Totals, language: str) -> dict[str, Any]:
    """Formatted numbers, the table rows and the chart data of the overview page."""
    stats = [
        ("departments", totals.departments, "portal.home.unit_dept"),
        ("resources", totals.resources, "portal.home.unit_resource"),
        ("tables", totals.tables, "portal.home.unit_table"),
        ("fields", totals.fields, "portal.home.unit_field"),
    ]
    by_department = sorted(totals.by_department, key=lambda d: d.records, reverse=True)
    return {
        "stats": [{"id": name, "value": thousands(v), "raw": v, "unit": unit} for name, v, unit in stats],
        "records": {
            "value": thousands(totals.records),
            "raw": totals.records,
            "compact": compact(totals.records, language),
        },
        "departments": [
            {
                "code": d.code,
                "name": d.name,
                "resources": thousands(d.resources),
                "tables": thousands(d.tables),
                "records": thousands(d.records),
            }
            for d in by_department
        ],
        "chart": {
            "names": [d.name for d in by_department],
            "records": [d.records for d in by_department],
        },
    }


@router.get("/")
def home(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.OVERVIEW_READ))],
) -> Response:
    totals = platform_totals(session, platform.lake, actor)
    ctx = overview_context(totals, lang(request))
    ctx["quality"] = [
        {"department": d.name, "score": d.score, "tables": d.tables}
        for d in department_scores(session, actor)
    ]
    ctx["runs"] = [
        {
            "source": f"{r.department} · {r.source}",
            "status": text(f"portal.run_status.{r.status}", lang(request)),
            "ok": r.status == "succeeded",
            "rows": thousands(r.rows_written),
            "finished_at": r.finished_at.astimezone().strftime("%Y-%m-%d %H:%M") if r.finished_at else "",
        }
        for r in recent_runs(session, actor, limit=8)
    ]
    return render_page(request, "home.html", ctx)
