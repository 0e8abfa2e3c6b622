"""Recording lineage: ``record_lineage`` upserts a job's datasets and edges and stores its run.

A job's edges are those of its latest run: recording a run refreshes the edges it names (their run
becomes the new one) and drops the job's edges it no longer names (a column removed at the source).
A table-level edge that would make a dataset its own ancestor is refused
(``govern.lineage.cycle``, naming the path). A job that reads and writes the same table (an
incremental merge) is no cycle: it is kept as the run's new lake version of that table, with no
edge (the OpenLineage event lists the table as both input and output, as the spec does).
Raises ``InvalidInput`` for an unknown job kind or an empty dataset name; never commits.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import InvalidInput
from govdata.govern.lineage.models import (
    DatasetKind,
    LineageColumnEdge,
    LineageDataset,
    LineageEdge,
    LineageJob,
    LineageRun,
)
from govdata.govern.lineage.openlineage import run_event

JOB_KINDS = ("ingest", "standardize", "merge", "service")
MAX_NAME = 400
MAX_COLUMN = 200
MAX_TRANSFORM = 400


@dataclass(frozen=True)
class ColumnEdge:
    """``source_table.source_column`` feeds ``target_table.target_column``, through ``transform``."""

    source_table: str
    source_column: str
    target_table: str
    target_column: str
    transform: str | None = None


def dataset_kind(name: str) -> DatasetKind:
    """``source:…`` and ``service:…`` names are sources and services; every other name is a lake table."""
    prefix = name.split(":", 1)[0] if ":" in name else ""
    if prefix == "source":
        return DatasetKind.source
    if prefix == "service":
        return DatasetKind.service
    return DatasetKind.lake


def dataset_department(name: str, kind: DatasetKind) -> str | None:
    """``raw.gaj.rk`` and ``source:gaj/…`` belong to ``gaj``; a service to no department."""
    if kind is DatasetKind.source and "/" in name:
        return name.removeprefix("source:").split("/", 1)[0][:64] or None
    parts = name.split(".")
    return parts[1][:64] if kind is DatasetKind.lake and len(parts) == 3 else None


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _check_names(job: str, kind: str, names: list[str], edges: Sequence[ColumnEdge]) -> None:
    if kind not in JOB_KINDS:
        raise InvalidInput("govern.lineage.bad_job_kind", kind=kind, known=", ".join(JOB_KINDS))
    named = [("job", job, MAX_NAME), *(("dataset", name, MAX_NAME) for name in names)]
    named += [("column", c, MAX_COLUMN) for e in edges for c in (e.source_column, e.target_column)]
    for field, value, limit in named:
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise InvalidInput("govern.lineage.bad_name", field=field, value=str(value)[:80], limit=limit)


def _datasets(session: Session, names: list[str]) -> dict[str, LineageDataset]:
    found = {d.name: d for d in session.scalars(select(LineageDataset).where(LineageDataset.name.in_(names)))}
    for name in names:
        if name not in found:
            kind = dataset_kind(name)
            found[name] = LineageDataset(name=name, kind=kind, department=dataset_department(name, kind))
            session.add(found[name])
    session.flush()
    return found


def _path(graph: dict[int, set[int]], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal along ``graph`` (breadth first), or None."""
    previous: dict[int, int] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while path[-1] != start:
                path.append(previous[path[-1]])
            return path[::-1]
        for nxt in graph.get(node, ()):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return None


def _check_cycles(session: Session, job_id: int, pairs: list[tuple[LineageDataset, LineageDataset]]) -> None:
    """Refuse the first pair that closes a cycle with the other jobs' edges and the pairs before it."""
    graph: dict[int, set[int]] = {}
    others = select(LineageEdge.source_id, LineageEdge.target_id).where(LineageEdge.job_id != job_id)
    for source_id, target_id in session.execute(others):
        graph.setdefault(source_id, set()).add(target_id)
    names = {d.id: d.name for pair in pairs for d in pair}
    for source, target in pairs:
        path = _path(graph, target.id, source.id)
        if path is not None:
            missing = [i for i in path if i not in names]
            rows = session.execute(
                select(LineageDataset.id, LineageDataset.name).where(LineageDataset.id.in_(missing))
            )
            names.update({row.id: row.name for row in rows})
            shown = " → ".join(names[i] for i in [source.id, *path])
            raise InvalidInput("govern.lineage.cycle", source=source.name, target=target.name, path=shown)
        graph.setdefault(source.id, set()).add(target.id)


def record_lineage(
    session: Session,
    *,
    job: str,
    kind: str,
    inputs: list[str],
    outputs: list[str],
    column_edges: Sequence[ColumnEdge] = (),
    version: int | None = None,
) -> LineageRun:
    """Record one completed run of ``job`` (``kind``: ingest, standardize, merge or service).

    Tables named only in ``column_edges`` count as inputs or outputs too. Flushes, never commits.
    """
    inputs = _unique([*inputs, *(e.source_table for e in column_edges)])
    outputs = _unique([*outputs, *(e.target_table for e in column_edges)])
    _check_names(job, kind, [*inputs, *outputs], column_edges)
    datasets = _datasets(session, _unique([*inputs, *outputs]))
    job_row = session.scalar(select(LineageJob).where(LineageJob.name == job))
    if job_row is None:
        job_row = LineageJob(name=job, kind=kind)
        session.add(job_row)
    job_row.kind = kind
    session.flush()

    pairs = [(datasets[i], datasets[o]) for i in inputs for o in outputs if i != o]
    _check_cycles(session, job_row.id, pairs)

    at = utcnow()
    run_uuid = str(uuid.uuid4())
    edges = [
        e for e in column_edges if (e.source_table, e.source_column) != (e.target_table, e.target_column)
    ]
    event = run_event(
        run_id=run_uuid,
        at=at,
        job=job,
        kind=kind,
        inputs=inputs,
        outputs=outputs,
        column_edges=edges,
        version=version,
    )
    run = LineageRun(run_uuid=run_uuid, job_id=job_row.id, version=version, at=at, event=event)
    session.add(run)
    session.flush()

    wanted = {(s.id, t.id) for s, t in pairs}
    for edge in session.scalars(select(LineageEdge).where(LineageEdge.job_id == job_row.id)):
        if (edge.source_id, edge.target_id) in wanted:
            edge.run_id = run.id
            wanted.discard((edge.source_id, edge.target_id))
        else:
            session.delete(edge)
    session.add_all(
        LineageEdge(source_id=s, target_id=t, job_id=job_row.id, run_id=run.id) for s, t in sorted(wanted)
    )

    columns = {
        (
            datasets[e.source_table].id,
            e.source_column,
            datasets[e.target_table].id,
            e.target_column,
        ): (e.transform or None) and e.transform[:MAX_TRANSFORM]
        for e in edges
    }
    stale: list[int] = []
    for col in session.scalars(select(LineageColumnEdge).where(LineageColumnEdge.job_id == job_row.id)):
        key = (col.source_id, col.source_column, col.target_id, col.target_column)
        if key in columns:
            col.run_id, col.transform = run.id, columns.pop(key)
        else:
            stale.append(col.id)
    if stale:
        session.execute(delete(LineageColumnEdge).where(LineageColumnEdge.id.in_(stale)))
    session.add_all(
        LineageColumnEdge(
            source_id=s,
            source_column=sc,
            target_id=t,
            target_column=tc,
            job_id=job_row.id,
            run_id=run.id,
            transform=tr,
        )
        for (s, sc, t, tc), tr in columns.items()
    )
    session.flush()
    return run
