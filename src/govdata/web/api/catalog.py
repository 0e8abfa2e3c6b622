"""Catalog API: search resources (Chinese full text, filters, facet counts) and read one resource.

Search errors come from ``govdata.catalog.search``: ``catalog.search.query_too_long``,
``catalog.search.too_many_words``, ``catalog.bad_value`` (400) and an unknown department (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from govdata.catalog import ResourceOut, get_resource, to_out
from govdata.catalog.search import SearchFilters, SearchResult, search
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Filters = Annotated[SearchFilters, Depends()]


@router.get("/catalog/resources", response_model=SearchResult)
def list_resources(
    session: SessionDep,
    actor: Reader,
    filters: Filters,
    q: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SearchResult:
    """Published resources matching ``q`` (words ANDed, ranked) and the filters, with facet counts."""
    return search(session, actor, q, filters, limit, offset)


@router.get("/catalog/facets", response_model=SearchResult)
def facets(session: SessionDep, actor: Reader, filters: Filters, q: str | None = None) -> SearchResult:
    """Only the total and the facet counts of a search (``items`` is empty)."""
    return search(session, actor, q, filters, with_items=False)


@router.get("/catalog/resources/{code:path}", response_model=ResourceOut)
def read_resource(code: str, session: SessionDep, actor: Reader) -> ResourceOut:
    return to_out(get_resource(session, code))
