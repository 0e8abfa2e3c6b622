"""Quality issues (问题数据反馈): each failing rule binding of a checked table becomes an issue against
the department that provides the table, and follows open → acknowledged → fixed → verified.

``sync_issues`` turns a stored ``QualityRun`` into issues: it opens one per newly failing binding,
refreshes the counts of the ones still failing, reopens a fixed, verified or withdrawn one that fails
again and verifies (closes) every open one whose binding now passes. After a run of all the
resource's effective bindings it also withdraws (closes) every unresolved issue whose binding was
not among them — switched off, deleted, or its column gone: the data was not fixed, but the
department no longer owes a fix for a rule that does not apply. People move issues with ``transition``:
the providing department acknowledges and fixes, the data bureau verifies or reopens. Every change
is an event in the issue's history and an audit record. Raises ``NotFound`` (``govern.issue.not_found``),
``PermissionDenied`` (another department's issue, or a bureau-only action), ``InvalidInput`` (an
unknown action, a missing comment) and ``Conflict`` (an action the current status does not allow).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, not_, select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Resource
from govdata.db.base import utcnow
from govdata.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govdata.govern.issues_models import IssueStatus, QualityIssue, QualityIssueEvent
from govdata.govern.issues_schemas import IssueDetail, IssueEventOut, IssueOut, IssuePage, SyncResult
from govdata.govern.models import QualityCheck, QualityRun
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department
from govdata.security.roles import Permission

DEFAULT_DEADLINE_DAYS = 15
# Statuses in which the department still owes a fix: only these can be overdue.
PENDING = (IssueStatus.open, IssueStatus.acknowledged)
# Statuses not yet closed by a run or the bureau: withdrawn when their binding stops applying.
UNRESOLVED = (*PENDING, IssueStatus.fixed)
# Closed statuses a failing run reopens.
REOPENABLE = (IssueStatus.fixed, IssueStatus.verified, IssueStatus.withdrawn)


@dataclass(frozen=True)
class Transition:
    sources: tuple[IssueStatus, ...]
    target: IssueStatus
    bureau: bool  # the data bureau's action; otherwise the providing department's
    needs_comment: bool


TRANSITIONS: dict[str, Transition] = {
    "acknowledge": Transition((IssueStatus.open,), IssueStatus.acknowledged, False, False),
    "fix": Transition((IssueStatus.open, IssueStatus.acknowledged), IssueStatus.fixed, False, True),
    "verify": Transition((IssueStatus.fixed,), IssueStatus.verified, True, False),
    "reopen": Transition((IssueStatus.fixed, IssueStatus.verified), IssueStatus.open, True, True),
}


def binding_key(rule: str, columns: list[str]) -> str:
    """The identity of a binding, as ``RuleBinding.key`` spells it: ``id_number(sfzh)``."""
    return f"{rule}({', '.join(columns)})"


def sync_issues(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    run: QualityRun,
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> SyncResult:
    """Open, refresh, reopen and verify the issues of ``run``'s table from its checks; after a run of
    all the resource's bindings (``run.all_bindings``), withdraw the unresolved issues of bindings it
    no longer has. A partial run withdraws nothing: a binding it did not check may still apply."""
    actor.require(Permission.QUALITY_READ)
    if run.resource_id is None:
        return SyncResult()
    now = utcnow()
    existing = {
        i.binding: i
        for i in session.scalars(select(QualityIssue).where(QualityIssue.table_key == run.table_key))
    }
    # Two bindings of one rule on the same columns (different parameters) share an issue: the one
    # that fails most rows speaks for it.
    checks: dict[str, QualityCheck] = {}
    for check in run.checks:
        key = binding_key(check.rule, list(check.columns))
        if key not in checks or check.failed_rows > checks[key].failed_rows:
            checks[key] = check
    result = SyncResult()
    for key, check in checks.items():
        issue = existing.get(key)
        if check.failed_rows > 0:
            if issue is None:
                issue = QualityIssue(
                    table_key=run.table_key,
                    binding=key,
                    resource_id=run.resource_id,
                    department_id=run.department_id,
                    rule=check.rule,
                    columns=list(check.columns),
                    dimension=check.dimension,
                    status=IssueStatus.open,
                    first_run_id=run.id,
                    due_at=now + dt.timedelta(days=deadline_days),
                    opened_at=now,
                )
                _refresh(issue, check, run, now)
                session.add(issue)
                session.flush()
                _event(session, audit, actor, issue, "opened", None, run=run)
                result.opened.append(issue.id)
                continue
            _refresh(issue, check, run, now)
            if issue.status in REOPENABLE:
                before = IssueStatus(issue.status)
                issue.status, issue.closed_at = IssueStatus.open, None
                issue.due_at = now + dt.timedelta(days=deadline_days)
                _event(session, audit, actor, issue, "reopened", before, run=run)
                result.reopened.append(issue.id)
            else:
                result.updated.append(issue.id)
        elif issue is not None and issue.status in UNRESOLVED:
            # a withdrawn issue stays withdrawn when its binding returns and passes: nothing was fixed
            before = IssueStatus(issue.status)
            issue.status, issue.closed_at, issue.updated_at = IssueStatus.verified, now, now
            _event(session, audit, actor, issue, "verified", before, run=run, failed_rows=0)
            result.verified.append(issue.id)
    if run.all_bindings:
        result.withdrawn = _withdraw(session, audit, actor, run, existing, set(checks), now)
    session.flush()
    return result


def _withdraw(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    run: QualityRun,
    existing: dict[str, QualityIssue],
    checked: set[str],
    now: dt.datetime,
) -> list[int]:
    """Close the unresolved issues of ``run``'s resource whose binding the run no longer has."""
    gone = [
        i
        for key, i in existing.items()
        if key not in checked and i.resource_id == run.resource_id and i.status in UNRESOLVED
    ]
    for issue in gone:
        before = IssueStatus(issue.status)
        issue.status, issue.closed_at, issue.updated_at = IssueStatus.withdrawn, now, now
        _event(session, audit, actor, issue, "withdrawn", before, run=run)
    return [i.id for i in gone]


