"""Portal pages: 待编目 (drafts from the department's sources), the resource graph, coverage, duplicates.

``/catalog/inventory`` lists the officer's department's sources, a scan button for each, and every
uncatalogued table with its proposed items; the name and summary can be edited before accepting.
``/catalog/graph`` draws the graph with ECharts (filters: department, focus resource) and lists the
possible duplicates. ``/catalog/coverage/section`` and ``/catalog/graph/duplicates`` are HTMX
partials loaded by the statistics page and a resource's detail page.
Raises ``PermissionDenied`` / ``NotFound`` through the services.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.catalog.drafts import (
    DraftEdit,
    accept_drafts,
    coverage,
    department_drafts,
    scan_source,
    total_coverage,
)
from govdata.catalog.graph import duplicates, resource_graph
from govdata.security.actor import Actor
from govdata.security.org import list_departments
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]


@router.get("/catalog/inventory")
def inventory_page(
    request: Request, session: SessionDep, actor: Writer, scanned: str = "", accepted: str = ""
) -> Response:
    sources = department_drafts(session, actor)
    return render_page(
        request, "catalog/drafts_list.html", {"sources": sources, "scanned": scanned, "accepted": accepted}
    )


@router.post("/catalog/inventory/{source_id}/scan")
def inventory_scan(source_id: int, session: SessionDep, platform: PlatformDep, actor: Writer) -> Response:
    secret = platform.settings.secret_key.get_secret_value()
    result = scan_source(session, platform.audit, actor, source_id, secret)
    return redirect(f"/catalog/inventory?scanned={result.tables}#source-{source_id}")


@router.post("/catalog/inventory/{source_id}/accept")
def inventory_accept(
    source_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Writer,
    table: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
    summary: Annotated[str, Form()] = "",
) -> Response:
    edit = DraftEdit(table=table, name=name.strip() or None, summary=summary.strip() or None)
    filed = accept_drafts(session, platform.audit, actor, source_id, [edit])
    return redirect(f"/catalog/inventory?accepted={filed[0].code}#source-{source_id}")


@router.get("/catalog/graph")
def graph_page(
    request: Request, session: SessionDep, actor: Reader, department: str = "", resource: str = ""
) -> Response:
    graph = resource_graph(session, actor, department or None, resource or None)
    return render_page(
        request,
        "catalog/graph_page.html",
        {
            "graph": graph.model_dump(),
            "duplicates": graph.duplicates,
            "department": department,
            "resource": resource,
            "department_options": [(d.code, d.name) for d in list_departments(session)],
        },
    )


@router.get("/catalog/graph/duplicates")
def duplicates_section(request: Request, session: SessionDep, actor: Reader, resource: str = "") -> Response:
    """The possible duplicates of one resource, for its detail page (HTMX)."""
    found = duplicates(session, actor, resource=resource or None)
    return render_page(request, "catalog/graph_duplicates.html", {"duplicates": found, "resource": resource})


@router.get("/catalog/coverage/section")
def coverage_section(request: Request, session: SessionDep, actor: Reader) -> Response:
    """编目覆盖率 of the departments' source tables, for the statistics page (HTMX)."""
    rows = coverage(session, actor)
    return render_page(request, "catalog/drafts_coverage.html", {"rows": rows, "total": total_coverage(rows)})
