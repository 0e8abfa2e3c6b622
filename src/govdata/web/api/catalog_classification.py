"""Browsing the catalog by its classification tree (类 / 项 / 目 / 细目); ``catalog.read``.

A malformed path is ``catalog.bad_classification`` (422), from ``govdata.catalog.entry``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from govdata.catalog import ResourceOut, to_outs
from govdata.catalog.classification import classification_tree, resources_under
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


@router.get("/catalog/classification")
def read_tree(session: SessionDep, actor: Reader, lang: str = "zh") -> dict[str, Any]:
    """The tree, each node with its published-resource count, and how many are unclassified."""
    roots, unclassified = classification_tree(session, actor, lang)
    from dataclasses import asdict

    return {"tree": [asdict(n) for n in roots], "unclassified": unclassified}


@router.get("/catalog/classification/resources")
def read_under(
    session: SessionDep,
    actor: Reader,
    path: Annotated[str, Query(min_length=1, max_length=64)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Published resources classified at ``path`` (e.g. ``1/01``) or below it."""
    rows, total = resources_under(session, actor, path, limit, offset)
    items: list[ResourceOut] = to_outs(rows)
    return {"total": total, "items": [r.model_dump(mode="json") for r in items]}
