"""Sharing services: apply, approve or reject, and read records through a grant.

Data leaves only through an active grant, only the granted fields, masked by each item's masking
rule, and every read — allowed or refused — is written to the audit trail.
A resource aggregated logically (逻辑归集: an ingest source table in ``logical`` mode is linked to
it) is read from the department's source in place, through ``govdata.ingest.query_in_place``;
nothing is copied into the lake. A source that cannot answer raises ``TransientError``
(``share.source_unavailable``, ``share.source_disabled``) after the failed read is audited.
Raises ``PermissionDenied``, ``NotFound``, ``InvalidInput``, ``Conflict`` and ``TransientError``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.models import Resource, ResourceStatus, ShareType
from govdata.catalog.service import get_resource, logical_source
from govdata.db.base import utcnow
from govdata.errors import Conflict, GovdataError, InvalidInput, NotFound, PermissionDenied, TransientError
from govdata.ingest import SourceTable, query_in_place
from govdata.lake import Lake, TableRef
from govdata.lake.sql import quote_ident
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.masking import mask_table
from govdata.security.roles import Permission
from govdata.share.models import Application, ApplicationStatus, Grant

SERVICE_QUERY = "query"
MAX_ROWS = 100


def apply(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    resource_code: str,
    fields: list[str],
    purpose: str,
    days: int = 365,
) -> Application:
    """A consumer department asks for fields of a resource; 无条件共享 is granted at once."""
    actor.require(Permission.SHARE_APPLY)
    if actor.department_id is None:
        raise PermissionDenied("share.no_department")
    res = get_resource(session, resource_code)
    if res.status != ResourceStatus.PUBLISHED.value:
        raise NotFound("catalog.not_found", code=resource_code)
    if res.share_type == ShareType.NONE.value:
        raise PermissionDenied("share.not_shareable", code=res.code, basis=res.share_basis or "")
    if not purpose.strip():
        raise InvalidInput("share.purpose_required")
    known = {i.column for i in res.items}
    unknown = [f for f in fields if f not in known]
    if not fields or unknown:
        raise InvalidInput("share.unknown_fields", fields=", ".join(unknown) or "-")
    if not 1 <= days <= 3 * 365:
        raise InvalidInput("share.bad_days", days=days)
    app = Application(
        resource_id=res.id,
        consumer_department_id=actor.department_id,
        applicant_id=actor.user_id,
        fields=sorted(set(fields)),
        purpose=purpose.strip(),
        service_types=[SERVICE_QUERY],
        days=days,
    )
    session.add(app)
    session.flush()
    audit.record(
        session,
        actor,
        "share.applied",
        target=f"resource:{res.code}",
        fields=app.fields,
        detail={"application": app.id, "purpose": app.purpose},
    )
    if res.share_type == ShareType.UNCONDITIONAL.value:
        _grant(session, audit, Actor.system("share"), app, "无条件共享")
    return app


def decide(
    session: Session, audit: AuditLog, actor: Actor, application_id: int, approve: bool, note: str = ""
) -> Application:
    """The provider's data officer approves or rejects an application for its own resource."""
    actor.require(Permission.SHARE_APPROVE)
    app = session.get(Application, application_id)
    if app is None:
        raise NotFound("share.application_not_found", id=application_id)
    actor.require_department(app.resource.department_id)
    if app.status != ApplicationStatus.PENDING.value:
        raise Conflict("share.already_decided", id=application_id, status=app.status)
    if approve:
        _grant(session, audit, actor, app, note)
    else:
        if not note.strip():
            raise InvalidInput("share.reason_required")
        app.status = ApplicationStatus.REJECTED.value
        app.decided_by_id, app.decided_at, app.decision_note = actor.user_id, utcnow(), note
        audit.record(session, actor, "share.rejected", target=f"application:{app.id}", detail={"note": note})
    return app


def _grant(session: Session, audit: AuditLog, actor: Actor, app: Application, note: str) -> Grant:
    app.status = ApplicationStatus.APPROVED.value
    app.decided_by_id, app.decided_at, app.decision_note = actor.user_id, utcnow(), note
    grant = Grant(
        application_id=app.id,
        resource_id=app.resource_id,
        consumer_department_id=app.consumer_department_id,
        fields=list(app.fields),
        purpose=app.purpose,
        service_types=list(app.service_types),
        expires_at=utcnow() + dt.timedelta(days=app.days),
    )
    session.add(grant)
    session.flush()
    audit.record(
        session,
        actor,
        "share.granted",
        target=f"resource:{app.resource.code}",
        fields=grant.fields,
        grant_id=grant.id,
        detail={"application": app.id, "consumer": app.consumer.code},
    )
    return grant


