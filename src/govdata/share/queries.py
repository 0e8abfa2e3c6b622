"""Read-side queries of the sharing pillar: who sees which applications and grants."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Resource
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.share.models import Application


def list_applications(session: Session, actor: Actor) -> list[Application]:
    """Applications the actor's department filed or must decide; all of them for the platform."""
    actor.require(Permission.CATALOG_READ)
    stmt = (
        select(Application)
        .join(Resource, Application.resource_id == Resource.id)
        .options(
            selectinload(Application.resource).selectinload(Resource.department),
            selectinload(Application.consumer),
        )
        .order_by(Application.id.desc())
    )
    if actor.role != "system":
        stmt = stmt.where(
            or_(
                Application.consumer_department_id == actor.department_id,
                Resource.department_id == actor.department_id,
            )
        )
    return list(session.execute(stmt).scalars())
