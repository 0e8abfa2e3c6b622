"""Catalog search: Chinese full-text query, filters, ranking and facet counts, on SQLite and PostgreSQL.

``search`` ANDs the words of a query (split on spaces) over the index of ``catalog.search_index`` and
ranks hits by where each word occurs — resource name (100) > item (10) > summary (1), summed over
the words — then by shorter name, then code. Facet counts (department, category, share_type,
open_type, update_cycle, format) are those of the whole filtered set, not of one page.
Raises ``PermissionDenied`` without ``catalog.read``, ``InvalidInput`` for an over-long query
(``catalog.search.query_too_long``) or a filter value outside the vocabulary (``catalog.bad_value``),
and ``NotFound`` for an unknown department code.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    case,
    cast,
    column,
    func,
    literal,
    select,
    table,
    text,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Category, OpenType, Resource, ResourceStatus, ShareType, UpdateCycle
from govdata.catalog.schemas import ResourceOut
from govdata.catalog.search_index import (
    INDEX_TABLE,
    atoms,
    ensure_index,
    fts5_query,
    is_postgres,
    normalize,
    pg_query,
)
from govdata.catalog.service import to_outs
from govdata.catalog.vocab import label, parse
from govdata.errors import InvalidInput
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.org import department_by_code
from govdata.security.roles import Permission

MAX_QUERY = 100  # characters
MAX_TERMS = 8
FACETS = ("department", "category", "share_type", "open_type", "update_cycle", "format")
_WEIGHTS = (("name", 100), ("items", 10), ("summary", 1))


class SearchFilters(BaseModel):
    """Facet filters; vocabulary fields take the stored value or its zh/en label."""

    department: str | None = None  # department code
    category: str | None = None
    share_type: str | None = None
    open_type: str | None = None
    update_cycle: str | None = None
    format: str | None = None


class FacetCount(BaseModel):
    value: str
    label: str
    count: int


class SearchResult(BaseModel):
    total: int
    items: list[ResourceOut]
    facets: dict[str, list[FacetCount]]


def search(
    session: Session,
    actor: Actor,
    q: str | None = None,
    filters: SearchFilters | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    lang: str = "zh",
    with_items: bool = True,
    with_facets: bool = True,
    published_only: bool = True,
) -> SearchResult:
    """One page of the resources matching ``q`` and ``filters``, ranked, with the filtered set's facets."""
    actor.require(Permission.CATALOG_READ)
    words = _words(q)
    hits = _hits(session, words, filters or SearchFilters(), published_only)
    facets = _facets(session, hits, lang) if with_facets else {}
    if with_facets:
        total = sum(f.count for f in facets["category"])
    else:
        total = int(session.execute(select(func.count()).select_from(hits.subquery())).scalar_one())
    items: list[ResourceOut] = []
    if with_items and total > offset:
        items = to_outs(list(_page(session, hits, words, limit, offset)), lang)
    return SearchResult(total=total, items=items, facets=facets)


def _words(q: str | None) -> list[str]:
    value = normalize(q or "").strip()
    if len(value) > MAX_QUERY:
        raise InvalidInput("catalog.search.query_too_long", max=MAX_QUERY)
    words = [w for w in value.split() if atoms(w)]
    if len(words) > MAX_TERMS:
        raise InvalidInput("catalog.search.too_many_words", max=MAX_TERMS)
    return words


def _index(session: Session) -> Any:
    id_name = "resource_id" if is_postgres(session) else "rowid"
    return table(INDEX_TABLE, column(id_name), column("name"), column("items"), column("summary")), id_name


