"""Lineage queries: upstream and downstream of a dataset or a column, to any depth, as a graph.

Both walk the stored edges breadth first and add the service edges derived from sharing and open
data (``govern.lineage.services``). Permission: ``catalog.read`` sees table-level lineage; the
column-level graph of a dataset also needs the right to see its catalog resource's items — the
platform, the data bureau, the dataset's own department, or anyone when the resource is published
(its items are then in the catalog for every reader). Raises ``NotFound`` for an unknown dataset or
column, ``PermissionDenied`` otherwise.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from govdata.errors import InvalidInput, NotFound, PermissionDenied
from govdata.govern.lineage import services
from govdata.govern.lineage.models import LineageColumnEdge, LineageDataset, LineageEdge, LineageJob
from govdata.govern.lineage.record import dataset_department, dataset_kind
from govdata.govern.lineage.schemas import DatasetOut, LineageGraph, LineageLink, LineageNode
from govdata.security.actor import Actor
from govdata.security.roles import Permission

Direction = Literal["upstream", "downstream", "both"]
DIRECTIONS = ("upstream", "downstream", "both")
MAX_NODES = 5000  # a guard for the portal: a walk stops growing past this many nodes

# (source dataset, source column, target dataset, target column, job, job kind, transform)
Hop = tuple[str, str | None, str, str | None, str, str, str | None]

_Src = aliased(LineageDataset)
_Tgt = aliased(LineageDataset)


def _stored(session: Session, names: set[str], columns: bool, up: bool) -> list[Hop]:
    side = _Tgt if up else _Src
    if columns:
        col = select(_Src.name, LineageColumnEdge.source_column, _Tgt.name, LineageColumnEdge.target_column,
                     LineageJob.name, LineageJob.kind, LineageColumnEdge.transform)  # fmt: skip
        query = (
            col.select_from(LineageColumnEdge)
            .join(_Src, _Src.id == LineageColumnEdge.source_id)
            .join(_Tgt, _Tgt.id == LineageColumnEdge.target_id)
            .join(LineageJob, LineageJob.id == LineageColumnEdge.job_id)
        )
    else:
        table = select(_Src.name, None, _Tgt.name, None, LineageJob.name, LineageJob.kind, None)
        query = (
            table.select_from(LineageEdge)
            .join(_Src, _Src.id == LineageEdge.source_id)
            .join(_Tgt, _Tgt.id == LineageEdge.target_id)
            .join(LineageJob, LineageJob.id == LineageEdge.job_id)
        )
    return [tuple(row) for row in session.execute(query.where(side.name.in_(names)))]  # type: ignore[misc]


def _derived(session: Session, names: set[str], columns: bool, up: bool) -> list[Hop]:
    if up:
        edges = services.upstream(session, {n for n in names if n.startswith("service:")})
    else:
        edges = services.downstream(session, {n for n in names if dataset_kind(n) == "lake"})
    if not columns:
        return [(e.source, None, e.target, None, e.job, "service", None) for e in edges]
    return [(e.source, c, e.target, c, e.job, "service", None) for e in edges for c in e.columns]


def _walk(session: Session, start: tuple[str, str | None], direction: str, columns: bool) -> LineageGraph:
    depth: dict[tuple[str, str | None], int] = {start: 0}
    links: dict[tuple[object, ...], LineageLink] = {}

    def node_id(key: tuple[str, str | None]) -> str:
        return key[0] if key[1] is None else f"{key[0]}#{key[1]}"

    for up in (True, False):
        if direction == ("downstream" if up else "upstream"):
            continue
        frontier, step = {start}, -1 if up else 1
        while frontier and len(depth) < MAX_NODES:
            names = {name for name, _ in frontier}
            hops = _stored(session, names, columns, up) + _derived(session, names, columns, up)
            following: set[tuple[str, str | None]] = set()
            for src, src_col, tgt, tgt_col, job, kind, transform in hops:
                here, there = ((tgt, tgt_col), (src, src_col)) if up else ((src, src_col), (tgt, tgt_col))
                if here not in frontier:
                    continue
                links[(src, src_col, tgt, tgt_col, job)] = LineageLink(
                    source=node_id((src, src_col)), target=node_id((tgt, tgt_col)), job=job, job_kind=kind,
                    transform=transform,
                )  # fmt: skip
                if there not in depth:
                    depth[there] = depth[here] + step
                    following.add(there)
            frontier = following
    names = {name for name, _ in depth}
    known = {d.name: d for d in session.scalars(select(LineageDataset).where(LineageDataset.name.in_(names)))}
    nodes = []
    for key, d in sorted(depth.items(), key=lambda kv: (kv[1], kv[0][0], kv[0][1] or "")):
        row = known.get(key[0])
        kind = row.kind if row else dataset_kind(key[0]).value
        dept = row.department if row else dataset_department(key[0], dataset_kind(key[0]))
        nodes.append(
            LineageNode(id=node_id(key), dataset=key[0], column=key[1], kind=kind, department=dept, depth=d)
        )
    at = {n.id: n.depth for n in nodes}  # edges upstream first, as the data flows
    edges = sorted(links.values(), key=lambda e: (at.get(e.source, 0), e.source, e.target))
    return LineageGraph(dataset=start[0], column=start[1], direction=direction, nodes=nodes, edges=edges)


def _exists(session: Session, dataset: str) -> None:
    if session.scalar(select(LineageDataset.id).where(LineageDataset.name == dataset)) is None:
        if not (dataset.startswith("service:") and services.upstream(session, {dataset})):
            raise NotFound("govern.lineage.unknown_dataset", dataset=dataset)


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise InvalidInput("govern.lineage.bad_direction", direction=direction, known=", ".join(DIRECTIONS))


def table_lineage(
    session: Session, actor: Actor, dataset: str, direction: Direction = "both"
) -> LineageGraph:
    """Every dataset upstream and/or downstream of ``dataset``, with the jobs between them."""
    actor.require(Permission.CATALOG_READ)
    _check_direction(direction)
    _exists(session, dataset)
    return _walk(session, (dataset, None), direction, columns=False)


def may_see_columns(session: Session, actor: Actor, dataset: str) -> bool:
    """Whether ``actor`` may see the column-level lineage of ``dataset`` (see the module docstring)."""
    from govdata.catalog.models import Resource, ResourceStatus

    if not actor.can(Permission.CATALOG_READ):
        return False
    if actor.role == "system" or actor.is_bureau:
        return True
    kind = dataset_kind(dataset)
    dept = dataset_department(dataset, kind)
    if dept is not None and dept == actor.department_code:
        return True
    if kind == "lake":
        table = dataset.split(".", 1)[-1]
        candidates = [f"{layer}.{table}" for layer in ("raw", "std", "fact", "topic", "base")]
        query = select(Resource).where(Resource.lake_table.in_(candidates))
    elif kind == "service":
        query = select(Resource).where(Resource.code == services.resource_code(dataset))
    else:
        return False
    published = ResourceStatus.PUBLISHED.value
    return any(
        r.status == published or r.department_id == actor.department_id for r in session.scalars(query)
    )


def column_lineage(
    session: Session, actor: Actor, dataset: str, column: str, direction: Direction = "both"
) -> LineageGraph:
    """Every column upstream and/or downstream of ``dataset.column``: from the source system's column
    through every layer to the services that expose it."""
    actor.require(Permission.CATALOG_READ)
    _check_direction(direction)
    _exists(session, dataset)
    if not may_see_columns(session, actor, dataset):
        raise PermissionDenied("govern.lineage.columns_hidden", dataset=dataset)
    graph = _walk(session, (dataset, column), direction, columns=True)
    if len(graph.nodes) == 1:
        raise NotFound("govern.lineage.unknown_column", dataset=dataset, column=column)
    return graph


def list_datasets(session: Session, actor: Actor, q: str = "", limit: int = 50) -> list[DatasetOut]:
    """Datasets whose name contains ``q`` (for the portal's picker), by name."""
    actor.require(Permission.CATALOG_READ)
    query = select(LineageDataset).order_by(LineageDataset.name).limit(max(1, min(limit, 500)))
    if q:
        query = query.where(LineageDataset.name.contains(q, autoescape=True))
    return [DatasetOut(name=d.name, kind=d.kind, department=d.department) for d in session.scalars(query)]


def dataset_columns(session: Session, actor: Actor, dataset: str) -> list[str]:
    """The columns of ``dataset`` that column lineage knows (empty when the actor may not see them)."""
    if not may_see_columns(session, actor, dataset):
        return []
    as_source = select(LineageColumnEdge.source_column).join(_Src, _Src.id == LineageColumnEdge.source_id)
    as_target = select(LineageColumnEdge.target_column).join(_Tgt, _Tgt.id == LineageColumnEdge.target_id)
    found = set(session.scalars(as_source.where(_Src.name == dataset)))
    found.update(session.scalars(as_target.where(_Tgt.name == dataset)))
    if dataset_kind(dataset) == "lake":
        found.update(c for e in services.downstream(session, {dataset}) for c in e.columns)
    return sorted(found)
