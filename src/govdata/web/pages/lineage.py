"""Portal page 数据血缘 / Lineage: the graph around a dataset or a column, drawn with ECharts.

``/lineage`` lists the datasets to start from; ``/lineage?dataset=raw.gaj.hj_rk`` draws its table
lineage, ``&column=sfzh`` the column's; clicking a node re-centres the page on it.
Raises ``PermissionDenied`` / ``NotFound`` through ``govdata.govern.lineage``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from govdata.govern.lineage.graph import (
    Direction,
    column_lineage,
    dataset_columns,
    list_datasets,
    table_lineage,
)
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require
from govdata.web.pages.view import render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


@router.get("/lineage")
def lineage_page(
    request: Request,
    session: SessionDep,
    actor: Reader,
    dataset: str = "",
    column: str = "",
    direction: Direction = "both",
    q: str = "",
) -> Response:
    graph = None
    if dataset and column:
        graph = column_lineage(session, actor, dataset, column, direction)
    elif dataset:
        graph = table_lineage(session, actor, dataset, direction)
    context = {
        "dataset": dataset,
        "column": column,
        "direction": direction,
        "q": q,
        "graph": graph.model_dump() if graph else None,
        "columns": dataset_columns(session, actor, dataset) if dataset else [],
        "datasets": [] if dataset else list_datasets(session, actor, q, 200),
    }
    return render_page(request, "govern/lineage.html", context)
