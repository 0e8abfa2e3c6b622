"""The catalog by classification (按分类浏览): the 类/项/目/细目 tree with counts, and a node's resources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from govdata.catalog import to_outs
from govdata.catalog.classification import classification_tree, node_name, resources_under
from govdata.catalog.entry import parse_classification
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import SessionDep, require
from govdata.web.pages.view import lang, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


@router.get("/catalog/classification")
def classification_page(
    request: Request,
    session: SessionDep,
    actor: Reader,
    path: Annotated[str | None, Query(max_length=64)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    language = lang(request)
    roots, unclassified = classification_tree(session, actor, language)
    ctx: dict[str, object] = {"roots": roots, "unclassified": unclassified, "path": path}
    if path:
        levels = parse_classification(path)
        rows, total = resources_under(session, actor, path, 50, offset)
        ctx.update(
            resources=to_outs(rows, language),
            total=total,
            trail=[
                ("/".join(levels[:d]), node_name(levels[:d], language)) for d in range(1, len(levels) + 1)
            ],
            offset=offset,
        )
    return render_page(request, "catalog/classification.html", ctx)
