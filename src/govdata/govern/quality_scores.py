"""Quality scores from the stored runs: per column, table (resource) and department, by dimension and
overall, with their history — and the department ranking with its open and overdue issues.

A dimension's rate pools the checked and failed rows of its bindings; an overall score is the mean of
the dimension rates (equal weights, as ``check_resource`` scores a table). A department's score is the
mean of its tables' latest scores; its trend carries each table's latest score forward day by day.
Everything here reads metadata rows (runs and checks), never lake data. Raises ``NotFound`` for an
unknown resource or department, ``PermissionDenied`` without ``quality.read``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.models import Resource
from govdata.db.base import utcnow
from govdata.errors import NotFound
from govdata.govern.issues import PENDING, overdue_clause
from govdata.govern.issues_models import QualityIssue
from govdata.govern.issues_schemas import (
    ColumnScore,
    DepartmentQuality,
    RankingRow,
    ResourceScores,
    ScorePoint,
)
from govdata.govern.models import QualityCheck, QualityRun
from govdata.govern.service import latest_runs
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.roles import Permission

HISTORY_RUNS = 100


def _rate(checked: int, failed: int) -> float:
    return 100.0 if checked == 0 else 100.0 * (checked - failed) / checked


def _overall(rates: dict[str, float]) -> float | None:
    return round(sum(rates.values()) / len(rates), 1) if rates else None


def column_scores(checks: Iterable[QualityCheck]) -> list[ColumnScore]:
    """Each checked column's rate per dimension (its bindings pooled) and overall, worst first."""
    pooled: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for check in checks:
        for column in check.columns:
            counts = pooled[column][check.dimension]
            counts[0] += check.checked_rows
            counts[1] += check.failed_rows
    rows = []
    for column, dims in pooled.items():
        rates = {d: round(_rate(c, f), 1) for d, (c, f) in dims.items()}
        failed = sum(f for _, f in dims.values())
        rows.append(ColumnScore(column=column, score=_overall(rates), dimensions=rates, failed_rows=failed))
    return sorted(rows, key=lambda r: (r.score if r.score is not None else 101.0, r.column))


def resource_scores(session: Session, actor: Actor, code: str) -> ResourceScores:
    """The latest scores of a resource's table, its columns, and one point per earlier run."""
    actor.require(Permission.QUALITY_READ)
    resource = session.scalar(select(Resource).where(Resource.code == code))
    if resource is None:
        raise NotFound("govern.scores.resource_unknown", resource=code)
    runs = list(
        session.scalars(
            select(QualityRun)
            .where(QualityRun.resource_id == resource.id)
            .order_by(QualityRun.id.desc())
            .limit(HISTORY_RUNS)
        )
    )
    latest = runs[0] if runs else None
    dept = session.get(Department, resource.department_id)
    return ResourceScores(
        resource=resource.code,
        name=resource.name,
        department=dept.code if dept else None,
        table_key=latest.table_key if latest else resource.lake_table,
        run_id=latest.id if latest else None,
        checked_at=latest.checked_at if latest else None,
        lake_version=latest.lake_version if latest else None,
        rows=latest.rows if latest else None,
        score=latest.score if latest else None,
        dimensions=dict(latest.dimension_scores) if latest else {},
        columns=column_scores(latest.checks) if latest else [],
        history=[ScorePoint(at=r.checked_at, score=r.score, run_id=r.id) for r in reversed(runs)],
    )


def _issue_counts(session: Session) -> tuple[dict[int | None, int], dict[int | None, int]]:
    """Open (not yet fixed) and overdue issues per department id."""
    pending = session.execute(
        select(QualityIssue.department_id, func.count())
        .where(QualityIssue.status.in_(PENDING))
        .group_by(QualityIssue.department_id)
    )
    overdue = session.execute(
        select(QualityIssue.department_id, func.count())
        .where(overdue_clause(utcnow()))
        .group_by(QualityIssue.department_id)
    )
    return {d: int(n) for d, n in pending}, {d: int(n) for d, n in overdue}


