"""One catalog entry (编目): check a filed ``ResourceIn`` field by field and write it onto a resource.

``check_entry`` is every rule an entry must pass (vocabulary, condition and basis, masking rules,
related codes, matters); ``apply_entry`` writes a checked entry onto a ``Resource`` — its attributes,
items, source system, matters, tags and related resources. Creating a resource, editing a revision
and publishing it all go through these two, so an entry is judged the same way wherever it comes
from (the API, the portal form, an Excel row, a draft from a source).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.models import (
    Category,
    Item,
    Matter,
    MatterKind,
    OpenType,
    Resource,
    ShareType,
    SharingMethod,
    System,
    UpdateCycle,
)
from govdata.catalog.schemas import ResourceIn
from govdata.catalog.vocab import parse
from govdata.errors import InvalidInput, NotFound
from govdata.security.masking import get_masker
from govdata.security.models import Department


def check_entry(session: Session, data: ResourceIn) -> None:
    """Raise ``InvalidInput`` / ``NotFound`` for the first rule ``data`` breaks."""
    share = parse(ShareType, "share_type", data.share_type, "共享属性")
    if share is ShareType.CONDITIONAL and not (data.share_condition or "").strip():
        raise InvalidInput("catalog.no_condition")
    if share is ShareType.NONE and not (data.share_basis or "").strip():
        raise InvalidInput("catalog.no_basis")
    parse(Category, "category", data.category, "资源分类")
    parse(OpenType, "open_type", data.open_type, "开放属性")
    parse(UpdateCycle, "update_cycle", data.update_cycle, "更新周期")
    if data.sharing_method is not None:
        parse(SharingMethod, "sharing_method", data.sharing_method, "共享方式")
    for item in data.items:
        if item.masking:
            get_masker(item.masking)  # an unknown masking rule is refused, listing the known ones
    for matter in data.matters:
        parse(MatterKind, "matter_kind", matter.kind, "事项类型")
    for code in data.related:
        if code == data.code:
            raise InvalidInput("catalog.related_self", code=code)
        if session.execute(select(Resource.id).where(Resource.code == code)).first() is None:
            raise NotFound("catalog.not_found", code=code)


def apply_entry(session: Session, res: Resource, data: ResourceIn, department: Department) -> None:
    """Write a checked entry onto ``res`` (new or existing): attributes, items and links."""
    res.code = data.code
    res.name = data.name
    res.department_id = department.id
    res.summary = data.summary
    res.category = parse(Category, "category", data.category, "资源分类").value
    res.format = data.format
    res.share_type = parse(ShareType, "share_type", data.share_type, "共享属性").value
    res.share_condition = data.share_condition
    res.share_basis = data.share_basis
    res.open_type = parse(OpenType, "open_type", data.open_type, "开放属性").value
    res.update_cycle = parse(UpdateCycle, "update_cycle", data.update_cycle, "更新周期").value
    res.lake_table = data.lake_table
    res.key_column = data.key_column
    res.classification = data.classification
    res.sharing_method = (
        parse(SharingMethod, "sharing_method", data.sharing_method, "共享方式").value
        if data.sharing_method is not None
        else None
    )
    res.tags = [t.strip() for t in data.tags if t.strip()]
    res.system = _system(session, department, data.source_system) if data.source_system else None
    res.matters = [_matter(session, m.code, m.name, m.kind, department) for m in data.matters]
    res.related = (
        list(session.execute(select(Resource).where(Resource.code.in_(data.related))).scalars())
        if data.related
        else []
    )
    res.items = [
        Item(
            position=i,
            column=it.column,
            name=it.name,
            data_type=it.data_type,
            length=it.length,
            masking=it.masking,
            sensitive=it.sensitive,
            required=it.required,
            element=it.element,
        )
        for i, it in enumerate(data.items)
    ]


def _system(session: Session, department: Department, name: str) -> System:
    """The department's information system called ``name``, recorded on first mention."""
    name = name.strip()
    system = session.execute(
        select(System).where(System.department_id == department.id, System.name == name)
    ).scalar_one_or_none()
    if system is None:
        system = System(department_id=department.id, name=name)
        session.add(system)
    return system


def _matter(session: Session, code: str, name: str, kind: str, department: Department) -> Matter:
    """The matter with ``code``, recorded on first mention (its name kept as first filed)."""
    matter = session.execute(select(Matter).where(Matter.code == code)).scalar_one_or_none()
    if matter is None:
        matter = Matter(
            code=code,
            name=name,
            kind=parse(MatterKind, "matter_kind", kind, "事项类型").value,
            department_id=department.id,
        )
        session.add(matter)
    return matter
