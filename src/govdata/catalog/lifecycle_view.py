"""What the catalog lifecycle shows: revisions, versions, one's entries, and the diff between two states.

A diff compares two *entry views* — an entry (``ResourceIn``) with its vocabulary values normalised
(``有条件共享`` → ``conditional``) and its items keyed by column — so a published version (the
revision it was published from, or its frozen reader snapshot) and a pending revision compare field
by field. Raises nothing of its own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel

from govdata.catalog.models import (
    Category,
    OpenType,
    Resource,
    Revision,
    ShareType,
    SharingMethod,
    UpdateCycle,
    Version,
)
from govdata.catalog.schemas import ItemIn, MatterRef, ResourceIn, ResourceOut
from govdata.catalog.vocab import parse
from govdata.errors import InvalidInput

# the fields a diff compares, in the order a reader sees them
FIELDS = (
    "name",
    "summary",
    "category",
    "format",
    "classification",
    "share_type",
    "share_condition",
    "share_basis",
    "sharing_method",
    "open_type",
    "update_cycle",
    "source_system",
    "lake_table",
    "key_column",
    "matters",
    "tags",
    "related",
)
ITEM_FIELDS = ("name", "data_type", "length", "masking", "sensitive", "required", "element")
_VOCAB: dict[str, tuple[type[StrEnum], str]] = {
    "category": (Category, "资源分类"),
    "share_type": (ShareType, "共享属性"),
    "open_type": (OpenType, "开放属性"),
    "update_cycle": (UpdateCycle, "更新周期"),
    "sharing_method": (SharingMethod, "共享方式"),
}


class RevisionOut(BaseModel):
    """One proposed version of a resource and who moved it through which step."""

    code: str
    resource_name: str
    department: str
    number: int
    status: str
    note: str | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_by: str | None
    submitted_at: dt.datetime | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    review_comment: str | None
    published_by: str | None
    published_at: dt.datetime | None
    entry: ResourceIn


class VersionOut(BaseModel):
    """A published version: its number, who published it, and the frozen reader view."""

    code: str
    version: int
    revision: int | None
    note: str | None
    published_by: str
    published_at: dt.datetime
    snapshot: ResourceOut


class EntryOut(BaseModel):
    """One of a department's resources as its data officer tracks it (我的编目)."""

    code: str
    name: str
    status: str  # ResourceStatus
    version: int
    updated_at: dt.datetime
    pending: RevisionOut | None


class FieldChange(BaseModel):
    field: str
    before: Any
    after: Any


class ItemChange(BaseModel):
    column: str
    change: Literal["added", "removed", "changed"]
    fields: list[str]  # for "changed": which item fields differ
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class EntryDiff(BaseModel):
    """Field-by-field changes from ``a`` to ``b`` (``"0"`` empty, ``"3"`` version 3, ``"pending"``)."""

    code: str
    a: str
    b: str
    fields: list[FieldChange]
    items: list[ItemChange]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.items


def revision_out(rev: Revision, resource: Resource) -> RevisionOut:
    return RevisionOut(
        code=resource.code,
        resource_name=resource.name,
        department=resource.department.code,
        number=rev.number,
        status=rev.status,
        note=rev.note,
        created_by=rev.created_by,
        created_at=rev.created_at,
        updated_at=rev.updated_at,
        submitted_by=rev.submitted_by,
        submitted_at=rev.submitted_at,
        reviewed_by=rev.reviewed_by,
        reviewed_at=rev.reviewed_at,
        review_comment=rev.review_comment,
        published_by=rev.published_by,
        published_at=rev.published_at,
        entry=ResourceIn.model_validate(rev.payload),
    )


def version_out(ver: Version, code: str, revision: int | None) -> VersionOut:
    return VersionOut(
        code=code,
        version=ver.version,
        revision=revision,
        note=ver.note,
        published_by=ver.published_by,
        published_at=ver.published_at,
        snapshot=ResourceOut.model_validate(ver.snapshot),
    )


def entry_of(res: Resource) -> ResourceIn:
    """The entry a resource row holds now (to start an edit from, or for a resource without revisions)."""
    return ResourceIn(
        code=res.code,
        name=res.name,
        department=res.department.code,
        summary=res.summary,
        category=res.category,
        format=res.format,
        share_type=res.share_type,
        share_condition=res.share_condition,
        share_basis=res.share_basis,
        open_type=res.open_type,
        update_cycle=res.update_cycle,
        lake_table=res.lake_table,
        key_column=res.key_column,
        classification=res.classification,
        sharing_method=res.sharing_method,
        source_system=res.system.name if res.system else None,
        matters=[MatterRef(code=m.code, name=m.name, kind=m.kind) for m in res.matters],
        tags=list(res.tags or []),
        related=[r.code for r in res.related],
        items=[ItemIn.model_validate(i, from_attributes=True) for i in res.items],
    )


def _vocab(name: str, value: str | None) -> str | None:
    if value is None or name not in _VOCAB:
        return value
    enum, label = _VOCAB[name]
    try:
        return parse(enum, name, value, label).value
    except InvalidInput:  # an entry filed before the vocabulary changed: compare it as written
        return value


def view_of_entry(entry: ResourceIn) -> dict[str, Any]:
    """An entry as the diff compares it: normalised fields plus ``items`` by column."""
    data = entry.model_dump()
    view: dict[str, Any] = {name: _vocab(name, data.get(name)) for name in FIELDS}
    view["matters"] = sorted(f"{m.code} {m.name}" for m in entry.matters)
    view["tags"] = [t.strip() for t in entry.tags if t.strip()]
    view["related"] = sorted(entry.related)
    view["items"] = {it.column: {f: getattr(it, f) for f in ITEM_FIELDS} for it in entry.items}
    return view


def view_of_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A frozen reader view as the diff compares it (it carries no ``share_basis`` or ``key_column``)."""
    out = ResourceOut.model_validate(snapshot)
    entry = ResourceIn(
        code=out.code,
        name=out.name,
        department=out.department,
        summary=out.summary,
        category=out.category,
        format=out.format,
        share_type=out.share_type,
        share_condition=out.share_condition,
        open_type=out.open_type,
        update_cycle=out.update_cycle,
        lake_table=out.lake_table,
        classification=out.classification,
        sharing_method=out.sharing_method,
        source_system=out.source_system,
        matters=out.matters,
        tags=out.tags,
        related=out.related,
        items=[ItemIn(**i.model_dump()) for i in out.items],
    )
    return view_of_entry(entry)


EMPTY_VIEW: dict[str, Any] = {**dict.fromkeys(FIELDS), "matters": [], "tags": [], "related": [], "items": {}}


def compare(code: str, a: str, b: str, before: dict[str, Any], after: dict[str, Any]) -> EntryDiff:
    """The changes from the view ``before`` (labelled ``a``) to ``after`` (``b``)."""
    fields = [
        FieldChange(field=name, before=before.get(name), after=after.get(name))
        for name in FIELDS
        if before.get(name) != after.get(name)
    ]
    old, new = before["items"], after["items"]
    items: list[ItemChange] = []
    for column, item in new.items():
        if column not in old:
            items.append(ItemChange(column=column, change="added", fields=[], before=None, after=item))
        elif old[column] != item:
            changed = [f for f in ITEM_FIELDS if old[column].get(f) != item.get(f)]
            items.append(
                ItemChange(column=column, change="changed", fields=changed, before=old[column], after=item)
            )
    items.extend(
        ItemChange(column=column, change="removed", fields=[], before=item, after=None)
        for column, item in old.items()
        if column not in new
    )
    return EntryDiff(code=code, a=a, b=b, fields=fields, items=items)
