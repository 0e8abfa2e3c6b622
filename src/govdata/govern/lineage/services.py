"""Where data leaves the lake, as lineage derived on read from the sharing and open-data records.

The sharing pillar has no single place where a service is created (a grant is written by an approval,
open data by publishing the catalog entry), so these edges are not stored: they are read from the
resources, grants and catalog items each time, and so are always current (a revoked or expired grant
is gone). A resource's lake table feeds:

- ``service:share/<resource code>/<consumer department>`` — the active grants of that consumer, one
  column edge per granted field;
- ``service:opendata/<resource code>`` — when the resource is published as 无条件开放, one column
  edge per catalog item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.db.base import utcnow

SHARE = "service:share/"
OPEN = "service:opendata/"


@dataclass(frozen=True)
class ServiceEdge:
    source: str  # lake table
    target: str  # service dataset
    columns: tuple[str, ...]  # the lake columns the service exposes (same name on both sides)
    job: str


def _edges_of(session: Session, resources: Iterable[object]) -> list[ServiceEdge]:
    from govdata.catalog.models import OpenType, Resource, ResourceStatus
    from govdata.security.models import Department
    from govdata.share.models import Grant

    found: list[ServiceEdge] = []
    by_id: dict[int, Resource] = {r.id: r for r in resources if isinstance(r, Resource) and r.lake_table}
    if not by_id:
        return found
    now = utcnow()
    grants = session.execute(
        select(Grant, Department.code)
        .join(Department, Department.id == Grant.consumer_department_id)
        .where(Grant.resource_id.in_(by_id), Grant.revoked_at.is_(None))
        .order_by(Grant.id)
    ).all()
    granted: dict[tuple[int, str], dict[str, None]] = {}
    for grant, consumer in grants:
        if grant.expires_at > now:
            granted.setdefault((grant.resource_id, consumer), {}).update(dict.fromkeys(grant.fields))
    for (resource_id, consumer), fields in granted.items():
        res = by_id[resource_id]
        target = f"{SHARE}{res.code}/{consumer}"
        found.append(ServiceEdge(str(res.lake_table), target, tuple(fields), target))
    for res in by_id.values():
        if res.status == ResourceStatus.PUBLISHED.value and res.open_type == OpenType.OPEN.value:
            target = f"{OPEN}{res.code}"
            columns = tuple(i.column for i in res.items)
            found.append(ServiceEdge(str(res.lake_table), target, columns, target))
    return found


def resource_code(service: str) -> str:
    """The resource code in a service's name (codes contain ``/``; the consumer is the last part)."""
    if service.startswith(OPEN):
        return service.removeprefix(OPEN)
    return service.removeprefix(SHARE).rsplit("/", 1)[0]


def downstream(session: Session, lake_tables: set[str]) -> list[ServiceEdge]:
    """The services fed by any of ``lake_tables``."""
    from govdata.catalog.models import Resource

    if not lake_tables:
        return []
    query = select(Resource).where(Resource.lake_table.in_(lake_tables)).options(selectinload(Resource.items))
    return _edges_of(session, session.scalars(query))


def upstream(session: Session, services: set[str]) -> list[ServiceEdge]:
    """The edges into any of ``services``."""
    from govdata.catalog.models import Resource

    codes = {resource_code(s) for s in services}
    if not codes:
        return []
    query = select(Resource).where(Resource.code.in_(codes)).options(selectinload(Resource.items))
    return [e for e in _edges_of(session, session.scalars(query)) if e.target in services]