def _refresh(issue: QualityIssue, check: QualityCheck, run: QualityRun, now: dt.datetime) -> None:
    """The issue now shows the newest failing run: its counts and masked samples."""
    issue.checked_rows, issue.failed_rows = check.checked_rows, check.failed_rows
    issue.reasons, issue.samples = dict(check.reasons), list(check.samples)
    issue.last_run_id, issue.updated_at = run.id, now


def _event(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    issue: QualityIssue,
    action: str,
    before: IssueStatus | None,
    *,
    comment: str | None = None,
    run: QualityRun | None = None,
    failed_rows: int | None = None,
) -> None:
    """Keep the change in the issue's history and in the audit chain."""
    count = issue.failed_rows if failed_rows is None else failed_rows
    session.add(
        QualityIssueEvent(
            issue_id=issue.id,
            action=action,
            from_status=before,
            to_status=issue.status,
            actor=actor.username,
            comment=comment,
            run_id=run.id if run is not None else None,
            failed_rows=count,
        )
    )
    audit.record(
        session,
        actor,
        f"quality.issue_{action}",
        target=f"quality_issue:{issue.id}",
        detail={
            "binding": issue.binding,
            "table": issue.table_key,
            "from": before,
            "to": issue.status,
            "failed_rows": count,
            "comment": comment,
        },
    )


# --- people ------------------------------------------------------------------------------------------


def can_see(actor: Actor, issue: QualityIssue) -> bool:
    """The providing department, the data bureau and the platform see an issue."""
    return actor.role == "system" or actor.is_bureau or actor.department_id == issue.department_id


def load_issue(session: Session, actor: Actor, issue_id: int) -> QualityIssue:
    """Issue ``issue_id`` if the actor may see it."""
    actor.require(Permission.QUALITY_READ)
    issue = session.get(QualityIssue, issue_id)
    if issue is None:
        raise NotFound("govern.issue.not_found", issue=issue_id)
    if not can_see(actor, issue):
        raise PermissionDenied("auth.other_department")
    return issue


def allowed_actions(actor: Actor, issue: QualityIssue) -> list[str]:
    """The transitions ``actor`` may make on ``issue`` now."""
    if not actor.can(Permission.QUALITY_FEEDBACK):
        return []
    mine = actor.department_id is not None and actor.department_id == issue.department_id
    return [
        name
        for name, t in TRANSITIONS.items()
        if issue.status in t.sources and (actor.is_bureau if t.bureau else mine)
    ]


def transition(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    issue_id: int,
    action: str,
    comment: str | None = None,
    *,
    deadline_days: int = DEFAULT_DEADLINE_DAYS,
) -> QualityIssue:
    """Move an issue by ``action`` (acknowledge, fix, verify, reopen), with the caller's comment; a
    reopened issue gets a new deadline ``deadline_days`` from now."""
    actor.require(Permission.QUALITY_FEEDBACK)
    issue = load_issue(session, actor, issue_id)
    step = TRANSITIONS.get(action)
    if step is None:
        raise InvalidInput("govern.issue.unknown_action", action=action, known=", ".join(TRANSITIONS))
    if step.bureau:
        actor.require_bureau()
    elif issue.department_id is None or actor.department_id != issue.department_id:
        raise PermissionDenied("govern.issue.provider_only", issue=issue.id)
    if issue.status not in step.sources:
        raise Conflict("govern.issue.bad_transition", issue=issue.id, status=issue.status, action=action)
    text = (comment or "").strip() or None
    if step.needs_comment and text is None:
        raise InvalidInput("govern.issue.comment_required", action=action)
    before = IssueStatus(issue.status)
    now = utcnow()
    issue.status, issue.updated_at = step.target, now
    issue.closed_at = now if step.target == IssueStatus.verified else None
    if step.target == IssueStatus.open:
        issue.due_at = now + dt.timedelta(days=deadline_days)
    _event(session, audit, actor, issue, _PAST[action], before, comment=text)
    session.flush()
    return issue


