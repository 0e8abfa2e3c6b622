"""Lineage (血缘): the graph of a dataset or a column, the datasets known, and the OpenLineage events.

All need ``CATALOG_READ``; the column graph also the right to see the table's items, the events the
data bureau (both checked again by ``govdata.govern.lineage``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from govdata.govern.lineage.events import events_since
from govdata.govern.lineage.graph import Direction, column_lineage, list_datasets, table_lineage
from govdata.govern.lineage.schemas import DatasetOut, LineageGraph
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require

router = APIRouter(tags=["govern"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


@router.get("/lineage/graph", response_model=LineageGraph)
def graph(
    session: SessionDep, actor: Reader, dataset: str, column: str | None = None, direction: Direction = "both"
) -> LineageGraph:
    """Upstream and downstream of a dataset (``raw.gaj.hj_rk``) or, with ``column``, of one column."""
    if column:
        return column_lineage(session, actor, dataset, column, direction)
    return table_lineage(session, actor, dataset, direction)


@router.get("/lineage/datasets", response_model=list[DatasetOut])
def datasets(session: SessionDep, actor: Reader, q: str = "", limit: int = 50) -> list[DatasetOut]:
    """Datasets in the lineage graph whose name contains ``q``."""
    return list_datasets(session, actor, q, limit)


@router.get("/lineage/events")
def events(
    session: SessionDep,
    actor: Reader,
    since: dt.datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """OpenLineage RunEvents recorded at or after ``since`` (ISO 8601), oldest first."""
    return events_since(session, actor, since, limit)
