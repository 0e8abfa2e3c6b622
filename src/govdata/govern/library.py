"""The standards library (标准库): data elements (数据元) and code tables (代码表), versioned.

Reading needs ``catalog.read``; creating or changing an element or a code table needs
``standards.manage`` in the data bureau (``actor.require_bureau()``), is audited
(``standards.element_saved`` / ``standards.code_table_saved``), bumps ``version`` and freezes the
new version in ``LibraryHistory``. A save that changes nothing is no new version.

The platform's own lookups, ``element_for_column`` and ``code_lookup``, need no actor and answer
from one query per session (cached in ``session.info``; a save through this module clears it).

History and diffs are in ``library_history``. Raises ``NotFound``
(``govern.library.element_not_found``, ``code_table_not_found``), ``Conflict`` (``identifier_taken``, ``code_table_taken``, ``stale_version``),
``InvalidInput`` with every problem of a save (see ``library_validate``; the first one is raised,
all of them are in its ``problems`` parameter) and ``PermissionDenied``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.errors import Conflict, InvalidInput, NotFound
from govdata.govern.library_schemas import (
    CodeTableFields,
    CodeTableIn,
    CodeTableOut,
    CodeTableSummary,
    CodeValueOut,
    ElementFields,
    ElementIn,
    ElementOut,
    ElementPage,
)
from govdata.govern.library_validate import (
    check_code_table,
    check_element,
    check_identifier,
    check_table_code,
    fold,
)
from govdata.govern.models import CodeTable, CodeValue, DataElement, LibraryHistory
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

_CACHE = "govern.library"  # key in session.info


# --- reading -----------------------------------------------------------------------------------------


def element_out(e: DataElement) -> ElementOut:
    return ElementOut(
        identifier=e.identifier,
        name=e.name,
        data_type=e.data_type,
        format=e.format,
        length=e.length,
        code_table=e.code_table.code if e.code_table else None,
        standard=e.standard,
        description=e.description,
        aliases=list(e.aliases or []),
        normalizer=e.normalizer,
        rules=list(e.rules or []),
        version=e.version,
        updated_by=e.updated_by,
        updated_at=e.updated_at,
    )


def code_table_out(t: CodeTable) -> CodeTableOut:
    return CodeTableOut(
        code=t.code,
        name=t.name,
        version=t.version,
        updated_by=t.updated_by,
        updated_at=t.updated_at,
        values=[CodeValueOut(code=v.code, label=v.label, synonyms=list(v.synonyms or [])) for v in t.values],
    )


def list_elements(
    session: Session, actor: Actor, q: str | None = None, limit: int = 50, offset: int = 0
) -> ElementPage:
    """Elements whose identifier, name, alias, standard or code table contains ``q`` (any case), by identifier.

    The library holds hundreds of elements, not millions: it is filtered in memory after one query.
    """
    actor.require(Permission.CATALOG_READ)
    rows = session.execute(
        select(DataElement).options(selectinload(DataElement.code_table)).order_by(DataElement.identifier)
    ).scalars()
    wanted = fold(q or "")
    found = [e for e in rows if not wanted or any(wanted in fold(t) for t in _haystack(e))]
    return ElementPage(total=len(found), items=[element_out(e) for e in found[offset : offset + limit]])


def _haystack(e: DataElement) -> list[str]:
    return [
        e.identifier,
        e.name,
        e.standard or "",
        e.code_table.code if e.code_table else "",
        *(e.aliases or []),
    ]


def get_element(session: Session, actor: Actor, identifier: str) -> DataElement:
    actor.require(Permission.CATALOG_READ)
    return find_element(session, identifier)


def find_element(session: Session, identifier: str) -> DataElement:
    """The element ``identifier`` without a permission check (for the platform's own use)."""
    found = session.execute(
        select(DataElement).where(DataElement.identifier == identifier)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("govern.library.element_not_found", identifier=identifier)
    return found


def list_code_tables(session: Session, actor: Actor) -> list[CodeTableSummary]:
    actor.require(Permission.CATALOG_READ)
    tables = session.execute(
        select(CodeTable).options(selectinload(CodeTable.values)).order_by(CodeTable.code)
    ).scalars()
    return [
        CodeTableSummary(
            code=t.code, name=t.name, version=t.version, values=len(t.values), updated_at=t.updated_at
        )
        for t in tables
    ]


def get_code_table(session: Session, actor: Actor, code: str) -> CodeTable:
    actor.require(Permission.CATALOG_READ)
    return find_code_table(session, code)


def find_code_table(session: Session, code: str) -> CodeTable:
    """The code table ``code`` without a permission check (for the platform's own use)."""
    found = session.execute(select(CodeTable).where(CodeTable.code == code)).scalar_one_or_none()
    if found is None:
        raise NotFound("govern.library.code_table_not_found", code=code)
    return found


def elements_using(session: Session, actor: Actor, code: str) -> list[str]:
    """Identifiers of the elements whose values come from code table ``code``."""
    actor.require(Permission.CATALOG_READ)
    table = find_code_table(session, code)
    query = select(DataElement.identifier).where(DataElement.code_table_id == table.id)
    return list(session.execute(query.order_by(DataElement.identifier)).scalars())


# --- the platform's lookups ----------------------------------------------------------------------------


def _index(session: Session) -> dict[str, Any]:
    cache: dict[str, Any] | None = session.info.get(_CACHE)
    if cache is None:
        cache = {"columns": None, "codes": {}}
        session.info[_CACHE] = cache
    return cache


def _column_index(session: Session) -> dict[str, DataElement]:
    """Folded alias or element name → element, from one query (the cache holds the objects)."""
    cache = _index(session)
    if cache["columns"] is None:
        index: dict[str, DataElement] = {}
        for element in session.execute(select(DataElement).order_by(DataElement.id)).scalars():
            for spelling in [element.name, *(element.aliases or [])]:
                index.setdefault(fold(spelling), element)
        cache["columns"] = index
    return cache["columns"]  # type: ignore[no-any-return]


def element_for_column(session: Session, column_name: str) -> DataElement | None:
    """The element a column holds, judged by its name: an alias or the element's name, any case.

    Tried in order: the whole name (``sfzh``, ``公民身份号码``, ``SFZH``); the part after the last ``/``
    of a flattened Excel header (``母亲/身份证号``); the longest Chinese alias or name of two or more
    characters that ends the name (``法定代表人身份证号`` → 身份证号, ``登记日期`` → 日期).
    """
    index = _column_index(session)
    key = fold(column_name)
    candidates = [key, key.rsplit("/", 1)[-1]]
    found = next((index[c] for c in candidates if c in index), None)
    if found is None:
        tail = candidates[-1]
        suffixes = [s for s in index if len(s) >= 2 and not s.isascii() and tail.endswith(s)]
        if suffixes:
            found = index[max(suffixes, key=len)]
    return found


def code_lookup(session: Session, table_code: str) -> dict[str, str]:
    """Spelling → code for code table ``table_code``: every code, label and synonym, folded (trimmed,
    half-width, lower-case), so ``男``, ``M``, ``male`` and ``1`` all give ``1``. A code wins over a
    label or synonym of another value; among labels, the first value wins. Unknown table → NotFound."""
    codes: dict[str, dict[str, str]] = _index(session)["codes"]
    if table_code not in codes:
        table = find_code_table(session, table_code)
        rows = session.execute(
            select(CodeValue.code, CodeValue.label, CodeValue.synonyms)
            .where(CodeValue.table_id == table.id)
            .order_by(CodeValue.position)
        ).all()
        lookup = {fold(r.code): r.code for r in rows}
        for r in rows:
            for spelling in [*(r.synonyms or []), r.label]:
                lookup.setdefault(fold(spelling), r.code)
        codes[table_code] = lookup
    return codes[table_code]


def forget_cache(session: Session) -> None:
    session.info.pop(_CACHE, None)


# --- saving ----------------------------------------------------------------------------------------------


def _refuse(problems: list[InvalidInput]) -> NoReturn:
    """Raise the first problem, carrying all of them (field, code, zh and en text) for forms and the API."""
    first = problems[0]
    first.params["problems"] = [
        {
            "field": p.params.get("field"),
            "code": p.code,
            "message": p.message("zh"),
            "message_en": p.message("en"),
        }
        for p in problems
    ]
    raise first


def require_manager(actor: Actor) -> None:
    """Only the data bureau keeps the library: ``standards.manage`` and membership of the bureau."""
    actor.require(Permission.STANDARDS_MANAGE)
    actor.require_bureau()


def can_manage(actor: Actor) -> bool:
    return actor.can(Permission.STANDARDS_MANAGE) and (actor.is_bureau or actor.role == "system")


def _check_base(kind: str, ref: str, current: int, base: int | None) -> None:
    if base is not None and base != current:
        raise Conflict("govern.library.stale_version", kind=kind, ref=ref, base=base, current=current)


def element_snapshot(e: DataElement) -> dict[str, Any]:
    return element_out(e).model_dump(exclude={"version", "updated_by", "updated_at"})


def code_table_snapshot(t: CodeTable) -> dict[str, Any]:
    return code_table_out(t).model_dump(exclude={"version", "updated_by", "updated_at"})


def create_element(session: Session, audit: AuditLog, actor: Actor, data: ElementIn) -> DataElement:
    require_manager(actor)
    identifier = data.identifier.strip()
    bad = check_identifier(identifier)
    checked = check_element(session, data, identifier, None)
    problems = ([bad] if bad else []) + checked.problems
    if problems:
        _refuse(problems)
    if session.execute(select(DataElement.id).where(DataElement.identifier == identifier)).first():
        raise Conflict("govern.library.identifier_taken", identifier=identifier)
    element = DataElement(identifier=identifier, updated_by=actor.username, version=1, **checked.values)
    session.add(element)
    session.flush()
    _saved(session, audit, actor, element, created=True, changed=sorted(element_snapshot(element)))
    return element


def update_element(
    session: Session, audit: AuditLog, actor: Actor, identifier: str, data: ElementFields
) -> DataElement:
    require_manager(actor)
    element = find_element(session, identifier)
    _check_base("element", identifier, element.version, data.base_version)
    checked = check_element(session, data, identifier, element.id)
    if checked.problems:
        _refuse(checked.problems)
    before = element_snapshot(element)
    for key, value in checked.values.items():  # the checked values' names are the model's
        setattr(element, key, value)
    after = element_snapshot(element)
    if after == before:
        return element
    element.version += 1
    element.updated_by = actor.username
    session.flush()
    _saved(
        session, audit, actor, element, created=False, changed=[k for k in after if after[k] != before.get(k)]
    )
    return element


def _saved(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    element: DataElement,
    *,
    created: bool,
    changed: list[str],
) -> None:
    session.add(
        LibraryHistory(
            kind="element",
            ref_id=element.id,
            version=element.version,
            snapshot=element_snapshot(element),
            changed_by=actor.username,
        )
    )
    session.flush()
    forget_cache(session)
    audit.record(
        session,
        actor,
        "standards.element_saved",
        target=f"element:{element.identifier}",
        detail={"version": element.version, "created": created, "changed": changed},
    )


def create_code_table(session: Session, audit: AuditLog, actor: Actor, data: CodeTableIn) -> CodeTable:
    require_manager(actor)
    code = data.code.strip()
    bad = check_table_code(code)
    checked = check_code_table(data)
    problems = ([bad] if bad else []) + checked.problems
    if problems:
        _refuse(problems)
    if session.execute(select(CodeTable.id).where(CodeTable.code == code)).first():
        raise Conflict("govern.library.code_table_taken", code=code)
    table = CodeTable(code=code, name=checked.values["name"], version=1, updated_by=actor.username)
    table.values = [CodeValue(position=i, **v) for i, v in enumerate(checked.values["values"], start=1)]
    session.add(table)
    session.flush()
    _table_saved(session, audit, actor, table, created=True, changed=["name", "values"])
    return table


def update_code_table(
    session: Session, audit: AuditLog, actor: Actor, code: str, data: CodeTableFields
) -> CodeTable:
    """Replace a code table's name and values; values are matched by code (kept rows are updated)."""
    require_manager(actor)
    table = find_code_table(session, code)
    _check_base("code_table", code, table.version, data.base_version)
    checked = check_code_table(data)
    if checked.problems:
        _refuse(checked.problems)
    before = code_table_snapshot(table)
    table.name = checked.values["name"]
    existing = {v.code: v for v in table.values}
    wanted = checked.values["values"]
    kept = {v["code"] for v in wanted}
    for gone in [v for c, v in existing.items() if c not in kept]:
        table.values.remove(gone)
    session.flush()
    for position, v in enumerate(wanted, start=1):
        row = existing.get(v["code"])
        if row is None:
            table.values.append(CodeValue(position=position, **v))
        else:
            row.position, row.label, row.synonyms = position, v["label"], v["synonyms"]
    table.values.sort(key=lambda r: r.position)
    after = code_table_snapshot(table)
    if after == before:
        return table
    table.version += 1
    table.updated_by = actor.username
    session.flush()
    changed = [k for k in after if after[k] != before.get(k)]
    _table_saved(session, audit, actor, table, created=False, changed=changed)
    return table


def _table_saved(
    session: Session, audit: AuditLog, actor: Actor, table: CodeTable, *, created: bool, changed: list[str]
) -> None:
    session.add(
        LibraryHistory(
            kind="code_table",
            ref_id=table.id,
            version=table.version,
            snapshot=code_table_snapshot(table),
            changed_by=actor.username,
        )
    )
    session.flush()
    forget_cache(session)
    audit.record(
        session,
        actor,
        "standards.code_table_saved",
        target=f"code_table:{table.code}",
        rows=len(table.values),
        detail={"version": table.version, "created": created, "changed": changed},
    )
