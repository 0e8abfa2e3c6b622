"""What the lineage queries return: a graph of datasets (or columns) and the edges between them."""

from __future__ import annotations

from pydantic import BaseModel


class LineageNode(BaseModel):
    id: str  # the dataset name, or "<dataset>#<column>" in a column graph
    dataset: str
    column: str | None = None
    kind: str  # source, lake, service
    department: str | None = None
    depth: int  # < 0 upstream, 0 the centre, > 0 downstream (hops from the centre)


class LineageLink(BaseModel):
    source: str  # node ids
    target: str
    job: str
    job_kind: str
    transform: str | None = None


class LineageGraph(BaseModel):
    dataset: str
    column: str | None = None
    direction: str
    nodes: list[LineageNode]
    edges: list[LineageLink]


class DatasetOut(BaseModel):
    name: str
    kind: str
    department: str | None = None
