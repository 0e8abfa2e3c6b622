"""What goes in and out of the standards library: elements, code tables, history and diffs.

Inputs are loose on purpose (plain strings, empty allowed): ``govern.library_validate`` checks them
and says what is wrong in Chinese and English, field by field, instead of a bare schema error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class CodeValueIn(BaseModel):
    code: str = ""
    label: str = ""
    synonyms: list[str] = Field(default_factory=list)  # other spellings met in data: 男 / M / male → 1


class CodeTableFields(BaseModel):
    """A code table's editable content; ``base_version`` (optional) refuses a save over a newer version."""

    name: str = ""
    values: list[CodeValueIn] = Field(default_factory=list)
    base_version: int | None = None


class CodeTableIn(CodeTableFields):
    code: str = ""  # e.g. "GB/T 2261.1-2003"; fixed once created


class CodeValueOut(BaseModel):
    code: str
    label: str
    synonyms: list[str]


class CodeTableOut(BaseModel):
    code: str
    name: str
    version: int
    updated_by: str
    updated_at: dt.datetime
    values: list[CodeValueOut]


class CodeTableSummary(BaseModel):
    code: str
    name: str
    version: int
    values: int
    updated_at: dt.datetime


class ElementFields(BaseModel):
    """A data element's editable content (everything but its identifier)."""

    name: str = ""
    data_type: str = "字符"
    format: str | None = None  # noqa: A003 — the standard's word (表示格式)
    length: int | None = None
    code_table: str | None = None  # the code of a code table, e.g. "GB/T 2261.1-2003"
    standard: str | None = None
    description: str | None = None
    aliases: list[str] = Field(default_factory=list)
    normalizer: str | None = None
    rules: list[str] = Field(default_factory=list)
    base_version: int | None = None


class ElementIn(ElementFields):
    identifier: str = ""  # fixed once created: catalog items bind to it


class ElementOut(BaseModel):
    identifier: str
    name: str
    data_type: str
    format: str | None  # noqa: A003
    length: int | None
    code_table: str | None
    standard: str | None
    description: str | None
    aliases: list[str]
    normalizer: str | None
    rules: list[str]
    version: int
    updated_by: str
    updated_at: dt.datetime


class ElementPage(BaseModel):
    total: int
    items: list[ElementOut]


class HistoryEntry(BaseModel):
    version: int
    changed_by: str
    changed_at: dt.datetime
    snapshot: dict[str, Any]


class FieldChange(BaseModel):
    field: str  # a snapshot field, or ``values.<code>`` for one value of a code table
    before: Any = None
    after: Any = None


class Diff(BaseModel):
    kind: str  # "element" | "code_table"
    ref: str  # identifier or code
    from_version: int
    to_version: int
    changes: list[FieldChange]


class SeedResult(BaseModel):
    code_tables: list[str] = Field(default_factory=list)  # codes inserted by this run
    elements: list[str] = Field(default_factory=list)  # identifiers inserted by this run
