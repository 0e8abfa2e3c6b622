"""What a profile says, as stored (JSON) and as the API returns it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

Scalar = str | int | float | bool | None


class Count(BaseModel):
    value: Scalar  # masked text for a column with a masker
    count: int


class PatternCount(BaseModel):
    pattern: str  # 9 digit, A letter, 汉 Chinese character, anything else as is
    count: int
    share: float  # of the column's non-null rows


class ColumnProfile(BaseModel):
    name: str
    kind: str  # text | number | temporal | boolean | other
    data_type: str  # the Arrow type
    rows: int
    nulls: int
    empty: int | None  # text only: ''
    blank: int | None  # text only: whitespace only
    null_share: float  # nulls / rows
    missing_share: float  # (nulls + empty + blank) / rows
    distinct: int  # non-null distinct values
    distinct_exact: bool
    min: Scalar
    max: Scalar
    mean: float | None
    stddev: float | None
    min_length: int | None
    max_length: int | None
    top_values: list[Count]
    patterns: list[PatternCount]
    pattern_count: int | None  # distinct patterns (text only)
    masked: bool  # top values and min/max went through the column's masker


class Commit(BaseModel):
    version: int
    timestamp: dt.datetime | None
    operation: str | None


class Freshness(BaseModel):
    last_success_at: dt.datetime | None  # last succeeded ingest run of the table
    update_cycle: str | None  # the catalog's 更新周期
    cycle_minutes: int | None
    age_minutes: int | None
    state: str  # fresh | pending | late | never | unscheduled | disabled | logical | unknown
    late: bool


class TechnicalMetadata(BaseModel):
    table: str  # layer.dept.table
    rows: int
    bytes: int
    files: int
    versions: int
    latest: Commit
    partition_columns: list[str]
    columns: list[dict[str, str]]  # name, type
    freshness: Freshness


class ProfileOut(BaseModel):
    """A resource's latest stored profile and the table's technical metadata now."""

    resource: str
    table: str
    metadata: TechnicalMetadata | None  # None when the table is not in the lake yet
    lake_version: int | None
    profiled_at: dt.datetime | None
    rows: int | None
    columns: list[ColumnProfile] | None  # None: no profile yet, or the caller lacks quality.read
    columns_visible: bool


class HistoryPoint(BaseModel):
    lake_version: int
    profiled_at: dt.datetime
    rows: int
    bytes: int | None
    column: ColumnProfile | None  # the asked column at that version, if it existed


class ProfileHistory(BaseModel):
    resource: str
    table: str
    column: str | None
    points: list[HistoryPoint]  # oldest first
