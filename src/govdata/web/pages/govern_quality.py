"""Quality pages: ``/quality`` (department ranking, a department's trend chart, the issues the caller
may see, filtered with HTMX) and ``/quality/issues/{id}`` (masked samples, counts, the all-keys
download, the transitions the caller may make with a comment, and the history).

A refused transition (a missing comment, a status that moved meanwhile) shows the issue page again
(422 / 409) with the message in the page language; other errors render the portal error page.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.errors import Conflict, InvalidInput
from govdata.govern import issues, quality_scores
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Worker = Annotated[Actor, Depends(require(Permission.QUALITY_FEEDBACK))]
PAGE_SIZE = 100
STATUSES = [s.value for s in issues.IssueStatus]


def _filters(actor: Actor, department: str, status: str, overdue: str) -> dict[str, Any]:
    """The issue filters as the list reads them; outside the bureau the department is the caller's."""
    return {
        "department": (department or None) if actor.is_bureau else None,
        "status": status if status in STATUSES else None,
        "overdue": True if overdue == "1" else None,
    }


@router.get("/quality")
def quality(
    request: Request,
    session: SessionDep,
    actor: Reader,
    department: str = "",
    status: str = "",
    overdue: str = "",
    by: str = "score",
) -> Response:
    rank = quality_scores.ranking(session, actor, "issues" if by == "issues" else "score")
    chosen = actor.department_code if not actor.is_bureau or not department else department
    if actor.is_bureau and not department and rank:
        chosen = rank[0].department
    dept = None
    if chosen and any(r.department == chosen for r in rank):
        dept = quality_scores.department_quality(session, actor, chosen)
    filters = _filters(actor, department, status, overdue)
    ctx = {
        "ranking": rank,
        "by": by,
        "dept": dept,
        "page": issues.list_issues(session, actor, limit=PAGE_SIZE, **filters),
        "form": {"department": department, "status": status, "overdue": overdue},
        "statuses": STATUSES,
    }
    return render_page(request, "govern/quality_page.html", ctx)


@router.get("/quality/issues")
def quality_issues(
    request: Request,
    session: SessionDep,
    actor: Reader,
    department: str = "",
    status: str = "",
    overdue: str = "",
) -> Response:
    """The issues table alone, for HTMX to swap in when a filter changes."""
    page = issues.list_issues(session, actor, limit=PAGE_SIZE, **_filters(actor, department, status, overdue))
    return render_page(request, "govern/quality_issues.html", {"page": page})


def _detail(
    request: Request, session: SessionDep, platform: PlatformDep, actor: Actor, issue_id: int, **extra: Any
) -> Response:
    status_code = extra.pop("status_code", 200)
    detail = issues.issue_detail(session, actor, issue_id, platform.audit)
    ctx = {"issue": detail, "comment": "", "error": None} | extra
    return render_page(request, "govern/quality_issue.html", ctx, status_code=status_code)


@router.get("/quality/issues/{issue_id}")
def quality_issue(
    issue_id: int, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader
) -> Response:
    return _detail(request, session, platform, actor, issue_id)


@router.post("/quality/issues/{issue_id}/transition")
def quality_issue_transition(
    issue_id: int,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Worker,
    action: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    try:
        days = platform.settings.quality.issue_deadline_days
        issues.transition(session, platform.audit, actor, issue_id, action, comment, deadline_days=days)
    except (InvalidInput, Conflict) as exc:
        error = exc.message(lang(request))
        return _detail(
            request,
            session,
            platform,
            actor,
            issue_id,
            comment=comment,
            error=error,
            status_code=exc.http_status,
        )
    return redirect(f"/quality/issues/{issue_id}")
