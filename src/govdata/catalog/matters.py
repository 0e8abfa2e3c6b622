"""The departments' matter lists (事项清单) and matter coverage (事项覆盖率).

A department registers the government service matters (政务服务事项) and power-list items (权力事项)
it handles; catalog entries name the matters each resource serves. Matter coverage is the share of
a department's registered matters served by at least one published resource — the figure bureaus
report ("covering 99.81 % of government matters"). Registering is an upsert by code: a matter's
name can be corrected, its kind cannot change once resources name it.

Raises ``InvalidInput`` for a malformed list (every bad row named), ``PermissionDenied`` without
``catalog.write`` or for another department, ``NotFound`` for an unknown department.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.entry import Known, entry_problems
from govdata.catalog.models import Matter, MatterKind, Resource, ResourceStatus, resource_matters
from govdata.catalog.schemas import ItemIn, MatterRef, ResourceIn
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department
from govdata.security.org import department_by_code
from govdata.security.roles import Permission

MAX_MATTERS = 10_000  # one request; a department's list is hundreds to a few thousand


class MatterListIn(BaseModel):
    department: str  # department code
    matters: list[MatterRef] = Field(min_length=1, max_length=MAX_MATTERS)


class MatterOut(BaseModel):
    code: str
    name: str
    kind: str
    department: str | None
    resources: int  # published resources serving it


class RegisterResult(BaseModel):
    created: int
    updated: int
    unchanged: int


def register_matters(session: Session, audit: AuditLog, actor: Actor, data: MatterListIn) -> RegisterResult:
    """Add or correct the department's matters; all rows are checked before any is written."""
    actor.require(Permission.CATALOG_WRITE)
    dept = department_by_code(session, data.department)
    actor.require_department(dept.id)
    existing = {
        m.code: m
        for m in session.execute(
            select(Matter).where(Matter.code.in_([r.code.strip() for r in data.matters]))
        ).scalars()
    }
    _check(data.matters, existing)
    counts: Counter[str] = Counter()
    for row in data.matters:
        code, name = row.code.strip(), row.name.strip()
        kind = MatterKind(_kind(row.kind)).value
        matter = existing.get(code)
        if matter is None:
            session.add(Matter(code=code, name=name, kind=kind, department_id=dept.id))
            counts["created"] += 1
        elif (matter.name, matter.department_id) != (name, dept.id):
            matter.name, matter.department_id = name, dept.id
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    session.flush()
    audit.record(
        session,
        actor,
        "catalog.matters_registered",
        target=f"department:{dept.code}",
        detail={"created": counts["created"], "updated": counts["updated"], "rows": len(data.matters)},
    )
    return RegisterResult(created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"])


def _kind(value: str) -> str:
    from govdata.catalog.vocab import parse

    return parse(MatterKind, "matter_kind", value, "事项类型").value


def _check(rows: list[MatterRef], existing: dict[str, Matter]) -> None:
    """The entry rules for matters (code shape, names, kinds, duplicates, kind of known codes),
    applied to the whole list at once so every bad row is reported."""
    probe = ResourceIn(
        code="probe", name="probe", department="probe", summary="probe", category="base", format="数据库",
        share_type="unconditional", open_type="closed", update_cycle="daily",
        items=[ItemIn(column="probe", name="probe")], matters=rows,
    )  # fmt: skip
    known = Known(matter_kinds={code: m.kind for code, m in existing.items()})
    problems = [p for p in entry_problems(probe, known) if p.field in ("matters", "powers")]
    if problems:
        raise problems[0].error()


def list_matters(session: Session, actor: Actor, department: str | None = None) -> list[MatterOut]:
    """Matters (of one department, or all) with how many published resources serve each."""
    actor.require(Permission.CATALOG_READ)
    serving = dict(
        session.execute(
            select(resource_matters.c.matter_id, func.count())
            .join(Resource, Resource.id == resource_matters.c.resource_id)
            .where(Resource.status == ResourceStatus.PUBLISHED.value)
            .group_by(resource_matters.c.matter_id)
        ).all()
    )
    stmt = select(Matter, Department.code).outerjoin(Department, Department.id == Matter.department_id)
    if department:
        stmt = stmt.where(Matter.department_id == department_by_code(session, department).id)
    return [
        MatterOut(code=m.code, name=m.name, kind=m.kind, department=code, resources=int(serving.get(m.id, 0)))
        for m, code in session.execute(stmt.order_by(Matter.code))
    ]


def matter_coverage(session: Session) -> dict[int, tuple[int, int]]:
    """Per department id: (registered matters, matters served by a published resource)."""
    served = (
        select(resource_matters.c.matter_id)
        .join(Resource, Resource.id == resource_matters.c.resource_id)
        .where(Resource.status == ResourceStatus.PUBLISHED.value)
    )
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = session.execute(
        select(Matter.department_id, Matter.id.in_(served), func.count())
        .where(Matter.department_id.is_not(None))
        .group_by(Matter.department_id, Matter.id.in_(served))
    )
    for dept_id, is_served, n in rows:
        out[int(dept_id)][0] += int(n)
        if is_served:
            out[int(dept_id)][1] += int(n)
    return {k: (v[0], v[1]) for k, v in out.items()}
