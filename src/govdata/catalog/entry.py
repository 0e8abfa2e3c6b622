"""One catalog entry (编目): check a filed ``ResourceIn`` field by field and write it onto a resource.

``entry_problems`` lists every rule an entry breaks, given what the database knows (``Known``: which
resource codes, data elements and matters exist — looked up once, for one entry or a whole Excel
file); ``check_entry`` raises the first of them. ``apply_entry`` writes a checked entry onto a
``Resource``; ``resource_values`` / ``item_values`` are the column values it writes, shared with the
bulk filing of an Excel import (``file_entries``), so both file the same rows. Creating a resource,
editing a revision, publishing it and importing a workbook all go through these, so an entry is
judged the same way wherever it comes from (the API, the portal form, an Excel row, a source draft).

The rules (STANDARDS.md §6; see docs/catalog.md "Entry"):

- **code**: segments of letters, digits, ``-``, ``_`` or ``.`` joined by ``/`` (``330100/1010/gaj-0001``,
  ``1/01/001/000001``). With a classification the code must be *built from it*: an optional region
  segment (6 digits), the classification (as its path ``1/01/001`` or compact ``101001``), then the
  sequence — digits, optionally prefixed by the provider's code and ``-`` (``330100/101001/gaj-0001``).
- **classification**: 类 1 digit, 项 2, 目 3, 细目 1–6 digits, joined by ``/`` (``1``, ``1/01``,
  ``1/01/001``, ``1/01/001/01``), or the same digits compact (``101001``); the 类 digit names the
  category: 1 基础, 2 主题, 3 部门.
- **format**: a class 电子文件/电子表格/数据库/图形图像/流媒体/其他, optionally ``/`` a type (``电子文件/pdf``).
- **sharing method** (optional): 接口/库表/文件 (api/table/file); an 电子文件 resource only as 文件.
- **items**: names and columns unique (columns case-insensitively, no blanks inside), data type
  字符/数值/日期/日期时间/布尔/二进制 (or string/number/date/datetime/boolean/binary), length 1–100000,
  a bound data element must exist in the standards library.
- **matters**: code without blanks or separators, name without ``;``, kind service/power, codes unique,
  an existing matter keeps its kind.
- **tags**: trimmed and de-duplicated, at most 20, each at most 32 characters, no separators.
- **related**: existing codes (or codes filed in the same import), never the entry itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from govdata.catalog.models import (
    Category,
    Item,
    Matter,
    MatterKind,
    OpenType,
    Resource,
    ResourceStatus,
    Revision,
    RevisionStatus,
    ShareType,
    SharingMethod,
    System,
    UpdateCycle,
    resource_links,
    resource_matters,
)
from govdata.catalog.schemas import ResourceIn
from govdata.catalog.vocab import label, parse
from govdata.db.base import utcnow
from govdata.errors import GovdataError, InvalidInput
from govdata.security.actor import Actor
from govdata.security.masking import MASKERS
from govdata.security.models import Department

FORMAT_CLASSES = ("数据库", "电子表格", "电子文件", "图形图像", "流媒体", "其他")
FILE_FORMAT = "电子文件"
DATA_TYPES: dict[str, str] = {
    "字符": "字符",
    "数值": "数值",
    "日期": "日期",
    "日期时间": "日期时间",
    "布尔": "布尔",
    "二进制": "二进制",
    "string": "字符",
    "number": "数值",
    "date": "日期",
    "datetime": "日期时间",
    "boolean": "布尔",
    "binary": "二进制",
}
MAX_ITEM_LENGTH = 100_000
MAX_TAGS = 20
MAX_TAG_CHARS = 32
MAX_SYSTEM_CHARS = 200
SEPARATORS = ";；,，"
CATEGORY_DIGIT = {Category.BASE: "1", Category.TOPIC: "2", Category.DEPARTMENT: "3"}

_SEGMENT = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_CODE = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*$")
_PATH = re.compile(r"^(\d)(?:/(\d{2})(?:/(\d{3})(?:/(\d{1,6}))?)?)?$")
_COMPACT = re.compile(r"^(\d)(?:(\d{2})(?:(\d{3})(\d{1,6})?)?)?$")
_SEQUENCE = re.compile(r"^(?:([A-Za-z0-9_.]+)-)?(\d+)$")
_REGION = re.compile(r"^\d{6}$")
_MATTER_CODE = re.compile(r"^[^\s:：;；,，]+$")


# --- the parsers -----------------------------------------------------------------------------------


def parse_classification(value: str) -> tuple[str, ...]:
    """The levels (类, 项, 目, 细目) of a classification path ``1/01/001`` or compact ``101001``.

    Raises ``InvalidInput("catalog.bad_classification")`` for anything else.
    """
    wanted = value.strip()
    found = _PATH.match(wanted) or _COMPACT.match(wanted)
    if found is None:
        raise InvalidInput("catalog.bad_classification", value=value)
    return tuple(level for level in found.groups() if level is not None)


def classification_path(levels: Sequence[str]) -> str:
    return "/".join(levels)


def code_segments(code: str) -> list[str]:
    """The ``/``-separated segments of a resource code; ``InvalidInput("catalog.bad_code")`` if malformed."""
    if not _CODE.match(code):
        raise InvalidInput("catalog.bad_code", code=code)
    return code.split("/")


def code_built_from(code: str, levels: Sequence[str], department: str) -> bool:
    """Whether ``code`` is [region/]classification/[provider-]sequence for these levels and provider."""
    segments = code.split("/")
    if len(segments) < 2:
        return False
    sequence = _SEQUENCE.match(segments[-1])
    if sequence is None or (
        sequence.group(1) is not None and sequence.group(1).lower() != department.lower()
    ):
        return False
    head = segments[:-1]
    compact = "".join(levels)
    candidates = [head]
    if len(head) > 1 and _REGION.match(head[0]):
        candidates.append(head[1:])
    return any(list(c) == list(levels) or (len(c) == 1 and c[0] == compact) for c in candidates)


def example_code(levels: Sequence[str], department: str) -> str:
    return f"{''.join(levels)}/{department}-0001"


def format_class(value: str) -> str | None:
    """The class of a format ``电子文件`` / ``电子文件/pdf``, or None when it is not a known class."""
    head, _, kind = value.strip().partition("/")
    if head not in FORMAT_CLASSES or (_ and not kind.strip()):
        return None
    return head


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Trimmed, blank ones dropped, duplicates dropped (first kept, in order)."""
    out: list[str] = []
    for tag in tags:
        tag = tag.strip()
        if tag and tag not in out:
            out.append(tag)
    return out


