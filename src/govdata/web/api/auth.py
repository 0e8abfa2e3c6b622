"""API sign-in: exchange a username and password for a bearer token; who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from govdata.security.actor import Actor
from govdata.security.auth import authenticate, issue_token
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["auth"])


class TokenRequest(BaseModel):
    username: str
    password: str
    name: str = "api"


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in_days: int


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str | None
    department: str | None


@router.post("/auth/token", response_model=TokenOut)
def create_token(
    body: TokenRequest,
    session: SessionDep,
    platform: PlatformDep,
    _: Annotated[Actor, Depends(require(Permission.PUBLIC))],
) -> TokenOut:
    user = authenticate(session, platform.audit, platform.settings.security, body.username, body.password)
    days = platform.settings.security.token_days
    return TokenOut(
        access_token=issue_token(session, platform.audit, user, body.name, days), expires_in_days=days
    )


@router.get("/me", response_model=MeOut)
def me(actor: Annotated[Actor, Depends(require(Permission.AUTHENTICATED))]) -> MeOut:
    return MeOut(
        username=actor.username,
        display_name=actor.display_name,
        role=actor.role,
        department=actor.department_code,
    )
