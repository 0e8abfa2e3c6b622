"""The resource classification tree (信息资源分类: 类 / 项 / 目 / 细目) and browsing by it.

The first two levels follow 《政务信息资源目录编制指南(试行)》 as ../shared/STANDARDS.md §6 records
them: 类 1 基础 (人口, 法人单位, 自然资源和空间地理, 社会信用, 电子证照), 2 主题 (twelve themes), 3 部门
(by issuing body — its 项 are named by the departments' own business, so they show as their codes).
Deeper levels (目, 细目) are the provider's own and are shown by code. Counts are of published
resources; an entry's classification is checked on filing (``catalog.entry.parse_classification``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.entry import classification_path, parse_classification
from govdata.catalog.models import Resource, ResourceStatus
from govdata.security.actor import Actor
from govdata.security.roles import Permission

# 类 → (zh, en), and its 项 (2-digit code → (zh, en)) where the guideline names them
CLASSES: dict[str, tuple[str, str]] = {
    "1": ("基础", "Base"),
    "2": ("主题", "Topic"),
    "3": ("部门", "Department"),
}
ITEMS: dict[str, dict[str, tuple[str, str]]] = {
    "1": {
        "01": ("人口", "Population"),
        "02": ("法人单位", "Legal entities"),
        "03": ("自然资源和空间地理", "Natural resources and geography"),
        "04": ("社会信用", "Social credit"),
        "05": ("电子证照", "Electronic licences"),
    },
    "2": {
        "01": ("公共服务", "Public services"),
        "02": ("健康保障", "Health"),
        "03": ("社会保障", "Social security"),
        "04": ("食品药品安全", "Food and drug safety"),
        "05": ("安全生产", "Work safety"),
        "06": ("价格监管", "Price supervision"),
        "07": ("能源安全", "Energy security"),
        "08": ("信用体系", "Credit system"),
        "09": ("城乡建设", "Urban and rural construction"),
        "10": ("社区治理", "Community governance"),
        "11": ("生态环保", "Ecology and environment"),
        "12": ("应急维稳", "Emergency and stability"),
    },
}


@dataclass
class Node:
    path: str  # "1", "1/01", "1/01/001"
    code: str  # this level's own code
    name: str
    count: int = 0  # published resources in the subtree
    children: list[Node] = field(default_factory=list)


def node_name(levels: tuple[str, ...], lang: str = "zh") -> str:
    """The name of the node at ``levels``: the guideline's for 类 and its named 项, else the code."""
    pick = 0 if lang == "zh" else 1
    if len(levels) == 1 and levels[0] in CLASSES:
        return CLASSES[levels[0]][pick]
    if len(levels) == 2 and levels[1] in ITEMS.get(levels[0], {}):
        return ITEMS[levels[0]][levels[1]][pick]
    return levels[-1]


def classification_tree(session: Session, actor: Actor, lang: str = "zh") -> tuple[list[Node], int]:
    """The tree with published-resource counts (every named 类/项 shown, even when empty), and the
    number of published resources without a classification."""
    actor.require(Permission.CATALOG_READ)
    counts: Counter[tuple[str, ...]] = Counter()
    rows = session.execute(
        select(Resource.classification, func.count())
        .where(Resource.status == ResourceStatus.PUBLISHED.value)
        .group_by(Resource.classification)
    )
    unclassified = 0
    for value, n in rows:
        if not value:
            unclassified += int(n)
            continue
        levels = parse_classification(value)
        for depth in range(1, len(levels) + 1):
            counts[levels[:depth]] += int(n)
    wanted = set(counts) | {(c,) for c in CLASSES} | {(c, i) for c, items in ITEMS.items() for i in items}
    nodes: dict[tuple[str, ...], Node] = {
        levels: Node(classification_path(levels), levels[-1], node_name(levels, lang), counts[levels])
        for levels in sorted(wanted)
    }
    roots: list[Node] = []
    for levels, node in nodes.items():
        parent = nodes.get(levels[:-1]) if len(levels) > 1 else None
        (parent.children if parent is not None else roots).append(node)
    return roots, unclassified


def resources_under(
    session: Session, actor: Actor, path: str, limit: int = 50, offset: int = 0
) -> tuple[list[Resource], int]:
    """Published resources classified at ``path`` or below it, by code; and their total."""
    actor.require(Permission.CATALOG_READ)
    wanted = classification_path(parse_classification(path))
    stmt = select(Resource).where(
        Resource.status == ResourceStatus.PUBLISHED.value,
        or_(
            Resource.classification == wanted,
            Resource.classification.startswith(wanted + "/", autoescape=True),
        ),
    )
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.options(selectinload(Resource.items), selectinload(Resource.department))
        .order_by(Resource.code)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), int(total)
