"""Catalog statistics in the portal: a page of its own, and the same section as an HTMX partial
that the catalog page can load (``hx-get="/catalog/stats/section" hx-trigger="load"``).

Raises ``PermissionDenied`` (via the service) unless the actor may read the catalog.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from govdata.catalog.models import OpenType, ShareType
from govdata.catalog.stats import CatalogStats, StatsReport, catalog_stats
from govdata.catalog.vocab import label
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, render_page, thousands

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _shareable(s: CatalogStats) -> float | None:
    if not s.resources:
        return None
    shared = s.resources - s.share[ShareType.NONE.value].count
    return round(100.0 * shared / s.resources, 1)


def _openable(s: CatalogStats) -> float | None:
    if not s.resources:
        return None
    return round(100.0 * (s.resources - s.open[OpenType.CLOSED.value].count) / s.resources, 1)


def _row(s: CatalogStats) -> dict[str, Any]:
    return {
        "code": s.department,
        "name": s.department_name,
        "resources": thousands(s.resources),
        "drafts": thousands(s.drafts),
        "item_count": thousands(s.items),
        "shareable": _pct(_shareable(s)),
        "openable": _pct(_openable(s)),
        "late": s.late,
        "tables": f"{s.catalogued_tables} / {s.lake_tables}",
        "coverage": _pct(s.coverage),
        "matters": f"{s.matters_served} / {s.matters}",
        "matter_coverage": _pct(s.matter_coverage),
    }


def stats_context(report: StatsReport, language: str) -> dict[str, Any]:
    """Tiles, the per-department table, the chart data and the late list of the statistics section."""
    total = report.total
    shown = [d for d in report.departments if d.resources or d.drafts or d.lake_tables]
    return {
        "tiles": [
            ("resources", thousands(total.resources)),
            ("items", thousands(total.items)),
            ("late", thousands(total.late)),
            ("coverage", _pct(total.coverage)),
            ("matter_coverage", _pct(total.matter_coverage)),
        ],
        "rows": [_row(d) for d in shown],
        "total_row": _row(total),
        "chart": {
            "names": [d.department_name for d in shown],
            "series": [
                {
                    "name": label("share_type", t.value, language),
                    "data": [d.share[t.value].count for d in shown],
                }
                for t in ShareType
            ],
        },
        "late": [
            {
                "code": r.code,
                "name": r.name,
                "department": r.department_name,
                "cycle": label("update_cycle", r.update_cycle, language),
                "last_load": r.last_load_at.astimezone().strftime("%Y-%m-%d %H:%M")
                if r.last_load_at
                else None,
            }
            for r in report.late_resources
        ],
    }


@router.get("/catalog/stats")
def stats_page(request: Request, session: SessionDep, platform: PlatformDep, actor: Reader) -> Response:
    ctx = stats_context(catalog_stats(session, platform.lake, actor), lang(request))
    return render_page(request, "catalog/stats.html", ctx)


@router.get("/catalog/stats/section")
def stats_section(request: Request, session: SessionDep, platform: PlatformDep, actor: Reader) -> Response:
    """The statistics section alone, for HTMX to load into the catalog page."""
    ctx = stats_context(catalog_stats(session, platform.lake, actor), lang(request))
    return render_page(request, "catalog/_stats.html", ctx)