_PAST = {"acknowledge": "acknowledged", "fix": "fixed", "verify": "verified", "reopen": "reopened"}


# --- reading -----------------------------------------------------------------------------------------


def is_overdue(issue: QualityIssue, now: dt.datetime | None = None) -> bool:
    return issue.status in PENDING and issue.due_at < (now or utcnow())


def overdue_clause(now: dt.datetime) -> ColumnElement[bool]:
    """Issues still owed a fix whose deadline has passed."""
    return and_(QualityIssue.status.in_(PENDING), QualityIssue.due_at < now)


def list_issues(
    session: Session,
    actor: Actor,
    *,
    department: str | None = None,
    status: str | None = None,
    overdue: bool | None = None,
    resource: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> IssuePage:
    """Issues newest first, filtered; outside the bureau only the caller's own department's."""
    actor.require(Permission.QUALITY_READ)
    query: Select[tuple[QualityIssue]] = select(QualityIssue)
    if department:
        dept_id = session.scalar(select(Department.id).where(Department.code == department))
        if dept_id is None:
            raise NotFound("govern.issue.department_unknown", department=department)
        query = query.where(QualityIssue.department_id == dept_id)
    if not (actor.is_bureau or actor.role == "system"):
        query = query.where(QualityIssue.department_id == actor.department_id)
    if status:
        if status not in IssueStatus.__members__:
            raise InvalidInput("govern.issue.unknown_status", status=status, known=", ".join(IssueStatus))
        query = query.where(QualityIssue.status == status)
    now = utcnow()
    if overdue is not None:
        clause = overdue_clause(now)
        query = query.where(clause if overdue else not_(clause))
    if resource:
        query = query.join(Resource, Resource.id == QualityIssue.resource_id).where(Resource.code == resource)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(QualityIssue.id.desc()).limit(limit).offset(offset)).all()
    return IssuePage(total=total, items=[issue_out(session, i, now) for i in rows])


def issue_out(session: Session, issue: QualityIssue, now: dt.datetime | None = None) -> IssueOut:
    resource = session.get(Resource, issue.resource_id)
    dept = session.get(Department, issue.department_id) if issue.department_id is not None else None
    run = session.get(QualityRun, issue.last_run_id)
    assert resource is not None and run is not None  # foreign keys
    return IssueOut(
        id=issue.id,
        resource=resource.code,
        resource_name=resource.name,
        table_key=issue.table_key,
        binding=issue.binding,
        rule=issue.rule,
        columns=list(issue.columns),
        dimension=issue.dimension,
        status=issue.status,
        department=dept.code if dept else None,
        department_name=dept.name if dept else None,
        checked_rows=issue.checked_rows,
        failed_rows=issue.failed_rows,
        reasons=dict(issue.reasons),
        first_run_id=issue.first_run_id,
        last_run_id=issue.last_run_id,
        lake_version=run.lake_version,
        due_at=issue.due_at,
        overdue=is_overdue(issue, now),
        opened_at=issue.opened_at,
        updated_at=issue.updated_at,
        closed_at=issue.closed_at,
    )


def issue_detail(session: Session, actor: Actor, issue_id: int, audit: AuditLog | None = None) -> IssueDetail:
    """One issue with its masked samples, its history and what the caller may do next; with
    ``audit``, the read of the samples is recorded (``quality.issue_read``)."""
    issue = session.scalars(
        select(QualityIssue).where(QualityIssue.id == issue_id).options(selectinload(QualityIssue.events))
    ).one_or_none()
    if issue is None:
        raise NotFound("govern.issue.not_found", issue=issue_id)
    load_issue(session, actor, issue_id)
    if audit is not None:
        audit.record(
            session, actor, "quality.issue_read", target=f"quality_issue:{issue.id}", rows=len(issue.samples)
        )
    return IssueDetail(
        **issue_out(session, issue).model_dump(),
        samples=list(issue.samples),
        events=[IssueEventOut.model_validate(e, from_attributes=True) for e in issue.events],
        actions=allowed_actions(actor, issue),
    )
