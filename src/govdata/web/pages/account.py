"""My tokens: a signed-in user issues, sees and revokes their own API bearer tokens.

A new token's raw value is shown once, on the page that issued it; only its hash is kept.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.security.actor import Actor
from govdata.security.auth import issue_token, list_tokens, revoke_token
from govdata.security.models import User
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import redirect, render_page

router = APIRouter()
SignedIn = Annotated[Actor, Depends(require(Permission.AUTHENTICATED))]


def _page(request: Request, session: SessionDep, actor: Actor, new_token: str | None = None) -> Response:
    tokens = list_tokens(session, actor.user_id or 0)
    return render_page(request, "account/tokens.html", {"tokens": tokens, "new_token": new_token})


@router.get("/account/tokens")
def tokens(request: Request, session: SessionDep, actor: SignedIn) -> Response:
    return _page(request, session, actor)


@router.post("/account/tokens")
def create(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: SignedIn,
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    user = session.get(User, actor.user_id)
    raw = issue_token(session, platform.audit, user, name.strip(), platform.settings.security.token_days)  # type: ignore[arg-type]
    session.flush()
    return _page(request, session, actor, new_token=raw)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: int, session: SessionDep, platform: PlatformDep, actor: SignedIn) -> Response:
    revoke_token(session, platform.audit, session.get(User, actor.user_id), token_id)  # type: ignore[arg-type]
    return redirect("/account/tokens")
