"""The quality rules page of a resource (``/govern/rules/{code}``): its effective rule bindings —
rule, columns, parameters, dimension, blocking, where each comes from — and, for whoever may change
them, a form to add one and buttons to switch a binding off or on and to delete a stored one.

Choosing a rule in the form fetches the form again for it (its parameters and how many columns it
binds); adding, switching and deleting post through HTMX and swap the bindings and the form
(``#rules-body``) — a refused change shows its message there (422 / 409) in the page language.
Without HTMX a change redirects back to the page, a refusal renders the whole page. Viewing needs
``quality.read``; changing ``quality.feedback`` (the providing department or the bureau, checked
by the service). Errors come from ``govern.quality.stored``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.errors import Conflict, GovdataError, InvalidInput, NotFound
from govdata.govern.quality import stored
from govdata.govern.quality.bindings_view import BindingsView, view_bindings
from govdata.govern.quality.schemas import BindingIn
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Editor = Annotated[Actor, Depends(require(Permission.QUALITY_FEEDBACK))]
Columns = Annotated[list[str], Form()]
REFUSALS = (InvalidInput, Conflict, NotFound)


def _url(code: str) -> str:
    return f"/govern/rules/{quote(code)}"


def _render(request: Request, view: BindingsView, part: str | None = None, **extra: Any) -> Response:
    """The whole page, or for an HTMX request the part ``part`` names (``body``: bindings and form;
    ``add``: the form)."""
    status = extra.pop("status_code", 200)
    chosen = extra.pop("rule", None)
    first = view.rules[0] if view.rules else None
    ctx = {
        "view": view,
        "url": _url(view.resource),
        "rule": next((r for r in view.rules if r.name == chosen), first),
        "form": {"columns": [], "params": "", "blocking": False},
        "error": None,
        "done": None,
    }
    ctx |= extra
    hx = request.headers.get("hx-request") and part is not None
    name = f"govern/_rules_{part}.html" if hx else "govern/rules.html"
    return render_page(request, name, ctx, status_code=status)


def _refused(request: Request, exc: GovdataError) -> dict[str, Any]:
    language = lang(request)
    return {
        "error": {"message": exc.message(language), "hint": exc.hint(language)},
        "status_code": exc.http_status,
    }


def _after(request: Request, view: BindingsView, done: str) -> Response:
    if request.headers.get("hx-request"):
        return _render(request, view, "body", done=done)
    return redirect(_url(view.resource))


@router.get("/govern/rules/{code:path}/form")
def rules_form(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader, rule: str = ""
) -> Response:
    """The add form for ``rule`` (its parameters and columns), for HTMX to swap in."""
    view = view_bindings(session, platform.lake, actor, code)
    return _render(request, view, "add", rule=rule)


@router.get("/govern/rules/{code:path}")
def rules_page(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader
) -> Response:
    return _render(request, view_bindings(session, platform.lake, actor, code))


def _params(text: str) -> dict[str, Any]:
    """The parameters typed as a JSON object (empty: none)."""
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput("govern.rules.bad_params_json", detail=exc.msg) from exc
    if not isinstance(value, dict):
        raise InvalidInput("govern.rules.bad_params_json", detail=type(value).__name__)
    return value


@router.post("/govern/rules/{code:path}/add")
def rules_add(
    code: str,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Editor,
    rule: Annotated[str, Form()],
    columns: Columns | None = None,
    params: Annotated[str, Form()] = "",
    blocking: Annotated[bool, Form()] = False,
) -> Response:
    try:
        data = BindingIn(rule=rule, columns=columns or [], params=_params(params), blocking=blocking)
        stored.add_binding(session, platform.lake, platform.audit, actor, code, data)
    except REFUSALS as exc:
        view = view_bindings(session, platform.lake, actor, code)
        form = {"columns": columns or [], "params": params, "blocking": blocking}
        return _render(request, view, "body", rule=rule, form=form, **_refused(request, exc))
    return _after(request, view_bindings(session, platform.lake, actor, code), "added")


@router.post("/govern/rules/{code:path}/disable-derived")
def rules_disable_derived(
    code: str,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Editor,
    rule: Annotated[str, Form()],
    columns: Columns,
) -> Response:
    """Switch a derived binding off (a disabled stored override)."""
    try:
        stored.disable_derived(session, platform.lake, platform.audit, actor, code, rule, columns)
    except REFUSALS as exc:
        view = view_bindings(session, platform.lake, actor, code)
        return _render(request, view, "body", **_refused(request, exc))
    return _after(request, view_bindings(session, platform.lake, actor, code), "disabled")


@router.post("/govern/rules/{code:path}/bindings/{binding_id}/{action}")
def rules_binding_action(
    code: str,
    binding_id: int,
    action: Literal["enable", "disable", "delete"],
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Editor,
) -> Response:
    """Switch a stored binding on or off, or delete it (deleting an override restores the derived one)."""
    lake, audit = platform.lake, platform.audit
    try:
        if action == "delete":
            stored.delete_binding(session, audit, actor, code, binding_id)
        else:
            stored.set_enabled(session, lake, audit, actor, code, binding_id, action == "enable")
    except REFUSALS as exc:
        return _render(request, view_bindings(session, lake, actor, code), "body", **_refused(request, exc))
    return _after(request, view_bindings(session, lake, actor, code), f"{action}d")
