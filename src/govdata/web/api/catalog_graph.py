"""Drafts from sources, coverage, the resource graph and possible duplicate collection.

Scanning a source and its drafts need ``CATALOG_WRITE`` and the source's department (checked again
by ``govdata.catalog.drafts``); coverage, the graph and duplicates need ``CATALOG_READ``.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from govdata.catalog.drafts import (
    Coverage,
    DraftEdit,
    DraftOut,
    accept_drafts,
    coverage,
    propose_drafts,
    scan_source,
    total_coverage,
)
from govdata.catalog.graph import Duplicate, Graph, duplicates, resource_graph
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]


class AcceptIn(BaseModel):
    tables: list[DraftEdit] = Field(min_length=1)


class CoverageOut(BaseModel):
    total: Coverage
    departments: list[Coverage]


@router.post("/catalog/sources/{source_id}/scan")
def scan(source_id: int, session: SessionDep, platform: PlatformDep, actor: Writer) -> dict[str, Any]:
    """Discover the source's tables and columns into the inventory; tables gone are marked."""
    secret = platform.settings.secret_key.get_secret_value()
    return dataclasses.asdict(scan_source(session, platform.audit, actor, source_id, secret))


@router.get("/catalog/sources/{source_id}/drafts", response_model=list[DraftOut])
def drafts(source_id: int, session: SessionDep, actor: Writer) -> list[DraftOut]:
    """A proposed entry for every uncatalogued table of the source (as of its last scan)."""
    return propose_drafts(session, actor, source_id)


@router.post("/catalog/sources/{source_id}/drafts/accept")
def accept(
    source_id: int, body: AcceptIn, session: SessionDep, platform: PlatformDep, actor: Writer
) -> dict[str, list[str]]:
    """File the drafts of one or many tables (with edited names and summaries) as draft resources."""
    filed = accept_drafts(session, platform.audit, actor, source_id, body.tables)
    return {"codes": [r.code for r in filed]}


@router.get("/catalog/coverage", response_model=CoverageOut)
def read_coverage(session: SessionDep, actor: Reader) -> CoverageOut:
    """编目覆盖率: per department, the tables its sources hold and the share catalogued."""
    rows = coverage(session, actor)
    return CoverageOut(total=total_coverage(rows), departments=rows)


@router.get("/catalog/graph", response_model=Graph)
def graph(
    session: SessionDep, actor: Reader, department: str | None = None, resource: str | None = None
) -> Graph:
    """Departments, systems, resources and matters with their links, optionally narrowed."""
    return resource_graph(session, actor, department or None, resource or None)


@router.get("/catalog/duplicates", response_model=list[Duplicate])
def read_duplicates(
    session: SessionDep, actor: Reader, department: str | None = None, resource: str | None = None
) -> list[Duplicate]:
    """Published resources of different departments sharing data elements (避免重复采集)."""
    return duplicates(session, actor, department or None, resource or None)