def data_type(value: str) -> str | None:
    """The canonical (Chinese) data type, or None when unknown."""
    wanted = value.strip()
    return DATA_TYPES.get(wanted) or DATA_TYPES.get(wanted.lower())


# --- the checks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field (``item`` set for an item's field), the message code and params."""

    field: str
    code: str
    params: dict[str, Any]
    item: int | None = None

    def error(self) -> GovdataError:
        return InvalidInput(self.code, **self.params)


@dataclass
class Known:
    """What the checks need from the database, looked up in batches (see ``known_for``)."""

    codes: set[str] = field(default_factory=set)  # resource codes that exist (of those asked for)
    elements: set[str] = field(default_factory=set)  # data element identifiers that exist
    matter_kinds: dict[str, str] = field(default_factory=dict)  # existing matter code → kind


def _in_chunks(session: Session, column: Any, values: Iterable[str], *extra: Any) -> list[Any]:
    wanted = sorted(set(values))
    found: list[Any] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.extend(session.execute(select(column, *extra).where(column.in_(chunk))).all())
    return found


def known_for(session: Session, entries: Sequence[ResourceIn]) -> Known:
    """One query per kind (in chunks of 500) for everything ``entries`` refer to."""
    from govdata.govern.models import DataElement  # the standards library: import late

    related = {c.strip() for e in entries for c in e.related}
    elements = {i.element.strip() for e in entries for i in e.items if i.element and i.element.strip()}
    matters = {m.code.strip() for e in entries for m in e.matters}
    return Known(
        codes={r[0] for r in _in_chunks(session, Resource.code, related)},
        elements={r[0] for r in _in_chunks(session, DataElement.identifier, elements)},
        matter_kinds={r[0]: r[1] for r in _in_chunks(session, Matter.code, matters, Matter.kind)},
    )


def _vocab(out: list[Problem], enum: Any, kind: str, value: str | None, name: str, key: str) -> Any:
    if value is None:
        return None
    try:
        return parse(enum, kind, value, name)
    except InvalidInput as exc:
        out.append(Problem(key, exc.code, exc.params))
        return None


