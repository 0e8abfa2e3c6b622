"""Quality API: scores of resources and departments, the ranking, and the quality issues fed back to
the providing departments (list, detail, transitions, every failing key as CSV).

Reading needs ``quality.read`` (issues: the providing department and the bureau only); transitions
need ``quality.feedback``. Errors come from ``govern.issues`` and ``govern.quality_scores``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from govdata.govern import issues, quality_scores
from govdata.govern.issue_keys import issue_keys
from govdata.govern.issues_schemas import (
    DepartmentQuality,
    IssueDetail,
    IssuePage,
    RankingRow,
    ResourceScores,
    TransitionIn,
)
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/govern/quality", tags=["quality"])
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Worker = Annotated[Actor, Depends(require(Permission.QUALITY_FEEDBACK))]


@router.get("/resources/{code:path}/scores", response_model=ResourceScores)
def resource_scores(code: str, session: SessionDep, actor: Reader) -> ResourceScores:
    """The latest scores of a resource's table, by dimension and column, and one point per run."""
    return quality_scores.resource_scores(session, actor, code)


@router.get("/departments/{code}", response_model=DepartmentQuality)
def department(
    code: str, session: SessionDep, actor: Reader, days: Annotated[int, Query(ge=1, le=366)] = 30
) -> DepartmentQuality:
    """A department's score, its dimension rates, its open and overdue issues, and its daily trend."""
    return quality_scores.department_quality(session, actor, code, days)


@router.get("/ranking", response_model=list[RankingRow])
def ranking(
    session: SessionDep, actor: Reader, by: Annotated[str, Query(pattern="^(score|issues)$")] = "score"
) -> list[RankingRow]:
    """Departments by score (best first) or by overdue and open issues (most first)."""
    return quality_scores.ranking(session, actor, by)


@router.get("/issues", response_model=IssuePage)
def list_issues(
    session: SessionDep,
    actor: Reader,
    department: str | None = None,
    status: Annotated[
        str | None, Query(description="open, acknowledged, fixed, verified or withdrawn")
    ] = None,
    overdue: bool | None = None,
    resource: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> IssuePage:
    return issues.list_issues(
        session,
        actor,
        department=department,
        status=status,
        overdue=overdue,
        resource=resource,
        limit=limit,
        offset=offset,
    )


@router.get("/issues/{issue_id}", response_model=IssueDetail)
def issue_detail(issue_id: int, session: SessionDep, platform: PlatformDep, actor: Reader) -> IssueDetail:
    """One issue with its masked samples (the read is audited), history and the caller's actions."""
    return issues.issue_detail(session, actor, issue_id, platform.audit)


@router.post("/issues/{issue_id}/transitions", response_model=IssueDetail)
def transition(
    issue_id: int, body: TransitionIn, session: SessionDep, platform: PlatformDep, actor: Worker
) -> IssueDetail:
    """Acknowledge or fix (the providing department), verify or reopen (the data bureau)."""
    days = platform.settings.quality.issue_deadline_days
    issues.transition(session, platform.audit, actor, issue_id, body.action, body.comment, deadline_days=days)
    return issues.issue_detail(session, actor, issue_id)


@router.get("/issues/{issue_id}/keys.csv", response_class=StreamingResponse)
def issue_keys_csv(
    issue_id: int, session: SessionDep, platform: PlatformDep, actor: Reader
) -> StreamingResponse:
    """Every failing row (keys and checked columns, masked) of the version the issue counted; no cap."""
    download = issue_keys(session, platform.lake, platform.audit, actor, issue_id)
    return StreamingResponse(
        download.chunks(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{download.filename}"',
            "X-Row-Count": str(download.rows),
        },
    )
