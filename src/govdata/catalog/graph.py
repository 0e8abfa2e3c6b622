"""The resource graph (数据资源图谱) and possible duplicate collection (避免重复采集).

``resource_graph`` links published resources to the department providing them (``provides``), the
information system they come from (``from_system``), the matters they serve (``serves``), their
related resources (``related``) and resources of other departments holding the same data elements
(``possible_duplicate``). Every node is typed (department, system, resource, matter), labelled and
links to its portal page. Filters: one department (its resources and their neighbours) or one focus
resource (it and its neighbours).

``duplicates`` flags pairs of published resources of *different* departments whose bound data
elements overlap: at least ``MIN_SHARED`` (2) shared elements, and those at least ``MIN_SHARE``
(50 %) of the smaller resource's bound elements. One shared key (an ID number) is how data is
joined, not duplicated; two or more that make up half of what one side holds means one department
collects what another already has. Each flag lists the shared elements. The element bindings are
read in one query and paired through an inverted index (element → resources) in Python: the work
grows with pairs that share something, never with a query per resource.

Raises ``PermissionDenied`` unless the actor may read the catalog; ``NotFound`` for an unknown
focus resource or department.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Any
from urllib.parse import quote, urlencode

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.models import (
    Item,
    Matter,
    Resource,
    ResourceStatus,
    System,
    resource_links,
    resource_matters,
)
from govdata.errors import NotFound
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.org import department_by_code
from govdata.security.roles import Permission

MIN_SHARED = 2
MIN_SHARE = 0.5


class Node(BaseModel):
    id: str  # "department:gaj", "system:3", "resource:<code>", "matter:<code>"
    type: str  # department | system | resource | matter
    label: str
    href: str
    department: str | None = None


class Edge(BaseModel):
    source: str
    target: str
    kind: str  # provides | from_system | serves | related | possible_duplicate


class Duplicate(BaseModel):
    """Two published resources of different departments sharing data elements."""

    a: str
    a_name: str
    a_department: str
    b: str
    b_name: str
    b_department: str
    shared: list[str]  # element identifiers
    shared_names: list[str]


class Graph(BaseModel):
    nodes: list[Node]
    edges: list[Edge]
    duplicates: list[Duplicate]


def _published(session: Session) -> dict[int, Any]:
    rows = session.execute(
        select(Resource.id, Resource.code, Resource.name, Resource.department_id, Resource.system_id).where(
            Resource.status == ResourceStatus.PUBLISHED.value
        )
    )
    return {r.id: r for r in rows}


def _pairs(session: Session, published: dict[int, Any]) -> list[tuple[int, int, list[str]]]:
    """(resource, resource, shared elements) for every flagged pair, in one query."""
    bound: dict[int, set[str]] = defaultdict(set)
    for rid, element in session.execute(
        select(Item.resource_id, Item.element)
        .join(Resource, Resource.id == Item.resource_id)
        .where(Item.element.is_not(None), Resource.status == ResourceStatus.PUBLISHED.value)
    ):
        bound[rid].add(element)
    # a resource binding fewer than MIN_SHARED elements can never be flagged: leave it out of the pairing
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for rid, elements in bound.items():
        if len(elements) >= MIN_SHARED:
            for element in elements:
                postings[element].append((rid, published[rid].department_id))
    counts: Counter[tuple[int, int]] = Counter()
    for members in postings.values():
        counts.update((a, b) for (a, da), (b, db) in combinations(sorted(members), 2) if da != db)
    out = []
    for (a, b), n in counts.items():
        if n >= MIN_SHARED and n >= MIN_SHARE * min(len(bound[a]), len(bound[b])):
            out.append((a, b, sorted(bound[a] & bound[b])))
    return out


def _element_names(session: Session, identifiers: set[str]) -> dict[str, str]:
    from govdata.govern.models import DataElement  # govern imports the catalog: import late

    if not identifiers:
        return {}
    rows = session.execute(
        select(DataElement.identifier, DataElement.name).where(DataElement.identifier.in_(list(identifiers)))
    )
    return {i: n for i, n in rows}


def _depts(session: Session) -> dict[int, Department]:
    return {d.id: d for d in session.execute(select(Department)).scalars()}


def duplicates(
    session: Session, actor: Actor, department: str | None = None, resource: str | None = None
) -> list[Duplicate]:
    """Flagged pairs (see the module docstring), those touching ``department`` / ``resource`` only."""
    actor.require(Permission.CATALOG_READ)
    published = _published(session)
    return _duplicates(session, published, _depts(session), department, resource)


def _duplicates(
    session: Session,
    published: dict[int, Any],
    depts: dict[int, Department],
    department: str | None,
    resource: str | None,
) -> list[Duplicate]:
    dept_id = department_by_code(session, department).id if department else None
    pairs = _pairs(session, published)
    if dept_id is not None:
        pairs = [
            p for p in pairs if dept_id in (published[p[0]].department_id, published[p[1]].department_id)
        ]
    if resource:
        pairs = [p for p in pairs if resource in (published[p[0]].code, published[p[1]].code)]
    names = _element_names(session, {e for p in pairs for e in p[2]})
    out = []
    for a, b, shared in pairs:
        ra, rb = sorted((published[a], published[b]), key=lambda r: r.code)
        out.append(
            Duplicate(
                a=ra.code,
                a_name=ra.name,
                a_department=depts[ra.department_id].code,
                b=rb.code,
                b_name=rb.name,
                b_department=depts[rb.department_id].code,
                shared=shared,
                shared_names=[names.get(e, e) for e in shared],
            )
        )
    out.sort(key=lambda d: (-len(d.shared), d.a, d.b))
    return out


def _res_href(code: str) -> str:
    return "/catalog/resources/" + quote(code, safe="/")


def resource_graph(
    session: Session, actor: Actor, department: str | None = None, resource: str | None = None
) -> Graph:
    """Nodes and edges of the published catalog, narrowed to a department or a focus resource."""
    actor.require(Permission.CATALOG_READ)
    published = _published(session)
    depts = _depts(session)
    by_code = {r.code: r.id for r in published.values()}
    if resource and resource not in by_code:
        raise NotFound("catalog.not_found", code=resource)
    dups = _duplicates(session, published, depts, None, None)
    related = [
        (a, b) for a, b in session.execute(select(resource_links.c.resource_id, resource_links.c.related_id))
        if a in published and b in published
    ]  # fmt: skip
    # which resources are shown: all, a department's and their neighbours, or a focus and its neighbours
    links = [(a, b) for a, b in related] + [(by_code[d.a], by_code[d.b]) for d in dups]
    if resource:
        core = {by_code[resource]}
    elif department:
        dept_id = department_by_code(session, department).id
        core = {rid for rid, r in published.items() if r.department_id == dept_id}
    else:
        core = set(published)
    shown = core | {b for a, b in links if a in core} | {a for a, b in links if b in core}
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for rid in sorted(shown, key=lambda i: published[i].code):
        r = published[rid]
        dept = depts[r.department_id]
        rnode = f"resource:{r.code}"
        nodes[rnode] = Node(
            id=rnode, type="resource", label=r.name, href=_res_href(r.code), department=dept.code
        )
        dnode = f"department:{dept.code}"
        nodes.setdefault(
            dnode,
            Node(id=dnode, type="department", label=dept.name, href="/catalog?" + urlencode({"department": dept.code}),
                 department=dept.code),
        )  # fmt: skip
        edges.append(Edge(source=dnode, target=rnode, kind="provides"))
    systems = {s.id: s for s in session.execute(select(System)).scalars()}
    for rid in shown:
        r = published[rid]
        if r.system_id and r.system_id in systems:
            system = systems[r.system_id]
            snode = f"system:{system.id}"
            nodes.setdefault(
                snode,
                Node(id=snode, type="system", label=system.name, department=depts[system.department_id].code,
                     href="/catalog?" + urlencode({"q": system.name})),
            )  # fmt: skip
            edges.append(Edge(source=f"resource:{r.code}", target=snode, kind="from_system"))
    for rid, code, name in session.execute(
        select(resource_matters.c.resource_id, Matter.code, Matter.name).join(
            Matter, Matter.id == resource_matters.c.matter_id
        )
    ):
        if rid in shown:
            mnode = f"matter:{code}"
            nodes.setdefault(
                mnode, Node(id=mnode, type="matter", label=name, href="/catalog?" + urlencode({"q": name}))
            )
            edges.append(Edge(source=f"resource:{published[rid].code}", target=mnode, kind="serves"))
    for a, b in related:
        if a in shown and b in shown:
            edges.append(
                Edge(
                    source=f"resource:{published[a].code}",
                    target=f"resource:{published[b].code}",
                    kind="related",
                )
            )
    kept = [d for d in dups if by_code[d.a] in shown and by_code[d.b] in shown]
    if resource:
        kept = [d for d in kept if resource in (d.a, d.b)]
    elif department:
        kept = [d for d in kept if department in (d.a_department, d.b_department)]
    for d in kept:
        edges.append(Edge(source=f"resource:{d.a}", target=f"resource:{d.b}", kind="possible_duplicate"))
    return Graph(nodes=list(nodes.values()), edges=edges, duplicates=kept)
