"""The catalog lifecycle (编目流程): draft → submitted → reviewed → published → new version → retired.

A department files a resource (revision 1, a draft), edits it, and submits it; the data bureau
reviews it (approve, or reject with a comment) and publishes it, which freezes version 1. A change of
a published resource is a new revision walking the same steps; readers keep seeing the published
version until the new one is published. Published ``Version`` rows are never updated.

Every service takes ``(session, audit, actor, ...)``, checks the permission itself, and audits the
transition (``catalog.revision_created``, ``catalog.revision_updated``, ``catalog.submitted``,
``catalog.reviewed``, ``catalog.rejected``, ``catalog.published``, ``catalog.retired``,
``catalog.withdrawn``). Raises ``Conflict("catalog.bad_transition")`` for a step the state does not
allow, ``PermissionDenied`` (``auth.forbidden``, ``auth.other_department``, ``auth.bureau_only``,
``catalog.self_review``), ``InvalidInput`` (``catalog.code_fixed``, ``catalog.reject_needs_comment``,
``catalog.retire_needs_reason``, ``catalog.bad_ref``) and ``NotFound`` (``catalog.not_found``,
``catalog.version_not_found``), besides what ``check_entry`` raises.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.entry import apply_entry, check_entry
from govdata.catalog.feed import resource_changed
from govdata.catalog.lifecycle_view import (
    EMPTY_VIEW,
    EntryDiff,
    EntryOut,
    RevisionOut,
    VersionOut,
    compare,
    entry_of,
    revision_out,
    version_out,
    view_of_entry,
    view_of_snapshot,
)
from govdata.catalog.models import (
    ChangeKind,
    Resource,
    ResourceStatus,
    Revision,
    RevisionStatus,
    Version,
)
from govdata.catalog.schemas import ResourceIn
from govdata.catalog.search_index import index_resource
from govdata.catalog.service import create_resource, get_resource, to_out
from govdata.db.base import utcnow
from govdata.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

__all__ = [
    "create_resource",
    "diff",
    "my_entries",
    "pending_revision",
    "publish",
    "publish_directly",
    "review",
    "review_queue",
    "revise",
    "revisions",
    "retire",
    "submit",
    "version",
    "versions",
    "withdraw",
]

# a revision still on its way: at most one per resource
OPEN = (
    RevisionStatus.DRAFT.value,
    RevisionStatus.REJECTED.value,
    RevisionStatus.SUBMITTED.value,
    RevisionStatus.REVIEWED.value,
)


def pending_revision(session: Session, resource: Resource) -> Revision | None:
    """The revision of ``resource`` not yet published or withdrawn, if any."""
    return session.execute(
        select(Revision)
        .where(Revision.resource_id == resource.id, Revision.status.in_(OPEN))
        .order_by(Revision.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def _pending(session: Session, res: Resource, action: str) -> Revision:
    rev = pending_revision(session, res)
    if rev is None:
        raise Conflict("catalog.bad_transition", status=res.status, action=action)
    return rev


def _expect(rev: Revision, action: str, *allowed: RevisionStatus) -> None:
    if rev.status not in {s.value for s in allowed}:
        raise Conflict("catalog.bad_transition", status=rev.status, action=action)


def _follow(res: Resource, rev: Revision) -> None:
    """Before its first publication a resource's status follows its revision's."""
    if res.version == 0 and res.status != ResourceStatus.RETIRED.value:
        res.status = {
            RevisionStatus.SUBMITTED.value: ResourceStatus.SUBMITTED.value,
            RevisionStatus.REVIEWED.value: ResourceStatus.REVIEWED.value,
        }.get(rev.status, ResourceStatus.DRAFT.value)


def _provider(actor: Actor, res: Resource) -> None:
    actor.require(Permission.CATALOG_WRITE)
    actor.require_department(res.department_id)


def _bureau(actor: Actor) -> None:
    actor.require(Permission.CATALOG_REVIEW)
    actor.require_bureau()


def _audit(
    audit: AuditLog, session: Session, actor: Actor, action: str, res: Resource, **detail: Any
) -> None:
    audit.record(session, actor, action, target=f"resource:{res.code}", detail=detail or None)


def _number(session: Session, res: Resource) -> int:
    last = session.execute(select(func.max(Revision.number)).where(Revision.resource_id == res.id)).scalar()
    return int(last or 0) + 1


def _open_revision(
    session: Session, audit: AuditLog, actor: Actor, res: Resource, entry: ResourceIn, note: str | None
) -> Revision:
    rev = Revision(
        resource_id=res.id,
        number=_number(session, res),
        status=RevisionStatus.DRAFT.value,
        payload=entry.model_dump(mode="json"),
        note=note,
        created_by=actor.username,
    )
    session.add(rev)
    session.flush()
    _audit(audit, session, actor, "catalog.revision_created", res, revision=rev.number)
    return rev


def revise(
    session: Session, audit: AuditLog, actor: Actor, code: str, data: ResourceIn, note: str | None = None
) -> Revision:
    """The provider edits: the open draft (or rejected) revision, or a new one of a published resource.

    A resource never published also takes the edit itself (it shows the latest draft); a published
    one keeps showing its published version. Code and department cannot change.
    """
    res = get_resource(session, code)
    _provider(actor, res)
    if data.code != res.code or data.department != res.department.code:
        raise InvalidInput("catalog.code_fixed", code=res.code, department=res.department.code)
    if res.status == ResourceStatus.RETIRED.value:
        raise Conflict("catalog.bad_transition", status=res.status, action="revise")
    check_entry(session, data)
    rev = pending_revision(session, res)
    if rev is None:
        rev = _open_revision(session, audit, actor, res, data, note)
    else:
        _expect(rev, "revise", RevisionStatus.DRAFT, RevisionStatus.REJECTED)
        rev.payload = data.model_dump(mode="json")
        rev.status = RevisionStatus.DRAFT.value
        rev.note = note if note is not None else rev.note
        rev.updated_at = utcnow()
        _audit(audit, session, actor, "catalog.revision_updated", res, revision=rev.number)
    if res.version == 0:
        apply_entry(session, res, data, res.department)
        index_resource(session, res)
    _follow(res, rev)
    return rev


def _legacy_revision(session: Session, audit: AuditLog, actor: Actor, res: Resource) -> Revision | None:
    """A draft filed before revisions existed gets revision 1 from its row when it is first submitted."""
    if (
        res.version == 0
        and session.execute(select(Revision.id).where(Revision.resource_id == res.id).limit(1)).first()
        is None
    ):
        return _open_revision(session, audit, actor, res, entry_of(res), None)
    return pending_revision(session, res)


def submit(session: Session, audit: AuditLog, actor: Actor, code: str) -> Revision:
    """The provider sends its draft revision to the bureau (checked again as it is now)."""
    res = get_resource(session, code)
    _provider(actor, res)
    rev = _legacy_revision(session, audit, actor, res) or _pending(session, res, "submit")
    _expect(rev, "submit", RevisionStatus.DRAFT)
    entry = ResourceIn.model_validate(rev.payload)
    check_entry(session, entry)
    _no_placeholder(entry)
    rev.status = RevisionStatus.SUBMITTED.value
    rev.submitted_by, rev.submitted_at = actor.username, utcnow()
    rev.reviewed_by = rev.reviewed_at = rev.review_comment = None
    _follow(res, rev)
    _audit(audit, session, actor, "catalog.submitted", res, revision=rev.number)
    return rev


# Drafts proposed from a source's tables (catalog/drafts.py) carry this mark where a person must write
# the text (the sharing condition); such a draft is not sent to the bureau until it is rewritten.
PLACEHOLDER = "【待编辑】"


def _no_placeholder(entry: ResourceIn) -> None:
    fields = {
        "summary": entry.summary,
        "share_condition": entry.share_condition,
        "share_basis": entry.share_basis,
    }
    for field, value in fields.items():
        if value and PLACEHOLDER in value:
            raise InvalidInput("catalog.placeholder_left", field=field)


def withdraw(session: Session, audit: AuditLog, actor: Actor, code: str) -> Revision:
    """The provider takes a submitted (or reviewed, not yet published) revision back to draft."""
    res = get_resource(session, code)
    _provider(actor, res)
    rev = _pending(session, res, "withdraw")
    _expect(rev, "withdraw", RevisionStatus.SUBMITTED, RevisionStatus.REVIEWED)
    rev.status = RevisionStatus.DRAFT.value
    _follow(res, rev)
    _audit(audit, session, actor, "catalog.withdrawn", res, revision=rev.number)
    return rev


def review(
    session: Session, audit: AuditLog, actor: Actor, code: str, approve: bool, comment: str | None = None
) -> Revision:
    """The bureau approves a submitted revision, or rejects it with a comment.

    Separation of duties: nobody reviews a revision they created or submitted.
    """
    _bureau(actor)
    res = get_resource(session, code)
    rev = _pending(session, res, "review")
    _expect(rev, "review", RevisionStatus.SUBMITTED)
    if actor.role != "system" and actor.username in (rev.created_by, rev.submitted_by):
        raise PermissionDenied("catalog.self_review", code=res.code)
    comment = (comment or "").strip() or None
    if not approve and comment is None:
        raise InvalidInput("catalog.reject_needs_comment")
    rev.status = (RevisionStatus.REVIEWED if approve else RevisionStatus.REJECTED).value
    rev.reviewed_by, rev.reviewed_at, rev.review_comment = actor.username, utcnow(), comment
    _follow(res, rev)
    action = "catalog.reviewed" if approve else "catalog.rejected"
    _audit(audit, session, actor, action, res, revision=rev.number, comment=comment)
    return rev


def publish(session: Session, audit: AuditLog, actor: Actor, code: str) -> Version:
    """The bureau publishes the reviewed revision: it becomes what readers see, frozen as a new version."""
    _bureau(actor)
    res = get_resource(session, code)
    rev = _pending(session, res, "publish")
    _expect(rev, "publish", RevisionStatus.REVIEWED)
    data = ResourceIn.model_validate(rev.payload)
    check_entry(session, data)
    now = utcnow()
    apply_entry(session, res, data, res.department)
    res.version += 1
    res.status = ResourceStatus.PUBLISHED.value
    res.published_at = now
    rev.status = RevisionStatus.PUBLISHED.value
    rev.published_by, rev.published_at = actor.username, now
    index_resource(session, res)  # flushes
    snapshot = to_out(res).model_dump(mode="json")
    ver = Version(
        resource_id=res.id,
        version=res.version,
        snapshot=snapshot,
        revision_id=rev.id,
        note=rev.note,
        published_by=actor.username,
        published_at=now,
    )
    session.add(ver)
    session.flush()
    kind = ChangeKind.PUBLISHED if res.version == 1 else ChangeKind.NEW_VERSION
    resource_changed(session, res, kind, snapshot)
    _audit(audit, session, actor, "catalog.published", res, revision=rev.number, version=res.version)
    return ver


def backfill_versions(session: Session) -> int:
    """Freeze a version-1 snapshot for resources published before versions existed (migration 0002
    set their ``version`` to 1 without a ``Version`` row); returns how many. Idempotent: run when the
    platform opens. Such a resource has had no revision since, so its row is what was published."""
    missing = session.execute(
        select(Resource)
        .where(
            Resource.version >= 1,
            ~select(Version.id).where(Version.resource_id == Resource.id).exists(),
        )
        .options(selectinload(Resource.items))
    ).scalars()
    count = 0
    for res in missing:
        session.add(
            Version(
                resource_id=res.id,
                version=res.version,
                snapshot=to_out(res).model_dump(mode="json"),
                note="frozen when versions were introduced (migration 0002)",
                published_by="system:migration",
                published_at=res.published_at or utcnow(),
            )
        )
        count += 1
    session.flush()
    return count


def publish_directly(session: Session, audit: AuditLog, actor: Actor, code: str) -> Resource:
    """The platform acting as itself (demo build, seeding) walks the pending revision through
    submitted → reviewed → published, each step audited; anyone else goes step by step."""
    if actor.role != "system":
        raise PermissionDenied("catalog.publish_direct", code=code)
    res = get_resource(session, code)
    rev = _legacy_revision(session, audit, actor, res) or _pending(session, res, "publish")
    if rev.status == RevisionStatus.REJECTED.value:
        raise Conflict("catalog.bad_transition", status=rev.status, action="publish")
    if rev.status == RevisionStatus.DRAFT.value:
        submit(session, audit, actor, code)
    if rev.status == RevisionStatus.SUBMITTED.value:
        review(session, audit, actor, code, approve=True)
    publish(session, audit, actor, code)
    return res


def retire(session: Session, audit: AuditLog, actor: Actor, code: str, reason: str) -> Resource:
    """The bureau retires a published resource: gone from search and /open, its versions (and any
    grants' history) kept; a revision on its way is withdrawn."""
    _bureau(actor)
    res = get_resource(session, code)
    if res.status != ResourceStatus.PUBLISHED.value:
        raise Conflict("catalog.bad_transition", status=res.status, action="retire")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("catalog.retire_needs_reason")
    rev = pending_revision(session, res)
    if rev is not None:
        rev.status = RevisionStatus.WITHDRAWN.value
    res.status = ResourceStatus.RETIRED.value
    res.retired_at = utcnow()
    index_resource(session, res)
    resource_changed(session, res, ChangeKind.RETIRED, to_out(res).model_dump(mode="json"))
    _audit(audit, session, actor, "catalog.retired", res, version=res.version, reason=reason)
    return res


# --- reading the history ----------------------------------------------------------------------------


def _may_see_drafts(actor: Actor, res: Resource) -> bool:
    return actor.role == "system" or actor.is_bureau or actor.department_id == res.department_id


def _readable(session: Session, actor: Actor, code: str) -> Resource:
    actor.require(Permission.CATALOG_READ)
    return get_resource(session, code)


def revisions(session: Session, actor: Actor, code: str) -> list[RevisionOut]:
    """Every revision of a resource, newest first: for its department and the bureau only."""
    res = _readable(session, actor, code)
    if not _may_see_drafts(actor, res):
        raise PermissionDenied("auth.other_department")
    rows = session.execute(
        select(Revision).where(Revision.resource_id == res.id).order_by(Revision.number.desc())
    ).scalars()
    return [revision_out(r, res) for r in rows]


def _revision_numbers(session: Session, res: Resource) -> dict[int, int]:
    rows = session.execute(select(Revision.id, Revision.number).where(Revision.resource_id == res.id))
    return {int(i): int(n) for i, n in rows}


def versions(session: Session, actor: Actor, code: str) -> list[VersionOut]:
    """The published versions of a resource, newest first (every catalog reader may see them)."""
    res = _readable(session, actor, code)
    numbers = _revision_numbers(session, res)
    rows = session.execute(
        select(Version).where(Version.resource_id == res.id).order_by(Version.version.desc())
    ).scalars()
    return [version_out(v, res.code, numbers.get(v.revision_id or -1)) for v in rows]


def _version_row(session: Session, res: Resource, n: int) -> Version:
    row = session.execute(
        select(Version).where(Version.resource_id == res.id, Version.version == n)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("catalog.version_not_found", code=res.code, version=n)
    return row


def version(session: Session, actor: Actor, code: str, n: int) -> VersionOut:
    res = _readable(session, actor, code)
    row = _version_row(session, res, n)
    return version_out(row, res.code, _revision_numbers(session, res).get(row.revision_id or -1))


def _view(session: Session, actor: Actor, res: Resource, ref: str) -> dict[str, Any]:
    """The entry view ``ref`` names: ``0`` (nothing), ``N`` (version N), ``pending`` or ``rN``."""
    ref = ref.strip().lower()
    if ref == "0":
        return EMPTY_VIEW
    if ref.isdigit():
        row = _version_row(session, res, int(ref))
        if row.revision_id is not None:
            rev = session.get(Revision, row.revision_id)
            if rev is not None:
                return view_of_entry(ResourceIn.model_validate(rev.payload))
        return view_of_snapshot(row.snapshot)
    if ref == "pending" or (ref.startswith("r") and ref[1:].isdigit()):
        if not _may_see_drafts(actor, res):
            raise PermissionDenied("auth.other_department")
        if ref == "pending":
            rev = pending_revision(session, res)
        else:
            rev = session.execute(
                select(Revision).where(Revision.resource_id == res.id, Revision.number == int(ref[1:]))
            ).scalar_one_or_none()
        if rev is None:
            raise NotFound("catalog.version_not_found", code=res.code, version=ref)
        return view_of_entry(ResourceIn.model_validate(rev.payload))
    raise InvalidInput("catalog.bad_ref", ref=ref)


def diff(session: Session, actor: Actor, code: str, a: str | None = None, b: str | None = None) -> EntryDiff:
    """What changed from ``a`` to ``b``; by default from the published version to the pending revision
    (or from the previous version to the latest one when nothing is pending)."""
    res = _readable(session, actor, code)
    if b is None:
        has_pending = _may_see_drafts(actor, res) and pending_revision(session, res) is not None
        b = "pending" if has_pending else str(res.version)
    if a is None:
        a = str(res.version if b == "pending" else max(int(b) - 1, 0) if b.isdigit() else res.version)
    return compare(res.code, a, b, _view(session, actor, res, a), _view(session, actor, res, b))


# --- work lists -------------------------------------------------------------------------------------


def review_queue(session: Session, actor: Actor) -> list[RevisionOut]:
    """Revisions awaiting the bureau: submitted (to review) and reviewed (to publish), oldest first."""
    _bureau(actor)
    rows = session.execute(
        select(Revision)
        .where(Revision.status.in_((RevisionStatus.SUBMITTED.value, RevisionStatus.REVIEWED.value)))
        .options(selectinload(Revision.resource).selectinload(Resource.department))
        .order_by(Revision.submitted_at, Revision.id)
    ).scalars()
    return [revision_out(r, r.resource) for r in rows]


def my_entries(session: Session, actor: Actor, department_id: int | None = None) -> list[EntryOut]:
    """The actor's department's resources with the revision each has on its way (the platform: any)."""
    actor.require(Permission.CATALOG_WRITE)
    dept = department_id if department_id is not None else actor.department_id
    if dept is None:
        return []
    actor.require_department(dept)
    resources = list(
        session.execute(
            select(Resource)
            .where(Resource.department_id == dept)
            .options(selectinload(Resource.department))
            .order_by(Resource.updated_at.desc(), Resource.code)
        ).scalars()
    )
    pending: dict[int, Revision] = {}
    if resources:
        for rev in session.execute(
            select(Revision)
            .where(Revision.resource_id.in_([r.id for r in resources]), Revision.status.in_(OPEN))
            .order_by(Revision.number)
        ).scalars():
            pending[rev.resource_id] = rev
    return [
        EntryOut(
            code=r.code,
            name=r.name,
            status=r.status,
            version=r.version,
            updated_at=r.updated_at,
            pending=revision_out(pending[r.id], r) if r.id in pending else None,
        )
        for r in resources
    ]
