"""Catalog search: Chinese full-text query, filters, ranking and facet counts, on SQLite and PostgreSQL.

``search`` ANDs the words of a query (split on spaces); a word is found when one field of a resource
holds it (see ``catalog.search_index``). Hits rank by where each word occurs — resource name (100) >
the name's pinyin initials (50, a word of letters only) > item (10) > summary (1), summed over the
words (code and tags are found, not ranked) — then by shorter name, then code. Without words the listing is by department, then code. Facet counts
(department, category, share_type, open_type, update_cycle, format) and the total are exact and
those of the whole filtered set, not of one page.

The database is asked only for what its full-text index answers best: the ids holding a word in
a field (``catalog.search_hits``). Everything that grows with the number of hits — the
filters, the total, the six facet counts, the ranking and the page — is then done over an
in-memory copy of the index's narrow facts table (``catalog_search_facts``: published flag,
department, vocabulary facets, name length, code) as Arrow arrays: vectorised, one pass each,
whatever the number of hits. The copy is kept per database and reread when the index's
generation token changes (every index write changes it); only the page's resources are loaded.

Raises ``PermissionDenied`` without ``catalog.read``, ``InvalidInput`` for an over-long query
(``catalog.search.query_too_long``), too many words (``catalog.search.too_many_words``) or a filter
value outside the vocabulary (``catalog.bad_value``), and ``NotFound`` for an unknown department code.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Category, OpenType, Resource, ShareType, UpdateCycle
from govdata.catalog.schemas import ResourceOut
from govdata.catalog.search_hits import Hits, hits
from govdata.catalog.search_index import (
    FACET_COLUMNS,
    FACTS_TABLE,
    FIELDS,
    ensure_index,
    generation,
    is_postgres,
)
from govdata.catalog.search_text import atoms, normalize
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
_WEIGHTS = {"name": 100, "initials": 50, "items": 10, "summary": 1, "other": 0}
_FACT_COLUMNS = ("resource_id", "published", *FACET_COLUMNS, "name_len", "code")


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
    words = [atoms(w) for w in _words(q)]
    wanted = _filters(session, filters or SearchFilters(), published_only)
    ensure_index(session)
    facts = _snapshot(session)
    found = hits(session, facts.columns["resource_id"], words)
    keep = facts.where(wanted)
    for i in range(len(words)):  # every word, each in some field
        keep = pc.and_(keep, _any(found[i, f] for f in FIELDS))
    rows = pc.indices_nonzero(keep)
    total = len(rows)
    facets = _facets(session, facts, rows, lang) if with_facets else {}
    items: list[ResourceOut] = []
    if with_items and total > offset:
        ids = facts.page(rows, found, limit, offset)
        items = to_outs(_load(session, ids), lang)
    return SearchResult(total=total, items=items, facets=facets)


def _any(masks: Any) -> pa.Array:
    out = None
    for m in masks:
        out = m if out is None else pc.or_(out, m)
    return out


def _words(q: str | None) -> list[str]:
    value = normalize(q or "").strip()
    if len(value) > MAX_QUERY:
        raise InvalidInput("catalog.search.query_too_long", max=MAX_QUERY)
    words = [w for w in value.split() if atoms(w)]
    if len(words) > MAX_TERMS:
        raise InvalidInput("catalog.search.too_many_words", max=MAX_TERMS)
    return words


def _filters(session: Session, filters: SearchFilters, published_only: bool) -> dict[str, object]:
    """Wanted values of the facts columns for ``filters`` (values checked against the vocabulary)."""
    wanted: dict[str, object] = {}
    if published_only:
        wanted["published"] = 1
    if filters.department:
        wanted["department_id"] = department_by_code(session, filters.department).id
    vocab = (
        ("category", Category, "资源分类"),
        ("share_type", ShareType, "共享属性"),
        ("open_type", OpenType, "开放属性"),
        ("update_cycle", UpdateCycle, "更新周期"),
    )
    for name, enum, field in vocab:
        value = getattr(filters, name)
        if value:
            wanted[name] = parse(enum, name, value, field).value
    if filters.format:
        wanted["format"] = filters.format.strip()
    return wanted


class _Facts:
    """The index's facts table in memory as Arrow arrays, one row per indexed resource.

    Prepared once per generation so that a search compares integers only: the six facets as
    dictionary arrays (filter and count their small codes, not strings) and each row's place in
    code order (the ranking's last key)."""

    def __init__(self, session: Session, token: str) -> None:
        sql = f"SELECT {', '.join(_FACT_COLUMNS)} FROM {FACTS_TABLE}"  # noqa: S608 - constants
        rows = _raw(session, sql, {})
        self.token = token
        text_columns = ("code", *FACET_COLUMNS[1:])
        values = list(zip(*rows, strict=True)) or [() for _ in _FACT_COLUMNS]
        self.columns = {
            name: pa.array(col, pa.string() if name in text_columns else pa.int64())
            for name, col in zip(_FACT_COLUMNS, values, strict=True)
        }
        self.coded = {name: self.columns[name].dictionary_encode() for name in FACET_COLUMNS}
        self.code_order = pc.rank(self.columns["code"], sort_keys="ascending")  # codes are unique
        self.everything = pc.is_valid(self.columns["resource_id"])  # all true

    def where(self, wanted: dict[str, object]) -> pa.Array:
        """Which rows hold every wanted value."""
        keep = self.everything
        for name, value in wanted.items():
            if name in self.coded:  # a facet: compare its code (none: the value is nowhere)
                coded = self.coded[name]
                code = pc.index(coded.dictionary, pa.scalar(value, coded.dictionary.type)).as_py()
                held = pc.equal(coded.indices, pa.scalar(code, coded.indices.type))
            else:
                held = pc.equal(self.columns[name], pa.scalar(value, pa.int64()))
            keep = pc.and_(keep, held)
        return keep

    def counts(self, name: str, rows: pa.Array) -> list[tuple[Any, int]]:
        coded = self.coded[name]
        found = pc.value_counts(pc.take(coded.indices, rows))
        values = pc.take(coded.dictionary, found.field("values")).to_pylist()
        return list(zip(values, found.field("counts").to_pylist(), strict=True))

    def page(self, rows: pa.Array, found: Hits, limit: int, offset: int) -> list[int]:
        """Resource ids of one page of ``rows``: by score, name length and code (by department and
        code without words). Only the page's first ``offset + limit`` rows are ever sorted out."""
        wanted = min(len(rows), offset + limit)
        if wanted <= 0:
            return []
        c = self.columns
        keys: list[tuple[str, str]]
        if found:
            score = None
            for (_, field), mask in found.items():
                if _WEIGHTS[field]:
                    points = pc.multiply(pc.cast(pc.take(mask, rows), pa.int64()), _WEIGHTS[field])
                    score = points if score is None else pc.add(score, points)
            columns = {"score": score, "name_len": pc.take(c["name_len"], rows)}
            keys = [("score", "descending"), ("name_len", "ascending"), ("code", "ascending")]
        else:
            columns = {"department_id": pc.take(c["department_id"], rows)}
            keys = [("department_id", "ascending"), ("code", "ascending")]
        table = pa.table(columns | {"code": pc.take(self.code_order, rows)})
        top = pc.select_k_unstable(table, k=wanted, sort_keys=keys)  # codes are unique: a total order
        return pc.take(c["resource_id"], pc.take(rows, top)).to_pylist()[offset:]


_SNAPSHOTS: dict[str, _Facts] = {}
_SNAPSHOT_LOCK = threading.Lock()
_MAX_SNAPSHOTS = 4


def _snapshot(session: Session) -> _Facts:
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    token = generation(session)
    facts = _SNAPSHOTS.get(key)
    if facts is None or facts.token != token:
        facts = _Facts(session, token)
        with _SNAPSHOT_LOCK:
            _SNAPSHOTS.pop(key, None)
            while len(_SNAPSHOTS) >= _MAX_SNAPSHOTS:  # many databases in one process (tests): drop the oldest
                _SNAPSHOTS.pop(next(iter(_SNAPSHOTS)))
            _SNAPSHOTS[key] = facts
    return facts


def _raw(session: Session, sql: str, params: dict[str, str]) -> list[tuple[Any, ...]]:
    """Rows through the driver's own cursor (``:name`` parameters): many small rows, no ORM."""
    if is_postgres(session):
        sql = re.sub(r":(\w+)", r"%(\1)s", sql.replace("%", "%%"))
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _load(session: Session, ids: list[int]) -> list[Resource]:
    """The resources of ``ids`` in that order, with everything ``to_out`` reads loaded in bulk."""
    loaded = session.execute(
        select(Resource)
        .where(Resource.id.in_(ids))
        .options(
            selectinload(Resource.items),
            selectinload(Resource.department),
            selectinload(Resource.system),
            selectinload(Resource.matters),
            selectinload(Resource.related),
        )
    ).scalars()
    by_id = {res.id: res for res in loaded}
    return [by_id[i] for i in ids if i in by_id]


def _facets(session: Session, facts: _Facts, rows: pa.Array, lang: str) -> dict[str, list[FacetCount]]:
    """Counts per value of every facet over the filtered set ``rows`` of ``facts``."""
    out: dict[str, list[FacetCount]] = {name: [] for name in FACETS}
    by_facet = {name: facts.counts(col, rows) for name, col in zip(FACETS, FACET_COLUMNS, strict=True)}
    dept_ids = [int(v) for v, _ in by_facet["department"]]
    depts = {
        d.id: (d.code, d.name)
        for d in session.execute(select(Department).where(Department.id.in_(dept_ids))).scalars()
    }
    for facet, counts in by_facet.items():
        for value, n in counts:
            if facet == "department":
                code, name = depts[int(value)]
                out[facet].append(FacetCount(value=code, label=name, count=n))
            elif facet == "format":
                out[facet].append(FacetCount(value=value, label=value, count=n))
            else:
                out[facet].append(FacetCount(value=value, label=label(facet, value, lang), count=n))
    for counts in out.values():
        counts.sort(key=lambda c: (-c.count, c.value))
    return out
