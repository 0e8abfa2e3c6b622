"""Governance services: check a catalogued table's quality and keep the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from govdata.catalog.models import Resource
from govdata.govern.models import QualityCheck, QualityRun
from govdata.govern.quality import RuleBinding, check_table
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.masking import mask_table
from govdata.security.models import Department
from govdata.security.roles import Permission


def check_resource(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    resource: Resource,
    bindings: Sequence[RuleBinding] | None = None,
) -> QualityRun:
    """Check the resource's lake table and store the run: against ``bindings`` when given (a partial
    run: ``all_bindings`` False), else against every effective binding of the resource."""
    actor.require(Permission.QUALITY_READ)
    if not resource.lake_table:
        raise ValueError(f"resource {resource.code} has no lake table")
    ref = TableRef.parse(resource.lake_table)
    keys = [resource.key_column] if resource.key_column else ["_source_row"]
    chosen = list(bindings) if bindings is not None else catalog_bindings(resource, lake.schema(ref))
    report = check_table(
        lake, ref, chosen, key_columns=["_source_row", *[k for k in keys if k != "_source_row"]]
    )
    masks = {i.column: i.masking for i in resource.items if i.masking}
    run = QualityRun(
        table_key=ref.key,
        resource_id=resource.id,
        department_id=resource.department_id,
        lake_version=report.version,
        rows=report.rows,
        score=report.score,
        dimension_scores=dict(report.dimension_scores),
        all_bindings=bindings is None,
        checks=[
            QualityCheck(
                rule=r.binding.rule_name,
                columns=list(r.binding.columns),
                dimension=str(r.dimension),
                checked_rows=r.checked_rows,
                failed_rows=r.failed_rows,
                reasons=dict(r.reasons),
                samples=_masked_samples(r.samples, masks),
                params=dict(r.binding.params),
            )
            for r in report.results
        ],
    )
    session.add(run)
    session.flush()
    audit.record(
        session,
        actor,
        "quality.checked",
        target=f"table:{ref.key}",
        rows=report.rows,
        detail={"score": report.score, "version": report.version},
    )
    return run


def catalog_bindings(resource: Resource, schema: pa.Schema) -> list[RuleBinding]:
    """Rules a catalogued table gets: not-null on required items, uniqueness of the key, what the
    column names suggest, the rules of bound data elements, and the stored bindings (which replace
    or switch off derived ones) — see ``govern.quality.stored``. A stored binding on a column the
    table no longer has does not apply (derived ones follow the columns already), so one renamed
    column does not stop the whole table's check."""
    from govdata.govern.quality.stored import effective_bindings  # it imports the catalog: late

    present = set(schema.names)
    return [
        e.binding
        for e in effective_bindings(object_session(resource), resource, schema)
        if e.enabled and present.issuperset(e.binding.columns)
    ]


def latest_runs(session: Session) -> list[QualityRun]:
    """The newest quality run of every table."""
    newest = select(QualityRun.table_key, func.max(QualityRun.id).label("id")).group_by(QualityRun.table_key)
    ids = [row.id for row in session.execute(newest)]
    if not ids:
        return []
    return list(
        session.execute(
            select(QualityRun)
            .where(QualityRun.id.in_(ids))
            .options(selectinload(QualityRun.checks))
            .order_by(QualityRun.table_key)
        ).scalars()
    )


def _masked_samples(samples: list[dict[str, object]], masks: dict[str, str]) -> list[dict[str, object]]:
    """Sample failing keys as stored: masked where the catalog item says so (they reach the portal)."""
    if not samples:
        return []
    table = mask_table(pa.Table.from_pylist(samples), {c: m for c, m in masks.items() if c in samples[0]})
    return [{k: _jsonable(v) for k, v in row.items()} for row in table.to_pylist()]


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@dataclass(frozen=True)
class DepartmentScore:
    code: str
    name: str
    tables: int
    score: float | None  # mean of its tables' latest scores, one decimal


def department_scores(session: Session, actor: Actor) -> list[DepartmentScore]:
    """Each providing department's quality: the mean of its tables' latest scores, worst first."""
    actor.require(Permission.OVERVIEW_READ)
    per: dict[int, list[float]] = {}
    for run in latest_runs(session):
        if run.department_id is not None and run.score is not None:
            per.setdefault(run.department_id, []).append(run.score)
    depts = session.execute(select(Department).where(Department.id.in_(per))).scalars()
    rows = [
        DepartmentScore(d.code, d.name, len(per[d.id]), round(sum(per[d.id]) / len(per[d.id]), 1))
        for d in depts
    ]
    return sorted(rows, key=lambda r: (r.score if r.score is not None else 101.0, r.code))
