"""Request dependencies: the unit of work, who is calling, and the permission each route declares.

Every route declares exactly one ``require(Permission.X)`` (``Permission.PUBLIC`` for anonymous
pages); tests/meta walks the app and fails on a route without one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from govdata.errors import NotAuthenticated, PermissionDenied
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.auth import actor_for, resolve_session, resolve_token
from govdata.security.roles import Permission

SESSION_COOKIE = "govdata_session"
PERMISSION_ATTR = "__govdata_permission__"


def get_platform(request: Request) -> Platform:
    return request.app.state.platform  # type: ignore[no-any-return]


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_session(platform: PlatformDep) -> Iterator[Session]:
    """One unit of work per request: committed on success, rolled back on error.

    A refusal (``PermissionDenied``, ``NotAuthenticated``) is committed instead: services refuse
    before they change anything, and what they did write — the audit record of the refused
    access, a failed-login count — must survive.
    """
    with platform.sessions() as session:
        try:
            yield session
            session.commit()
        except (PermissionDenied, NotAuthenticated):
            session.commit()
            raise
        except BaseException:
            session.rollback()
            raise


# scope="function": commit before the response is sent, so a client that follows a redirect at once
# (a browser after login) sees what this request wrote.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_actor(request: Request, session: SessionDep, platform: PlatformDep) -> Actor:
    """The caller: a bearer token, else a portal session cookie, else the anonymous public."""
    policy = platform.settings.security
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, raw = auth.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise NotAuthenticated("auth.token_invalid")
        actor = actor_for(resolve_token(session, raw.strip()))
        request.state.via = "token"
    elif cookie := request.cookies.get(SESSION_COOKIE):
        try:
            login = resolve_session(session, policy, cookie)
        except NotAuthenticated:
            session.commit()  # keep the ended session
            raise
        actor = actor_for(login.user)
        request.state.csrf_token = login.csrf_token
        request.state.via = "session"
    else:
        actor = Actor.anonymous()
        request.state.via = "anonymous"
    request.state.actor = actor
    return actor


def require(permission: Permission) -> Callable[..., Actor]:
    """A dependency that settles the caller and checks ``permission`` before the handler runs."""

    async def dependency(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if permission is Permission.PUBLIC:
            return actor
        if not actor.is_authenticated:
            raise NotAuthenticated("auth.required")
        if not actor.can(permission):
            raise PermissionDenied("auth.forbidden", permission=permission.value)
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.state.via == "session":
            await _check_csrf(request)
        return actor

    setattr(dependency, PERMISSION_ATTR, permission)
    return dependency


async def _check_csrf(request: Request) -> None:
    """Cookie-authenticated changes carry the session's CSRF token (form field or HTMX header)."""
    sent = request.headers.get("x-csrf-token")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get("csrf_token")  # parsed once; Starlette caches the form
    if not sent or sent != getattr(request.state, "csrf_token", None):
        raise PermissionDenied("auth.csrf")


def route_permission(dependant: Any) -> Permission | None:
    """The permission a route declared, found by walking its dependency tree."""
    for dep in dependant.dependencies:
        perm = getattr(dep.call, PERMISSION_ATTR, None)
        if perm is not None:
            return perm  # type: ignore[no-any-return]
        found = route_permission(dep)
        if found is not None:
            return found
    return None
