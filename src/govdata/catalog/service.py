"""Catalog services: file, publish, find and describe resources.

``logical_source`` tells which resources are answered in place by a department's source
(逻辑归集, an ingest ``SourceTable`` in ``logical`` mode linked by ``resource_id``) rather than
from a copy in the lake (物理归集); ``to_out`` reports it as ``aggregation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, object_session, selectinload

from govdata.catalog.entry import apply_entry, check_entry
from govdata.catalog.models import (
    Item,
    OpenType,
    Resource,
    ResourceStatus,
    Revision,
)
from govdata.catalog.schemas import ItemOut, MatterRef, ResourceIn, ResourceOut
from govdata.catalog.search_index import index_resource
from govdata.catalog.vocab import label
from govdata.errors import Conflict, NotFound
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.org import department_by_code
from govdata.security.roles import Permission

if TYPE_CHECKING:
    from govdata.ingest import SourceTable


def create_resource(session: Session, audit: AuditLog, actor: Actor, data: ResourceIn) -> Resource:
    """File a draft resource for the actor's department (the platform may file for any)."""
    actor.require(Permission.CATALOG_WRITE)
    dept = department_by_code(session, data.department)
    actor.require_department(dept.id)
    check_entry(session, data)
    if session.execute(select(Resource.id).where(Resource.code == data.code)).first():
        raise Conflict("catalog.duplicate_code", code=data.code)
    res = Resource(status=ResourceStatus.DRAFT.value)
    apply_entry(session, res, data, dept)
    session.add(res)
    session.flush()
    index_resource(session, res)
    audit.record(session, actor, "catalog.resource_created", target=f"resource:{res.code}")
    # revision 1: the filing itself, a draft on its way through the lifecycle (catalog.lifecycle)
    payload = data.model_dump(mode="json")
    session.add(Revision(resource_id=res.id, number=1, payload=payload, created_by=actor.username))
    session.flush()
    target = f"resource:{res.code}"
    audit.record(session, actor, "catalog.revision_created", target=target, detail={"revision": 1})
    return res


def publish_resource(session: Session, audit: AuditLog, actor: Actor, code: str) -> Resource:
    """The platform publishes directly (demo build, seeding): ``catalog.lifecycle.publish_directly``."""
    from govdata.catalog.lifecycle import publish_directly  # the lifecycle builds on this module

    return publish_directly(session, audit, actor, code)


def get_resource(session: Session, code: str) -> Resource:
    res = session.execute(
        select(Resource).where(Resource.code == code).options(selectinload(Resource.items))
    ).scalar_one_or_none()
    if res is None:
        raise NotFound("catalog.not_found", code=code)
    return res


def logical_source(session: Session, resource: Resource) -> SourceTable | None:
    """The ingest source table answering for ``resource`` in place (逻辑归集), or ``None`` (物理归集)."""
    from govdata.ingest import SourceTable  # the ingest pillar imports the catalog: import late

    return session.execute(
        select(SourceTable)
        .where(SourceTable.resource_id == resource.id, SourceTable.mode == "logical")
        .order_by(SourceTable.id)
        .limit(1)
    ).scalar_one_or_none()


def logical_resource_ids(session: Session, ids: list[int]) -> set[int]:
    """Which of ``ids`` are answered in place by a logical source table — one query for a page."""
    from govdata.ingest import SourceTable  # the ingest pillar imports the catalog: import late

    if not ids:
        return set()
    rows = session.execute(
        select(SourceTable.resource_id).where(SourceTable.resource_id.in_(ids), SourceTable.mode == "logical")
    )
    return {int(r[0]) for r in rows}


def aggregation(resource: Resource) -> str:
    """``"logical"`` when a logical source table is linked to ``resource``, else ``"physical"``."""
    session = object_session(resource)
    if session is None or resource.id is None:
        return "physical"
    return "logical" if logical_source(session, resource) is not None else "physical"


def search_resources(
    session: Session,
    actor: Actor,
    q: str | None = None,
    department: str | None = None,
    share_type: str | None = None,
    open_type: str | None = None,
    published_only: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Resource], int]:
    """Resources matching a text query and facets; the total count before paging."""
    actor.require(Permission.CATALOG_READ)
    stmt = select(Resource)
    if published_only:
        stmt = stmt.where(Resource.status == ResourceStatus.PUBLISHED.value)
    if q:
        like = f"%{q.strip()}%"
        item_match = select(Item.resource_id).where(Item.name.like(like))
        stmt = stmt.where(
            or_(Resource.name.like(like), Resource.summary.like(like), Resource.id.in_(item_match))
        )
    if department:
        stmt = stmt.where(Resource.department_id == department_by_code(session, department).id)
    if share_type:
        stmt = stmt.where(Resource.share_type == share_type)
    if open_type:
        stmt = stmt.where(Resource.open_type == open_type)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.options(selectinload(Resource.items), selectinload(Resource.department))
        .order_by(Resource.department_id, Resource.code)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), int(total)


def open_resources(session: Session) -> list[Resource]:
    """Published resources whose open attribute is 无条件开放 — visible to the public."""
    return list(
        session.execute(
            select(Resource)
            .where(
                Resource.status == ResourceStatus.PUBLISHED.value, Resource.open_type == OpenType.OPEN.value
            )
            .options(selectinload(Resource.items), selectinload(Resource.department))
            .order_by(Resource.code)
        ).scalars()
    )


def to_outs(resources: list[Resource], lang: str = "zh") -> list[ResourceOut]:
    """``to_out`` for a page of resources, asking once which of them are logical."""
    if not resources:
        return []
    session = object_session(resources[0])
    logical = logical_resource_ids(session, [r.id for r in resources]) if session is not None else set()
    return [to_out(r, lang, logical=r.id in logical) for r in resources]


def to_out(res: Resource, lang: str = "zh", *, logical: bool | None = None) -> ResourceOut:
    """The reader's view of a resource; ``logical`` when already known (see ``to_outs``)."""
    return ResourceOut(
        code=res.code,
        name=res.name,
        department=res.department.code,
        department_name=res.department.name,
        summary=res.summary,
        category=res.category,
        format=res.format,
        share_type=res.share_type,
        share_type_label=label("share_type", res.share_type, lang),
        share_condition=res.share_condition,
        open_type=res.open_type,
        open_type_label=label("open_type", res.open_type, lang),
        update_cycle=res.update_cycle,
        update_cycle_label=label("update_cycle", res.update_cycle, lang),
        status=res.status,
        published_at=res.published_at,
        lake_table=res.lake_table,
        aggregation=aggregation(res) if logical is None else ("logical" if logical else "physical"),
        classification=res.classification,
        sharing_method=res.sharing_method,
        sharing_method_label=label("sharing_method", res.sharing_method, lang)
        if res.sharing_method
        else None,
        source_system=res.system.name if res.system else None,
        matters=[MatterRef(code=m.code, name=m.name, kind=m.kind) for m in res.matters],
        tags=list(res.tags or []),
        related=[r.code for r in res.related],
        version=res.version,
        items=[ItemOut.model_validate(i, from_attributes=True) for i in res.items],
    )