def ranking(session: Session, actor: Actor, by: str = "score") -> list[RankingRow]:
    """Departments by quality: best score first (``by="score"``), or most overdue and open issues
    first (``by="issues"``)."""
    actor.require(Permission.QUALITY_READ)
    scores: dict[int, list[float]] = defaultdict(list)
    for run in latest_runs(session):
        if run.department_id is not None and run.score is not None:
            scores[run.department_id].append(run.score)
    pending, overdue = _issue_counts(session)
    ids = set(scores) | {d for d in pending if d is not None}
    depts = session.scalars(select(Department).where(Department.id.in_(ids))).all()
    rows = [
        (
            d,
            len(scores[d.id]),
            round(sum(scores[d.id]) / len(scores[d.id]), 1) if scores[d.id] else None,
        )
        for d in depts
    ]
    if by == "issues":
        rows.sort(key=lambda r: (-overdue.get(r[0].id, 0), -pending.get(r[0].id, 0), r[0].code))
    else:
        rows.sort(key=lambda r: (-(r[2] if r[2] is not None else -1.0), r[0].code))
    return [
        RankingRow(
            rank=i + 1,
            department=d.code,
            name=d.name,
            tables=tables,
            score=score,
            open_issues=pending.get(d.id, 0),
            overdue_issues=overdue.get(d.id, 0),
        )
        for i, (d, tables, score) in enumerate(rows)
    ]


def department_quality(session: Session, actor: Actor, code: str, days: int = 30) -> DepartmentQuality:
    """A department's score and dimension rates now, its issues, and its score per day."""
    actor.require(Permission.QUALITY_READ)
    dept = session.scalar(select(Department).where(Department.code == code))
    if dept is None:
        raise NotFound("govern.issue.department_unknown", department=code)
    latest = [r for r in latest_runs(session) if r.department_id == dept.id]
    dims: dict[str, list[float]] = defaultdict(list)
    for run in latest:
        for name, rate in run.dimension_scores.items():
            dims[name].append(rate)
    scored = [r.score for r in latest if r.score is not None]
    pending, overdue = _issue_counts(session)
    return DepartmentQuality(
        department=dept.code,
        name=dept.name,
        tables=len(latest),
        score=round(sum(scored) / len(scored), 1) if scored else None,
        dimensions={d: round(sum(v) / len(v), 1) for d, v in sorted(dims.items())},
        open_issues=pending.get(dept.id, 0),
        overdue_issues=overdue.get(dept.id, 0),
        trend=department_trend(session, dept.id, days),
    )


def department_trend(session: Session, department_id: int, days: int = 30) -> list[ScorePoint]:
    """One point per day of the last ``days``: the mean of each table's latest score by that day's end."""
    today = utcnow().date()
    start = today - dt.timedelta(days=max(days, 1) - 1)
    start_at = dt.datetime.combine(start, dt.time(), dt.UTC)
    mine = QualityRun.department_id == department_id
    before = (
        select(func.max(QualityRun.id))
        .where(mine, QualityRun.checked_at < start_at)
        .group_by(QualityRun.table_key)
    )
    carried = session.execute(
        select(QualityRun.table_key, QualityRun.score).where(QualityRun.id.in_(before))
    ).all()
    window = session.execute(
        select(QualityRun.table_key, QualityRun.score, QualityRun.checked_at)
        .where(mine, QualityRun.checked_at >= start_at)
        .order_by(QualityRun.checked_at, QualityRun.id)
    ).all()
    state: dict[str, float | None] = {t: s for t, s in carried}
    by_day: dict[dt.date, list[tuple[str, float | None]]] = defaultdict(list)
    for table_key, score, at in window:
        by_day[at.date()].append((table_key, score))
    points = []
    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        state.update(by_day.get(day, []))
        values = [s for s in state.values() if s is not None]
        if values:
            points.append(ScorePoint(at=day, score=round(sum(values) / len(values), 1)))
    return points