def _hits(session: Session, words: list[str], filters: SearchFilters, published_only: bool) -> Select[Any]:
    """Resources matching every word and filter: id plus the facet columns."""
    r = Resource.__table__
    stmt = select(
        r.c.id, r.c.name, r.c.code, r.c.department_id, r.c.category, r.c.share_type, r.c.open_type,
        r.c.update_cycle, r.c.format,
    )  # fmt: skip
    if words:
        ensure_index(session)
        idx, id_name = _index(session)
        parts = [a for w in words for a in atoms(w)]
        if is_postgres(session):
            match = text(f"{INDEX_TABLE}.doc @@ CAST(:fts AS tsquery)").bindparams(fts=pg_query(parts))
        else:
            match = text(f"{INDEX_TABLE} MATCH :fts").bindparams(fts=fts5_query(parts))
        # a semi-join: the index drives, each filter then narrows its hits (no full-text probe per row)
        stmt = stmt.where(r.c.id.in_(select(idx.c[id_name]).where(match)))
    if published_only:
        stmt = stmt.where(r.c.status == ResourceStatus.PUBLISHED.value)
    if filters.department:
        stmt = stmt.where(r.c.department_id == department_by_code(session, filters.department).id)
    vocab = (
        ("category", Category, "资源分类"),
        ("share_type", ShareType, "共享属性"),
        ("open_type", OpenType, "开放属性"),
        ("update_cycle", UpdateCycle, "更新周期"),
    )
    for name, enum, field in vocab:
        wanted = getattr(filters, name)
        if wanted:
            stmt = stmt.where(r.c[name] == parse(enum, name, wanted, field).value)
    if filters.format:
        stmt = stmt.where(r.c.format == filters.format.strip())
    return stmt


def _score(session: Session, words: list[str]) -> ColumnElement[Any]:
    """Where the words occur: name 100, item 10, summary 1 per word (the index holds normalised text)."""
    idx, _ = _index(session)
    find = func.strpos if is_postgres(session) else func.instr
    score: ColumnElement[Any] = literal(0)
    for word in words:
        for col, weight in _WEIGHTS:
            score = score + case((find(idx.c[col], word) > 0, weight), else_=0)
    return score


def _page(session: Session, hits: Select[Any], words: list[str], limit: int, offset: int) -> list[Resource]:
    r = Resource.__table__
    stmt = hits.with_only_columns(r.c.id)
    if words:
        idx, id_name = _index(session)
        stmt = stmt.join(idx, idx.c[id_name] == r.c.id)
        order = [_score(session, words).desc(), func.length(r.c.name), r.c.code]
    else:
        order = [r.c.department_id, r.c.code]
    ids = list(session.execute(stmt.order_by(*order).limit(limit).offset(offset)).scalars())
    loaded = session.execute(
        select(Resource)
        .where(Resource.id.in_(ids))
        .options(selectinload(Resource.items), selectinload(Resource.department))
    ).scalars()
    by_id = {res.id: res for res in loaded}
    return [by_id[i] for i in ids]


def _facets(session: Session, hits: Select[Any], lang: str) -> dict[str, list[FacetCount]]:
    """Counts per value of every facet over the filtered set, in one statement.

    The set is grouped once by all six facets (a few thousand combinations at most), and each
    facet's counts are sums over those combinations — one pass over the hits, not six.
    """
    r = Resource.__table__
    names = {"department": "department_id"}
    cols = [r.c[names.get(f, f)] for f in FACETS]
    combos = (
        hits.with_only_columns(*cols, func.count().label("n"))
        .group_by(*cols)
        .cte("combos")
        .prefix_with("MATERIALIZED")
    )
    parts = []
    for name in FACETS:
        col = combos.c[names.get(name, name)]
        value = cast(col, String(200)).label("value")
        parts.append(
            select(literal(name).label("facet"), value, func.sum(combos.c.n).label("n")).group_by(col)
        )
    rows = session.execute(union_all(*parts)).all()
    dept_ids = [int(v) for f, v, _ in rows if f == "department"]
    depts = {
        str(d.id): (d.code, d.name)
        for d in session.execute(select(Department).where(Department.id.in_(dept_ids))).scalars()
    }
    out: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
    for facet, value, n in rows:
        if facet == "department":
            code, name = depts[str(value)]
            out[facet].append(FacetCount(value=code, label=name, count=int(n)))
        elif facet == "format":
            out[facet].append(FacetCount(value=value, label=value, count=int(n)))
        else:
            out[facet].append(FacetCount(value=value, label=label(facet, value, lang), count=int(n)))
    for counts in out.values():
        counts.sort(key=lambda c: (-c.count, c.value))
    return out
