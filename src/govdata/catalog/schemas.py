"""Catalog schemas at the boundary: what a provider files, what a reader sees."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class ItemIn(BaseModel):
    column: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    data_type: str = "字符"
    length: int | None = None
    masking: str | None = None
    sensitive: bool = False
    required: bool = False


class ResourceIn(BaseModel):
    code: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=200)
    department: str  # department code
    summary: str = Field(min_length=1)
    category: str
    format: str
    share_type: str
    share_condition: str | None = None
    share_basis: str | None = None
    open_type: str
    update_cycle: str
    lake_table: str | None = None
    key_column: str | None = None
    items: list[ItemIn] = Field(min_length=1)


class ItemOut(BaseModel):
    column: str
    name: str
    data_type: str
    length: int | None
    masking: str | None
    sensitive: bool
    required: bool


class ResourceOut(BaseModel):
    code: str
    name: str
    department: str
    department_name: str
    summary: str
    category: str
    format: str
    share_type: str
    share_type_label: str
    share_condition: str | None
    open_type: str
    open_type_label: str
    update_cycle: str
    update_cycle_label: str
    status: str
    published_at: dt.datetime | None
    lake_table: str | None
    # 物理归集 (copied into the lake) or 逻辑归集 (a logical source table answers in place)
    aggregation: Literal["physical", "logical"] = "physical"
    items: list[ItemOut]
