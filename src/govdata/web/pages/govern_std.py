"""The standardization page of a resource (``/govern/std/{code}``): its raw → std spec as an
editable table (target, source column, type, normalizer, code table per row; dedup and unmapped
columns below) and the last run's report.

Save, suggest and run post through HTMX and swap their part of the page: save and suggest the spec
form, run the report. A refused save (422: each problem in its row; 409: someone saved meanwhile)
answers with the form, what was typed and the message in the page language, a refused run (a saved
spec the raw table no longer fits) with the report and its problems; both parts opt in to having
that answer swapped (``data-swap-refusals``). Without HTMX the same posts render the whole
page. Viewing needs ``quality.read``; saving and running ``standards.manage`` (and the bureau,
checked by the service).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.catalog.service import get_resource
from govdata.errors import Conflict, GovdataError, InvalidInput
from govdata.govern.library import can_manage
from govdata.govern.standardize import ColumnStep, Dedup, StdSpec, standardize
from govdata.govern.standardize.specs import SpecIn, SpecView, save_spec, suggest, view_spec
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Manager = Annotated[Actor, Depends(require(Permission.STANDARDS_MANAGE))]
Column = Annotated[list[str], Form()]
_SPLIT = re.compile(r"[,，、\s]+")


def _render(request: Request, view: SpecView, actor: Actor, **extra: Any) -> Response:
    """The whole page, or — for an HTMX post — only the part ``extra["part"]`` names."""
    part = extra.pop("part", None)
    status = extra.pop("status_code", 200)
    ctx = {
        "view": view,
        "url": f"/govern/std/{view.resource}",
        "can_manage": can_manage(actor),
        "errors": {},
        "hint": None,
    }
    ctx |= extra
    name = f"govern/_std_{part}.html" if part and request.headers.get("hx-request") else "govern/std.html"
    return render_page(request, name, ctx, status_code=status)


@router.get("/govern/std/{code:path}")
def std_page(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader
) -> Response:
    return _render(request, view_spec(session, platform.lake, platform.audit, actor, code), actor)


def _spec_from_form(
    target: list[str],
    source: list[str],
    type_: list[str],
    normalizer: list[str],
    code_table: list[str],
    dedup_keys: str,
    dedup_order: str,
    keep_unmapped: bool,
) -> StdSpec:
    steps = [
        ColumnStep(target=t.strip(), source=s, type=ty, normalizer=n or None, code_table=c or None)
        for t, s, ty, n, c in zip(target, source, type_, normalizer, code_table, strict=False)
    ]
    keys = [k for k in _SPLIT.split(dedup_keys) if k]
    dedup = Dedup(keys=keys, order_by=dedup_order.strip() or None) if keys else None
    return StdSpec(columns=steps, dedup=dedup, keep_unmapped=keep_unmapped)


def _errors(exc: GovdataError, language: str) -> dict[str, list[str]]:
    """Problem messages by place: ``3.normalizer`` for a cell of row 3, the first part otherwise."""
    problems = exc.params.get("problems") or [
        {"field": exc.params.get("field"), "message": exc.message("zh"), "message_en": exc.message("en")}
    ]
    out: dict[str, list[str]] = {}
    for p in problems:
        field = str(p.get("field") or "_")
        key = field.removeprefix("columns.") if field.startswith("columns.") else field.split(".", 1)[0]
        out.setdefault(key, []).append(p["message_en"] if language == "en" else p["message"])
    return out


def _hint(exc: GovdataError, language: str) -> str | None:
    """What to do next, when there is one problem to do it for."""
    if len(exc.params.get("problems") or [exc]) > 1:
        return None
    return exc.hint(language) or None


@router.post("/govern/std/{code:path}/save")
def std_save(
    code: str,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Manager,
    target: Column,
    source: Column,
    type_: Annotated[list[str], Form(alias="type")],
    normalizer: Column,
    code_table: Column,
    base_version: Annotated[str, Form()] = "",
    dedup_keys: Annotated[str, Form()] = "",
    dedup_order: Annotated[str, Form()] = "",
    keep_unmapped: Annotated[bool, Form()] = False,
) -> Response:
    spec = _spec_from_form(
        target, source, type_, normalizer, code_table, dedup_keys, dedup_order, keep_unmapped
    )
    base = int(base_version) if base_version.isdigit() else None
    try:
        view = save_spec(
            session, platform.lake, platform.audit, actor, code, SpecIn(spec=spec, base_version=base)
        )
    except (InvalidInput, Conflict) as exc:
        # What was typed stays, on the version it was typed on: saving again after someone else
        # saved is refused again instead of silently replacing their version.
        current = view_spec(session, platform.lake, platform.audit, actor, code)
        shown = current.model_copy(
            update={"spec": spec, "version": current.version if base is None else base}
        )
        language = lang(request)
        return _render(
            request,
            shown,
            actor,
            part="spec",
            errors=_errors(exc, language),
            hint=_hint(exc, language),
            status_code=exc.http_status,
        )
    return _render(request, view, actor, part="spec", saved_now=True)


@router.post("/govern/std/{code:path}/suggest")
def std_suggest(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Reader
) -> Response:
    spec = suggest(session, platform.lake, platform.audit, actor, code)
    view = view_spec(session, platform.lake, platform.audit, actor, code).model_copy(update={"spec": spec})
    return _render(request, view, actor, part="spec", suggested_now=True)


@router.post("/govern/std/{code:path}/run")
def std_run(
    code: str, request: Request, session: SessionDep, platform: PlatformDep, actor: Manager
) -> Response:
    try:
        report = standardize(session, platform.lake, platform.audit, actor, get_resource(session, code))
    except InvalidInput as exc:  # the saved spec no longer fits the raw table
        view = view_spec(session, platform.lake, platform.audit, actor, code)
        language = lang(request)
        errors = _errors(exc, language)
        return _render(
            request, view, actor, part="report", run_errors=errors, hint=_hint(exc, language), status_code=422
        )
    view = view_spec(session, platform.lake, platform.audit, actor, code).model_copy(
        update={"last_report": report}
    )
    return _render(request, view, actor, part="report")