def entry_problems(data: ResourceIn, known: Known) -> list[Problem]:
    """Every rule ``data`` breaks, in field order (empty when it is a good entry)."""
    out: list[Problem] = []

    def bad(key: str, message: str, item: int | None = None, /, **params: Any) -> None:
        out.append(Problem(key, message, params, item))

    try:
        code_segments(data.code)
    except InvalidInput:
        bad("code", "catalog.bad_code", code=data.code)
    for key, name in (("name", "资源名称"), ("summary", "摘要")):
        if not getattr(data, key).strip():
            bad(key, "catalog.blank", field=name)
    share = _vocab(out, ShareType, "share_type", data.share_type, "共享属性", "share_type")
    if share is ShareType.CONDITIONAL and not (data.share_condition or "").strip():
        bad("share_condition", "catalog.no_condition")
    if share is ShareType.NONE and not (data.share_basis or "").strip():
        bad("share_basis", "catalog.no_basis")
    category = _vocab(out, Category, "category", data.category, "资源分类", "category")
    _vocab(out, OpenType, "open_type", data.open_type, "开放属性", "open_type")
    _vocab(out, UpdateCycle, "update_cycle", data.update_cycle, "更新周期", "update_cycle")
    if data.classification is not None and data.classification.strip():
        try:
            levels = parse_classification(data.classification)
        except InvalidInput as exc:
            out.append(Problem("classification", exc.code, exc.params))
        else:
            if category is not None and levels[0] != CATEGORY_DIGIT[category]:
                bad(
                    "classification",
                    "catalog.classification_category",
                    value=data.classification,
                    digit=levels[0],
                    category=label("category", category.value),
                    expected=CATEGORY_DIGIT[category],
                )
            elif _CODE.match(data.code) and not code_built_from(data.code, levels, data.department):
                bad(
                    "code",
                    "catalog.code_not_built",
                    code=data.code,
                    classification=classification_path(levels),
                    example=example_code(levels, data.department),
                )
    klass = format_class(data.format)
    if klass is None:
        bad("format", "catalog.bad_format", value=data.format, known="、".join(FORMAT_CLASSES))
    method = _vocab(out, SharingMethod, "sharing_method", data.sharing_method, "共享方式", "sharing_method")
    if method is not None and klass == FILE_FORMAT and method is not SharingMethod.FILE:
        bad("sharing_method", "catalog.file_sharing", value=label("sharing_method", method.value))
    if data.source_system is not None and len(data.source_system.strip()) > MAX_SYSTEM_CHARS:
        bad("source_system", "catalog.too_long", field="来源系统", limit=MAX_SYSTEM_CHARS)
    _item_problems(data, known, bad)
    _matter_problems(data, known, out)
    _tag_problems(data, bad)
    for code in data.related:
        code = code.strip()
        if code == data.code:
            bad("related", "catalog.related_self", code=code)
        elif code not in known.codes:
            bad("related", "catalog.unknown_related", code=code)
    return out


def _item_problems(data: ResourceIn, known: Known, bad: Any) -> None:
    names: set[str] = set()
    columns: set[str] = set()
    maskers = set(MASKERS.names())
    for n, item in enumerate(data.items):
        name, column = item.name.strip(), item.column.strip()
        if not name:
            bad("name", "catalog.blank", n, field="信息项名称")
        elif name in names:
            bad("name", "catalog.duplicate_item_name", n, value=name)
        names.add(name)
        if not column or any(ch.isspace() for ch in column):
            bad("column", "catalog.bad_column", n, value=item.column)
        elif column.lower() in columns:
            bad("column", "catalog.duplicate_column", n, value=column)
        columns.add(column.lower())
        if data_type(item.data_type) is None:
            known_types = "、".join(k for k, v in DATA_TYPES.items() if k == v)
            bad(
                "data_type", "catalog.bad_value", n, field="数据类型", value=item.data_type, known=known_types
            )
        if item.length is not None and not 1 <= item.length <= MAX_ITEM_LENGTH:
            bad("length", "catalog.bad_length", n, item_name=name, value=item.length, high=MAX_ITEM_LENGTH)
        if item.masking and item.masking not in maskers:
            bad(
                "masking",
                "catalog.bad_value",
                n,
                field="脱敏规则",
                value=item.masking,
                known=", ".join(sorted(maskers)),
            )
        if item.element is not None and item.element.strip() and item.element.strip() not in known.elements:
            bad("element", "catalog.unknown_element", n, item_name=name, value=item.element)


