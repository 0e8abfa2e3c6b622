"""What the quality-issue and score services return (API, portal and CLI read the same shapes)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from govdata.govern.issues_models import IssueStatus

# what happened to an issue; ``withdrawn``: a full run no longer had its binding (switched off,
# deleted, or its column gone) — closed without a fix, reopened if the binding returns and fails
EventAction = Literal["opened", "acknowledged", "fixed", "verified", "reopened", "withdrawn"]


class IssueEventOut(BaseModel):
    action: EventAction
    from_status: IssueStatus | None
    to_status: IssueStatus
    actor: str
    comment: str | None
    run_id: int | None
    failed_rows: int | None
    at: dt.datetime


class IssueOut(BaseModel):
    id: int
    resource: str  # the resource's code
    resource_name: str
    table_key: str
    binding: str
    rule: str
    columns: list[str]
    dimension: str
    status: IssueStatus  # withdrawn: closed because its binding no longer applies, not because it was fixed
    department: str | None  # code of the providing department, the assignee
    department_name: str | None
    checked_rows: int
    failed_rows: int
    reasons: dict[str, int]
    first_run_id: int
    last_run_id: int
    lake_version: int  # the version the newest failing run checked; the keys download reads it
    due_at: dt.datetime
    overdue: bool
    opened_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None


class IssueDetail(IssueOut):
    samples: list[dict[str, object]]  # masked per the catalog items
    events: list[IssueEventOut]
    actions: list[str]  # the transitions the caller may make now


class IssuePage(BaseModel):
    total: int
    items: list[IssueOut]


class TransitionIn(BaseModel):
    action: str = Field(description="acknowledge, fix, verify or reopen")
    comment: str | None = Field(default=None, max_length=2000)


class SyncResult(BaseModel):
    """What one quality run did to the issues of its table."""

    opened: list[int] = []
    updated: list[int] = []
    reopened: list[int] = []
    verified: list[int] = []
    withdrawn: list[int] = []  # their binding no longer applies


class ScorePoint(BaseModel):
    at: dt.datetime | dt.date
    score: float | None
    run_id: int | None = None


class ColumnScore(BaseModel):
    column: str
    score: float | None
    dimensions: dict[str, float]
    failed_rows: int


class ResourceScores(BaseModel):
    resource: str
    name: str
    department: str | None
    table_key: str | None
    run_id: int | None
    checked_at: dt.datetime | None
    lake_version: int | None
    rows: int | None
    score: float | None
    dimensions: dict[str, float]
    columns: list[ColumnScore]
    history: list[ScorePoint]  # one point per run, oldest first


class DepartmentQuality(BaseModel):
    department: str
    name: str
    tables: int
    score: float | None
    dimensions: dict[str, float]
    open_issues: int
    overdue_issues: int
    trend: list[ScorePoint]  # one point per day, oldest first


class RankingRow(BaseModel):
    rank: int
    department: str
    name: str
    tables: int
    score: float | None
    open_issues: int
    overdue_issues: int
