"""Standards library API: data elements and code tables, their history and diffs.

Reading needs ``catalog.read``; POST and PUT need ``standards.manage`` (the service also requires
the data bureau). Code-table codes contain ``/`` and spaces (``GB/T 2261.1-2003``): they travel as a
path, URL-encoded (``/code-tables/GB/T%202261.1-2003``). Errors come from ``govern.library``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from govdata.govern import library, library_history
from govdata.govern.library_schemas import (
    CodeTableFields,
    CodeTableIn,
    CodeTableOut,
    CodeTableSummary,
    Diff,
    ElementFields,
    ElementIn,
    ElementOut,
    ElementPage,
    HistoryEntry,
)
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/standards", tags=["standards"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Manager = Annotated[Actor, Depends(require(Permission.STANDARDS_MANAGE))]
Version = Annotated[int, Query(ge=1, alias="from")]


@router.get("/elements", response_model=ElementPage)
def list_elements(
    session: SessionDep,
    actor: Reader,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ElementPage:
    """Elements matching ``q`` in identifier, name, aliases, standard or code table."""
    return library.list_elements(session, actor, q, limit, offset)


@router.post("/elements", response_model=ElementOut, status_code=201)
def create_element(session: SessionDep, platform: PlatformDep, actor: Manager, body: ElementIn) -> ElementOut:
    return library.element_out(library.create_element(session, platform.audit, actor, body))


@router.get("/elements/{identifier}", response_model=ElementOut)
def read_element(identifier: str, session: SessionDep, actor: Reader) -> ElementOut:
    return library.element_out(library.get_element(session, actor, identifier))


@router.put("/elements/{identifier}", response_model=ElementOut)
def update_element(
    identifier: str, session: SessionDep, platform: PlatformDep, actor: Manager, body: ElementFields
) -> ElementOut:
    return library.element_out(library.update_element(session, platform.audit, actor, identifier, body))


@router.get("/elements/{identifier}/history", response_model=list[HistoryEntry])
def element_history(identifier: str, session: SessionDep, actor: Reader) -> list[HistoryEntry]:
    return library_history.history(session, actor, "element", identifier)


@router.get("/elements/{identifier}/diff", response_model=Diff)
def element_diff(
    identifier: str,
    session: SessionDep,
    actor: Reader,
    from_version: Version,
    to: Annotated[int, Query(ge=1)],
) -> Diff:
    return library_history.diff(session, actor, "element", identifier, from_version, to)


@router.get("/code-tables", response_model=list[CodeTableSummary])
def list_code_tables(session: SessionDep, actor: Reader) -> list[CodeTableSummary]:
    return library.list_code_tables(session, actor)


@router.post("/code-tables", response_model=CodeTableOut, status_code=201)
def create_code_table(
    session: SessionDep, platform: PlatformDep, actor: Manager, body: CodeTableIn
) -> CodeTableOut:
    return library.code_table_out(library.create_code_table(session, platform.audit, actor, body))


# The history and diff routes come before the plain one: a ``:path`` parameter would swallow them.
@router.get("/code-tables/{code:path}/history", response_model=list[HistoryEntry])
def code_table_history(code: str, session: SessionDep, actor: Reader) -> list[HistoryEntry]:
    return library_history.history(session, actor, "code_table", code)


@router.get("/code-tables/{code:path}/diff", response_model=Diff)
def code_table_diff(
    code: str, session: SessionDep, actor: Reader, from_version: Version, to: Annotated[int, Query(ge=1)]
) -> Diff:
    return library_history.diff(session, actor, "code_table", code, from_version, to)


@router.get("/code-tables/{code:path}", response_model=CodeTableOut)
def read_code_table(code: str, session: SessionDep, actor: Reader) -> CodeTableOut:
    return library.code_table_out(library.get_code_table(session, actor, code))


@router.put("/code-tables/{code:path}", response_model=CodeTableOut)
def update_code_table(
    code: str, session: SessionDep, platform: PlatformDep, actor: Manager, body: CodeTableFields
) -> CodeTableOut:
    return library.code_table_out(library.update_code_table(session, platform.audit, actor, code, body))