def _matter_problems(data: ResourceIn, known: Known, out: list[Problem]) -> None:
    seen: set[str] = set()
    for matter in data.matters:
        kind = _vocab(out, MatterKind, "matter_kind", matter.kind, "事项类型", "matters")
        key = "powers" if kind is MatterKind.POWER else "matters"
        code = matter.code.strip()
        if not _MATTER_CODE.match(code):
            out.append(Problem(key, "catalog.bad_matter_code", {"value": matter.code}))
        elif code in seen:
            out.append(Problem(key, "catalog.duplicate_matter", {"value": code}))
        seen.add(code)
        if not matter.name.strip() or any(ch in matter.name for ch in ";；"):
            out.append(Problem(key, "catalog.bad_matter_name", {"value": matter.name}))
        existing = known.matter_kinds.get(code)
        if kind is not None and existing is not None and existing != kind.value:
            out.append(
                Problem(
                    key,
                    "catalog.matter_kind_mismatch",
                    {"value": code, "kind": label("matter_kind", existing)},
                )
            )


def _tag_problems(data: ResourceIn, bad: Any) -> None:
    tags = clean_tags(data.tags)
    if len(tags) > MAX_TAGS:
        bad("tags", "catalog.too_many_tags", count=len(tags), limit=MAX_TAGS)
    for tag in tags:
        if len(tag) > MAX_TAG_CHARS:
            bad("tags", "catalog.tag_too_long", value=tag, limit=MAX_TAG_CHARS)
        elif any(ch in SEPARATORS for ch in tag):
            bad("tags", "catalog.bad_tag", value=tag)


def check_entry(session: Session, data: ResourceIn) -> None:
    """Raise ``InvalidInput`` for the first rule ``data`` breaks."""
    problems = entry_problems(data, known_for(session, [data]))
    if problems:
        raise problems[0].error()


# --- writing ---------------------------------------------------------------------------------------


def resource_values(data: ResourceIn, department_id: int) -> dict[str, Any]:
    """The ``catalog_resources`` column values of a checked entry (links and items aside)."""
    method = data.sharing_method
    classification = (data.classification or "").strip()
    return {
        "code": data.code,
        "name": data.name,
        "department_id": department_id,
        "summary": data.summary,
        "category": parse(Category, "category", data.category, "资源分类").value,
        "format": data.format.strip(),
        "share_type": parse(ShareType, "share_type", data.share_type, "共享属性").value,
        "share_condition": data.share_condition,
        "share_basis": data.share_basis,
        "open_type": parse(OpenType, "open_type", data.open_type, "开放属性").value,
        "update_cycle": parse(UpdateCycle, "update_cycle", data.update_cycle, "更新周期").value,
        "lake_table": data.lake_table,
        "key_column": data.key_column,
        "classification": classification_path(parse_classification(classification))
        if classification
        else None,
        "sharing_method": parse(SharingMethod, "sharing_method", method, "共享方式").value
        if method is not None and method.strip()
        else None,
        "tags": clean_tags(data.tags),
    }


def item_values(data: ResourceIn) -> list[dict[str, Any]]:
    """The ``catalog_items`` column values of a checked entry's items, in order (no resource id)."""
    return [
        {
            "position": i,
            "column": it.column.strip(),
            "name": it.name.strip(),
            "data_type": data_type(it.data_type) or it.data_type,
            "length": it.length,
            "masking": it.masking or None,
            "sensitive": it.sensitive,
            "required": it.required,
            "element": it.element.strip() if it.element and it.element.strip() else None,
        }
        for i, it in enumerate(data.items)
    ]


def apply_entry(session: Session, res: Resource, data: ResourceIn, department: Department) -> None:
    """Write a checked entry onto ``res`` (new or existing): attributes, items and links."""
    for key, value in resource_values(data, department.id).items():
        setattr(res, key, value)
    system = (data.source_system or "").strip()
    res.system = _system(session, department, system) if system else None
    res.matters = [_matter(session, m.code.strip(), m.name, m.kind, department) for m in data.matters]
    related = sorted({c.strip() for c in data.related})
    res.related = (
        list(session.execute(select(Resource).where(Resource.code.in_(related))).scalars()) if related else []
    )
    res.items = [Item(**values) for values in item_values(data)]


def _system(session: Session, department: Department, name: str) -> System:
    """The department's information system called ``name``, recorded on first mention."""
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
            name=name.strip(),
            kind=parse(MatterKind, "matter_kind", kind, "事项类型").value,
            department_id=department.id,
        )
        session.add(matter)
    return matter


def revision_payload(data: ResourceIn) -> dict[str, Any]:
    """The first revision's payload: the entry as filed."""
    return data.model_dump(mode="json")


# --- bulk filing (an Excel import) -----------------------------------------------------------------

_CHUNK = 1000


