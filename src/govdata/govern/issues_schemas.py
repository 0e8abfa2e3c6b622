"""What the quality-issue and score services return (API, portal and CLI read the same shapes)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class IssueEventOut(BaseModel):
    action: str
    from_status: str | None
    to_status: str
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
    status: str
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
