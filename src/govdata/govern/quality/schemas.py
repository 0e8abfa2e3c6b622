"""Rule bindings at the API boundary: what a caller sends and what it gets back."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class BindingIn(BaseModel):
    """A binding to add or the new state of a stored one."""

    rule: str = Field(min_length=1, max_length=64, description="a rule name of the registry, e.g. range")
    columns: list[str] = Field(default_factory=list, description="bound columns of the resource's table")
    params: dict[str, Any] = Field(default_factory=dict, description="the rule's parameters")
    blocking: bool = Field(default=False, description="reject failing rows into quarantine before load")
    enabled: bool = True


class BindingOut(BaseModel):
    """One effective binding: stored ones have an ``id``; derived ones say their ``origin``."""

    id: int | None
    rule: str
    columns: list[str]
    params: dict[str, Any]
    dimension: str
    label: str
    origin: str  # required | key | suggested | element | stored
    element: str | None = None
    overrides: str | None = None  # a stored binding that replaces a derived one: the derived origin
    blocking: bool
    enabled: bool
