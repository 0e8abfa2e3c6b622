"""Catalog pages: search with facet counts (HTMX partial for the results) and one resource with its items.

A data user sees an apply form on a resource it may request; the form posts to /share/apply.
Raises ``NotFound`` (via the catalog service) for an unknown resource code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from govdata.catalog import OpenType, ShareType, get_resource, to_out
from govdata.catalog.search import SearchFilters, search
from govdata.catalog.vocab import label
from govdata.security.actor import Actor
from govdata.security.org import list_departments
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require
from govdata.web.pages.view import lang, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
PAGE_SIZE = 50


FILTERS = ("department", "category", "share_type", "open_type", "update_cycle", "format")


def _results(
    session: Session, actor: Actor, language: str, q: str, filters: dict[str, str], offset: int
) -> dict[str, Any]:
    """One page of results and the facet counts of the whole filtered set, each count a link."""
    found = search(
        session,
        actor,
        q or None,
        SearchFilters(**{k: v or None for k, v in filters.items()}),
        PAGE_SIZE,
        offset,
        lang=language,
    )
    base = {"q": q, **filters} | ({"lang": "en"} if language == "en" else {})
    facet_links = {
        facet: [
            {**c.model_dump(), "active": filters.get(facet) == c.value, "href": _toggle(base, facet, c.value)}
            for c in counts
        ]
        for facet, counts in found.facets.items()
    }
    return {"resources": found.items, "total": found.total, "facet_links": facet_links}


def _toggle(base: dict[str, str], facet: str, value: str) -> str:
    """The catalog URL with ``facet`` set to ``value``, or without it when it is already set."""
    wanted = base | {facet: "" if base.get(facet) == value else value}
    return "/catalog?" + urlencode({k: v for k, v in wanted.items() if v})


def _facets(session: Session, language: str) -> dict[str, Any]:
    return {
        "department_options": [(d.code, d.name) for d in list_departments(session)],
        "share_options": [(m.value, label("share_type", m.value, language)) for m in ShareType],
        "open_options": [(m.value, label("open_type", m.value, language)) for m in OpenType],
    }


@dataclass
class CatalogQuery:
    """The search box, the facet filters and the page, as query parameters of both catalog views."""

    q: str = ""
    department: str = ""
    share_type: str = ""
    open_type: str = ""
    category: str = ""
    update_cycle: str = ""
    format: str = ""  # noqa: A003 — the facet's name in the URL
    offset: Annotated[int, Query(ge=0)] = 0

    @property
    def filters(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS}


Search = Annotated[CatalogQuery, Depends()]


@router.get("/catalog")
def catalog(request: Request, session: SessionDep, actor: Reader, query: Search) -> Response:
    language = lang(request)
    ctx = _results(session, actor, language, query.q, query.filters, query.offset)
    ctx.update(_facets(session, language))
    ctx["filters"] = {"q": query.q, **query.filters}
    return render_page(request, "catalog/list.html", ctx)


@router.get("/catalog/search")
def catalog_search(request: Request, session: SessionDep, actor: Reader, query: Search) -> Response:
    """Facet counts and the results table, for HTMX to swap in as the user types or picks a filter."""
    ctx = _results(session, actor, lang(request), query.q, query.filters, query.offset)
    return render_page(request, "catalog/_results.html", ctx)


@router.get("/catalog/resources/{code:path}")
def resource_detail(request: Request, code: str, session: SessionDep, actor: Reader) -> Response:
    resource = to_out(get_resource(session, code), lang(request))
    can_apply = actor.can(Permission.SHARE_APPLY) and actor.department_code is not None
    shareable = resource.share_type != ShareType.NONE.value
    return render_page(
        request,
        "catalog/detail.html",
        {"resource": resource, "can_apply": can_apply, "shareable": shareable},
    )
