"""Portal sign-in and sign-out, and the language switch.

A failed sign-in (wrong password, locked account) is shown on the login page with its bilingual
message; the session cookie is httponly and samesite=lax; ``next`` only ever leads to a local path.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.errors import NotAuthenticated
from govdata.i18n import error_hint, error_text
from govdata.security.actor import Actor
from govdata.security.auth import actor_for, authenticate, end_session, start_session
from govdata.security.roles import Permission
from govdata.web.deps import SESSION_COOKIE, PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, local_path, redirect, render_page

router = APIRouter()
Public = Annotated[Actor, Depends(require(Permission.PUBLIC))]
LANG_COOKIE = "lang"


def _landing(actor: Actor) -> str:
    """Where a user lands after sign-in when no ``next`` was given: the first page the role may see."""
    for permission, path in (
        (Permission.OVERVIEW_READ, "/"),
        (Permission.CATALOG_READ, "/catalog"),
        (Permission.AUDIT_READ, "/audit"),
    ):
        if actor.can(permission):
            return path
    return "/open"


@router.get("/login")
def login_form(request: Request, _: Public, next: str | None = None) -> Response:
    return render_page(request, "login.html", {"next": local_path(next, ""), "username": ""})


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    _: Public,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        user = authenticate(session, platform.audit, platform.settings.security, username.strip(), password)
    except NotAuthenticated as exc:
        language = lang(request)
        error = {
            "code": exc.code,
            "message": error_text(exc.code, language, **exc.params),
            "hint": error_hint(exc.code, language),
        }
        ctx = {"next": local_path(next, ""), "username": username, "login_error": error}
        return render_page(request, "login.html", ctx, status_code=401)
    new = start_session(session, platform.audit, user)
    response = redirect(local_path(next, _landing(actor_for(user))))
    response.set_cookie(
        SESSION_COOKIE,
        new.cookie,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    _: Annotated[Actor, Depends(require(Permission.AUTHENTICATED))],
) -> Response:
    end_session(session, platform.audit, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(code: str, _: Public, next: str | None = None) -> Response:
    """Remember the chosen language (zh or en) in a cookie and go back to the page."""
    response = redirect(local_path(next))
    response.set_cookie(
        LANG_COOKIE, "en" if code == "en" else "zh", samesite="lax", path="/", max_age=365 * 86400
    )
    return response