def active_grant(session: Session, department_id: int | None, resource: Resource) -> Grant | None:
    if department_id is None:
        return None
    now = utcnow()
    grants = session.execute(
        select(Grant)
        .where(Grant.resource_id == resource.id, Grant.consumer_department_id == department_id)
        .where(Grant.revoked_at.is_(None))
        .order_by(Grant.id.desc())
    ).scalars()
    return next((g for g in grants if g.expires_at > now), None)


def read_records(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    resource_code: str,
    key: str,
    fields: list[str] | None = None,
    *,
    secret_key: str,
) -> list[dict[str, Any]]:
    """Records of a resource whose key equals ``key``: granted fields only, masked, audited.

    Read from the lake, or — for a logically aggregated resource — from the source itself
    (``secret_key`` decrypts its credentials). A failed source read is audited, committed so the
    record survives the caller's rollback, and raised as ``TransientError``.
    """
    actor.require(Permission.DATA_READ)
    res = get_resource(session, resource_code)
    grant = active_grant(session, actor.department_id, res)
    target = f"resource:{res.code}"
    if grant is None:
        audit.record(session, actor, "share.read", target=target, fields=fields, outcome="denied")
        raise PermissionDenied("share.no_grant", code=res.code)
    wanted = fields or list(grant.fields)
    outside = [f for f in wanted if f not in grant.fields]
    if outside:
        audit.record(
            session, actor, "share.read", target=target, fields=wanted, grant_id=grant.id, outcome="denied"
        )
        raise PermissionDenied("share.fields_not_granted", fields=", ".join(outside))
    source = logical_source(session, res)
    detail: dict[str, Any] = {"key_column": res.key_column}
    if source is not None and res.key_column:
        detail.update(logical=True, source_table=source.id)
        table = _read_in_place(session, audit, actor, res, grant, source, wanted, key, secret_key)
    elif not res.lake_table or not res.key_column:
        raise NotFound("share.no_data", code=res.code)
    else:
        table = _read_lake(lake, res, wanted, key)
    masks = {i.column: i.masking for i in res.items if i.column in wanted and i.masking}
    table = mask_table(table, masks)
    audit.record(
        session,
        actor,
        "share.read",
        target=target,
        fields=wanted,
        rows=table.num_rows,
        grant_id=grant.id,
        detail=detail,
    )
    return table.to_pylist()


def _read_lake(lake: Lake, res: Resource, wanted: list[str], key: str) -> pa.Table:
    """The rows of the resource's lake table whose key equals ``key`` (物理归集)."""
    assert res.lake_table is not None and res.key_column is not None  # checked by the caller
    ref = TableRef.parse(res.lake_table)
    cols = ", ".join(quote_ident(c) for c in wanted)
    with lake.connect(t=ref) as con:
        return con.sql(
            f"SELECT {cols} FROM t WHERE CAST({quote_ident(res.key_column)} AS VARCHAR) = ? LIMIT {MAX_ROWS}",  # noqa: S608
            params=[key],
        ).to_arrow_table()


def _read_in_place(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    res: Resource,
    grant: Grant,
    source: SourceTable,
    wanted: list[str],
    key: str,
    secret_key: str,
) -> pa.Table:
    """The rows of the department's source whose key equals ``key``, asked of the source (逻辑归集).

    The key is a bound filter, only ``wanted`` columns are fetched, at most ``MAX_ROWS`` rows. A
    failure is audited (``outcome="failed"``), committed, and raised; an unreachable or disabled
    source becomes a ``TransientError`` that names the resource, never the source's address.
    """
    assert res.key_column is not None  # checked by the caller
    error: GovdataError
    if not source.enabled:
        error = TransientError("share.source_disabled", code=res.code)
    else:
        try:
            return query_in_place(
                session, source, secret_key, {res.key_column: key}, columns=wanted, limit=MAX_ROWS
            )
        except TransientError as exc:
            error = TransientError("share.source_unavailable", code=res.code, department=res.department.name)
            error.__cause__ = exc
        except GovdataError as exc:
            error = exc
    audit.record(
        session,
        actor,
        "share.read",
        target=f"resource:{res.code}",
        fields=wanted,
        grant_id=grant.id,
        outcome="failed",
        detail={
            "key_column": res.key_column,
            "logical": True,
            "source_table": source.id,
            "error": error.code,
        },
    )
    session.commit()
    raise error
