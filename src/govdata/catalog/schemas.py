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
    element: str | None = None  # identifier of the bound data element (数据元) in the standards library


class MatterRef(BaseModel):
    """A government service matter (政务服务事项) or power-list item (权力事项) the resource serves."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    kind: str = "service"  # MatterKind: service | power


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
    classification: str | None = None  # 类/项/目/细目 path, e.g. "1/01/001"
    sharing_method: str | None = None  # SharingMethod: api | table | file (or 接口 / 库表 / 文件)
    source_system: str | None = None  # name of the provider's information system (来源系统)
    matters: list[MatterRef] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)  # codes of related resources (关联资源代码)
    items: list[ItemIn] = Field(min_length=1)


class ItemOut(BaseModel):
    column: str
    name: str
    data_type: str
    length: int | None
    masking: str | None
    sensitive: bool
    required: bool
    element: str | None = None


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
    classification: str | None = None
    sharing_method: str | None = None
    sharing_method_label: str | None = None
    source_system: str | None = None
    matters: list[MatterRef] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    version: int = 0  # latest published version; 0 = never published
    items: list[ItemOut]