def file_entries(
    session: Session, actor: Actor, entries: Sequence[ResourceIn], departments: dict[str, int]
) -> list[int]:
    """File checked, new entries as drafts in bulk; returns their resource ids (in ``entries`` order).

    The same rows ``create_resource`` writes for each (resource, items, source system, matters,
    related links, revision 1 as a draft, search index row), in a few statements per 1,000 entries
    instead of a dozen per entry. The caller checked them (``entry_problems``), the codes are new and
    ``departments`` maps department code → id; auditing is the caller's (one record per import).
    """
    from govdata.catalog.search_index import ensure_index, index_resources

    ensure_index(session)  # catch the index up first: the new rows are indexed below, once
    systems = _bulk_systems(session, entries, departments)
    matters = _bulk_matters(session, entries, departments)
    now = utcnow()
    ids: list[int] = []
    for start in range(0, len(entries), _CHUNK):
        chunk = entries[start : start + _CHUNK]
        rows = []
        for data in chunk:
            dept = departments[data.department]
            values = resource_values(data, dept)
            system = (data.source_system or "").strip()
            values.update(
                status=ResourceStatus.DRAFT.value,
                version=0,
                system_id=systems[(dept, system)] if system else None,
                created_at=now,
                updated_at=now,
            )
            rows.append(values)
        inserted = session.execute(
            insert(Resource).returning(Resource.id, sort_by_parameter_order=True), rows
        ).scalars()
        chunk_ids = list(inserted)
        ids.extend(chunk_ids)
        item_rows = [
            {**values, "resource_id": rid}
            for rid, data in zip(chunk_ids, chunk, strict=True)
            for values in item_values(data)
        ]
        if item_rows:
            session.execute(insert(Item), item_rows)
        session.execute(
            insert(Revision),
            [
                {
                    "resource_id": rid,
                    "number": 1,
                    "status": RevisionStatus.DRAFT.value,
                    "payload": revision_payload(data),
                    "created_by": actor.username,
                    "created_at": now,
                    "updated_at": now,
                }
                for rid, data in zip(chunk_ids, chunk, strict=True)
            ],
        )
        links = [
            {"resource_id": rid, "matter_id": matters[code]}
            for rid, data in zip(chunk_ids, chunk, strict=True)
            for code in sorted({m.code.strip() for m in data.matters})
        ]
        if links:
            session.execute(insert(resource_matters), links)
    by_code = {data.code: rid for rid, data in zip(ids, entries, strict=True)}
    wanted = {c.strip() for data in entries for c in data.related} - set(by_code)
    by_code.update({r[0]: r[1] for r in _in_chunks(session, Resource.code, wanted, Resource.id)})
    related = [
        {"resource_id": rid, "related_id": by_code[code]}
        for rid, data in zip(ids, entries, strict=True)
        for code in sorted({c.strip() for c in data.related})
    ]
    for start in range(0, len(related), 5000):
        session.execute(insert(resource_links), related[start : start + 5000])
    index_resources(session, ids)
    return ids


def _bulk_systems(
    session: Session, entries: Sequence[ResourceIn], departments: dict[str, int]
) -> dict[tuple[int, str], int]:
    wanted = {
        (departments[e.department], (e.source_system or "").strip())
        for e in entries
        if (e.source_system or "").strip()
    }
    if not wanted:
        return {}
    dept_ids = {d for d, _ in wanted}
    found = {
        (s.department_id, s.name): s.id
        for s in session.execute(select(System).where(System.department_id.in_(dept_ids))).scalars()
    }
    missing = [System(department_id=d, name=n) for d, n in sorted(wanted - set(found))]
    if missing:
        session.add_all(missing)
        session.flush()
        found.update({(s.department_id, s.name): s.id for s in missing})
    return found


def _bulk_matters(
    session: Session, entries: Sequence[ResourceIn], departments: dict[str, int]
) -> dict[str, int]:
    first: dict[str, Matter] = {}
    for e in entries:
        for m in e.matters:
            code = m.code.strip()
            if code not in first:
                first[code] = Matter(
                    code=code,
                    name=m.name.strip(),
                    kind=parse(MatterKind, "matter_kind", m.kind, "事项类型").value,
                    department_id=departments[e.department],
                )
    if not first:
        return {}
    found = {r[0]: r[1] for r in _in_chunks(session, Matter.code, first, Matter.id)}
    missing = [m for code, m in first.items() if code not in found]
    if missing:
        session.add_all(missing)
        session.flush()
        found.update({m.code: m.id for m in missing})
    return found
