"""Platform totals as a bureau reports them: departments, resources, tables, fields, records."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.models import Item, Resource, ResourceStatus
from govdata.lake import Lake
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.roles import Permission


@dataclass
class DepartmentTotals:
    code: str
    name: str
    resources: int = 0
    tables: int = 0
    records: int = 0


@dataclass
class Totals:
    departments: int
    resources: int
    items: int
    tables: int
    fields: int
    records: int
    bytes: int
    by_department: list[DepartmentTotals] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def platform_totals(session: Session, lake: Lake, actor: Actor) -> Totals:
    """Counts for the overview screen; needs only overview permission (counts, never data)."""
    actor.require(Permission.OVERVIEW_READ)
    depts = list(session.execute(select(Department).order_by(Department.id)).scalars())
    per = {d.code: DepartmentTotals(code=d.code, name=d.name) for d in depts}
    published = Resource.status == ResourceStatus.PUBLISHED.value
    for dept_id, n in session.execute(
        select(Resource.department_id, func.count()).where(published).group_by(Resource.department_id)
    ):
        dept = next(d for d in depts if d.id == dept_id)
        per[dept.code].resources = int(n)
    items = session.execute(
        select(func.count(Item.id)).join(Resource, Item.resource_id == Resource.id).where(published)
    ).scalar_one()
    tables = fields = records = size = 0
    for ref in lake.tables("raw"):
        st = lake.stats(ref)
        r, f, b = st.records, st.fields, st.bytes
        tables, fields, records, size = tables + 1, fields + f, records + r, size + b
        if ref.dept in per:
            per[ref.dept].tables += 1
            per[ref.dept].records += r
    return Totals(
        departments=len(depts),
        resources=sum(p.resources for p in per.values()),
        items=int(items),
        tables=tables,
        fields=fields,
        records=records,
        bytes=size,
        by_department=list(per.values()),
    )
