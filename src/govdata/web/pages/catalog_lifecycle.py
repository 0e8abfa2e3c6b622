"""Catalog lifecycle pages: file and edit an entry (编目), my entries, the bureau's review queue, and a
resource's history with a readable diff.

Form errors — the schema's and the catalog's (``check_entry``) — are shown next to the form in
Chinese and English (422). A refused or impossible step (``catalog.bad_transition``,
``catalog.reject_needs_comment`` …) is shown on the page it was asked from; ``PermissionDenied`` and
``NotFound`` go to the portal error page.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from govdata.catalog import ResourceIn, create_resource, get_resource, lifecycle, to_out
from govdata.catalog.lifecycle_view import entry_of
from govdata.catalog.models import Category, OpenType, ShareType, SharingMethod, UpdateCycle
from govdata.catalog.vocab import label
from govdata.errors import GovdataError, NotFound, PermissionDenied
from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.masking import MASKERS
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, local_path, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]
Reviewer = Annotated[Actor, Depends(require(Permission.CATALOG_REVIEW))]
DATA_TYPES = ("字符", "数值", "日期", "日期时间", "布尔", "二进制")
FORMATS = ("数据库", "电子表格", "电子文件", "图形图像", "流媒体", "其他")
_SPLIT_TAGS = re.compile(r"[,，、;；\s]+")
_SPLIT_MATTER = re.compile(r"\s*[|｜,，\t]\s*")


class EntryForm(BaseModel):
    """The filing form as posted: resource fields, one list per item column (rows in order)."""

    code: str = ""
    name: str = ""
    department: str = ""
    summary: str = ""
    category: str = ""
    format: str = ""
    classification: str = ""
    share_type: str = ""
    share_condition: str = ""
    share_basis: str = ""
    sharing_method: str = ""
    open_type: str = ""
    update_cycle: str = ""
    source_system: str = ""
    lake_table: str = ""
    key_column: str = ""
    matters: str = ""
    tags: str = ""
    related: str = ""
    note: str = ""
    item_column: list[str] = []
    item_name: list[str] = []
    item_data_type: list[str] = []
    item_length: list[str] = []
    item_masking: list[str] = []
    item_sensitive: list[str] = []
    item_required: list[str] = []
    item_element: list[str] = []


def _pick(values: list[str], i: int) -> str:
    return values[i].strip() if i < len(values) else ""


def _error(key: str, **params: Any) -> dict[str, str]:
    return {"zh": text(key, "zh", **params), "en": text(key, "en", **params)}


def _field(name: str) -> dict[str, str]:
    key = f"portal.lifecycle.field.{name}"
    return {"zh": text(key, "zh"), "en": text(key, "en")}


def _parse(form: EntryForm) -> tuple[ResourceIn | None, list[dict[str, str]]]:
    """The posted form as an entry, or the errors of its fields (each in zh and en)."""
    errors: list[dict[str, str]] = []
    items: list[dict[str, Any]] = []
    for i in range(len(form.item_column)):
        column, name = _pick(form.item_column, i), _pick(form.item_name, i)
        if not column and not name:
            continue  # an empty row left in the form
        length = _pick(form.item_length, i)
        if length and not length.isdigit():
            f = _field("length")
            errors.append(
                {
                    "zh": text(
                        "portal.lifecycle.bad_field", "zh", field=f"{f['zh']}（{column}）", detail=length
                    ),
                    "en": text(
                        "portal.lifecycle.bad_field", "en", field=f"{f['en']} ({column})", detail=length
                    ),
                }
            )
        items.append(
            {
                "column": column,
                "name": name,
                "data_type": _pick(form.item_data_type, i) or "字符",
                "length": int(length) if length.isdigit() else None,
                "masking": _pick(form.item_masking, i) or None,
                "sensitive": _pick(form.item_sensitive, i) == "1",
                "required": _pick(form.item_required, i) == "1",
                "element": _pick(form.item_element, i) or None,
            }
        )
    matters = []
    for line in form.matters.splitlines():
        if line.strip():
            parts = _SPLIT_MATTER.split(line.strip(), maxsplit=2)
            matters.append({"code": parts[0], "name": parts[1] if len(parts) > 1 else parts[0]})
            if len(parts) > 2 and parts[2]:
                matters[-1]["kind"] = parts[2]
    data = {
        name: (getattr(form, name).strip() or None)
        for name in (
            "share_condition",
            "share_basis",
            "sharing_method",
            "source_system",
            "lake_table",
            "key_column",
            "classification",
        )
    }
    data.update(
        {name: getattr(form, name).strip() for name in ("code", "name", "department", "summary", "category")}
    )
    data.update(
        format=form.format.strip(),
        share_type=form.share_type.strip(),
        open_type=form.open_type.strip(),
        update_cycle=form.update_cycle.strip(),
        matters=matters,
        tags=[t for t in _SPLIT_TAGS.split(form.tags) if t],
        related=[r for r in form.related.split() if r],
        items=items,
    )
    try:
        entry = ResourceIn.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            name = "item_name" if loc[:1] == ["items"] and loc[-1:] == ["name"] else loc[-1]
            if loc[:1] == ["items"] and len(loc) == 1:
                name = "items"
            f = _field(name if name != "0" else loc[0])
            if err["type"] in ("missing", "string_too_short", "too_short"):
                errors.append(
                    {
                        "zh": text("portal.lifecycle.required_field", "zh", field=f["zh"]),
                        "en": text("portal.lifecycle.required_field", "en", field=f["en"]),
                    }
                )
            else:
                errors.append(
                    {
                        "zh": text("portal.lifecycle.bad_field", "zh", field=f["zh"], detail=err["msg"]),
                        "en": text("portal.lifecycle.bad_field", "en", field=f["en"], detail=err["msg"]),
                    }
                )
        return None, errors
    return (None if errors else entry), errors


def _from_error(exc: GovdataError, language: str) -> dict[str, str]:
    return {"zh": exc.message("zh"), "en": exc.message("en"), "hint": exc.hint(language)}


def _options(language: str) -> dict[str, Any]:
    def vocab(kind: str, enum: Any) -> list[tuple[str, str]]:
        return [(m.value, label(kind, m.value, language)) for m in enum]

    return {
        "category_options": vocab("category", Category),
        "share_options": vocab("share_type", ShareType),
        "open_options": vocab("open_type", OpenType),
        "cycle_options": vocab("update_cycle", UpdateCycle),
        "method_options": vocab("sharing_method", SharingMethod),
        "data_types": DATA_TYPES,
        "formats": FORMATS,
        "maskers": sorted(MASKERS.names()),
    }


def _form_values(entry: ResourceIn | None, form: EntryForm | None = None) -> dict[str, Any]:
    """What the form shows: an entry (to edit), the posted form (after an error), or blanks."""
    if form is not None:
        values = form.model_dump()
        rows = [
            {
                "column": _pick(form.item_column, i),
                "name": _pick(form.item_name, i),
                "data_type": _pick(form.item_data_type, i),
                "length": _pick(form.item_length, i),
                "masking": _pick(form.item_masking, i),
                "sensitive": _pick(form.item_sensitive, i) == "1",
                "required": _pick(form.item_required, i) == "1",
                "element": _pick(form.item_element, i),
            }
            for i in range(len(form.item_column))
        ]
        return {"v": values, "rows": rows}
    if entry is None:
        return {"v": {}, "rows": [{}]}
    values = entry.model_dump()
    values["matters"] = "\n".join(f"{m.code} | {m.name} | {m.kind}" for m in entry.matters)
    values["tags"] = ", ".join(entry.tags)
    values["related"] = "\n".join(entry.related)
    rows = [{**it.model_dump(), "length": "" if it.length is None else str(it.length)} for it in entry.items]
    return {"v": {k: ("" if v is None else v) for k, v in values.items()}, "rows": rows}


def _render_form(
    request: Request,
    values: dict[str, Any],
    *,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
    status_code: int = 200,
) -> Response:
    ctx = {**_options(lang(request)), **values, "code": code, "errors": errors or []}
    return render_page(request, "catalog/lifecycle_form.html", ctx, status_code=status_code)


@router.get("/catalog/new")
def new_entry(request: Request, actor: Writer) -> Response:
    values = _form_values(None)
    values["v"]["department"] = actor.department_code or ""
    return _render_form(request, values)


@router.post("/catalog/new")
def file_entry(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Writer,
    form: Annotated[EntryForm, Form()],
) -> Response:
    """File a new resource (revision 1, a draft); errors are shown on the form (422)."""
    entry, errors = _parse(form)
    if entry is not None:
        try:
            create_resource(session, platform.audit, actor, entry)
            return redirect("/catalog/mine?saved=" + _q(entry.code))
        except (PermissionDenied, NotFound):
            raise
        except GovdataError as exc:
            session.rollback()
            errors = [_from_error(exc, lang(request))]
    return _render_form(request, _form_values(None, form), errors=errors, status_code=422)


@router.get("/catalog/edit/{code:path}")
def edit_entry(request: Request, code: str, session: SessionDep, actor: Writer) -> Response:
    """The form filled with the revision on its way, or with the published entry to start a new one."""
    res = get_resource(session, code)
    actor.require_department(res.department_id)
    rev = lifecycle.pending_revision(session, res)
    entry = ResourceIn.model_validate(rev.payload) if rev is not None else entry_of(res)
    values = _form_values(entry)
    values["v"]["note"] = (rev.note or "") if rev is not None else ""
    return _render_form(request, values, code=res.code)


@router.post("/catalog/edit/{code:path}")
def save_entry(
    request: Request,
    code: str,
    session: SessionDep,
    platform: PlatformDep,
    actor: Writer,
    form: Annotated[EntryForm, Form()],
) -> Response:
    entry, errors = _parse(form)
    if entry is not None:
        try:
            lifecycle.revise(session, platform.audit, actor, code, entry, form.note.strip() or None)
            return redirect("/catalog/mine?saved=" + _q(code))
        except (PermissionDenied, NotFound):
            raise
        except GovdataError as exc:
            session.rollback()
            errors = [_from_error(exc, lang(request))]
    return _render_form(request, _form_values(None, form), code=code, errors=errors, status_code=422)


def _q(value: str) -> str:
    return quote(value, safe="")


def _mine(request: Request, session: Session, actor: Actor, **ctx: Any) -> dict[str, Any]:
    return {
        "entries": lifecycle.my_entries(session, actor),
        "saved": request.query_params.get("saved"),
        "done": request.query_params.get("done"),
        **ctx,
    }


@router.get("/catalog/mine")
def mine(request: Request, session: SessionDep, actor: Writer) -> Response:
    return render_page(request, "catalog/lifecycle_mine.html", _mine(request, session, actor))


def _step(
    request: Request, session: Session, actor: Actor, action: str, run: Any, back: str, page: str
) -> Response:
    """Run one lifecycle step; on a refused step show its message on the page it came from."""
    try:
        run()
    except (PermissionDenied, NotFound):
        raise
    except GovdataError as exc:
        session.rollback()
        err = _from_error(exc, lang(request))
        if page == "review":
            ctx = {"queue": lifecycle.review_queue(session, actor), "error": err}
            return render_page(request, "catalog/lifecycle_review.html", ctx, status_code=exc.http_status)
        ctx = _mine(request, session, actor, error=err)
        return render_page(request, "catalog/lifecycle_mine.html", ctx, status_code=exc.http_status)
    sep = "&" if "?" in back else "?"
    return redirect(f"{back}{sep}done={action}")


Next = Annotated[str, Form()]


@router.post("/catalog/submit/{code:path}")
def submit(
    request: Request, code: str, session: SessionDep, platform: PlatformDep, actor: Writer, next: Next = ""
) -> Response:
    back = local_path(next, "/catalog/mine")
    return _step(
        request,
        session,
        actor,
        "submit",
        lambda: lifecycle.submit(session, platform.audit, actor, code),
        back,
        "mine",
    )


@router.post("/catalog/withdraw/{code:path}")
def withdraw(
    request: Request, code: str, session: SessionDep, platform: PlatformDep, actor: Writer, next: Next = ""
) -> Response:
    back = local_path(next, "/catalog/mine")
    return _step(
        request,
        session,
        actor,
        "withdraw",
        lambda: lifecycle.withdraw(session, platform.audit, actor, code),
        back,
        "mine",
    )


@router.get("/catalog/review")
def review_page(request: Request, session: SessionDep, actor: Reviewer) -> Response:
    ctx = {"queue": lifecycle.review_queue(session, actor), "done": request.query_params.get("done")}
    return render_page(request, "catalog/lifecycle_review.html", ctx)


@router.post("/catalog/review/{code:path}")
def review(
    request: Request,
    code: str,
    session: SessionDep,
    platform: PlatformDep,
    actor: Reviewer,
    decision: Annotated[str, Form()] = "",
    comment: Annotated[str, Form()] = "",
) -> Response:
    approve = decision == "approve"

    def run() -> None:
        lifecycle.review(session, platform.audit, actor, code, approve, comment)

    return _step(request, session, actor, "review", run, "/catalog/review", "review")


@router.post("/catalog/publish/{code:path}")
def publish(
    request: Request, code: str, session: SessionDep, platform: PlatformDep, actor: Reviewer
) -> Response:
    def run() -> None:
        lifecycle.publish(session, platform.audit, actor, code)

    return _step(request, session, actor, "publish", run, "/catalog/review", "review")


@router.post("/catalog/retire/{code:path}")
def retire(
    request: Request,
    code: str,
    session: SessionDep,
    platform: PlatformDep,
    actor: Reviewer,
    reason: Annotated[str, Form()] = "",
) -> Response:
    def run() -> None:
        lifecycle.retire(session, platform.audit, actor, code, reason)

    return _step(request, session, actor, "retire", run, "/catalog/history/" + code, "review")


@router.get("/catalog/history/{code:path}")
def history(
    request: Request,
    code: str,
    session: SessionDep,
    actor: Reader,
    a: str | None = None,
    b: str | None = None,
) -> Response:
    """Published versions (everyone), revisions (the department and the bureau) and a diff."""
    res = get_resource(session, code)
    may_see_drafts = actor.role == "system" or actor.is_bureau or actor.department_id == res.department_id
    revisions = lifecycle.revisions(session, actor, code) if may_see_drafts else []
    ctx = {
        "resource": to_out(res, lang(request)),
        "versions": lifecycle.versions(session, actor, code),
        "revisions": revisions,
        "pending": next((r for r in revisions if r.status in lifecycle.OPEN), None),
        "diff": lifecycle.diff(session, actor, code, a or None, b or None),
        "is_provider": actor.can(Permission.CATALOG_WRITE) and actor.department_id == res.department_id,
        "is_reviewer": actor.can(Permission.CATALOG_REVIEW) and actor.is_bureau,
        "done": request.query_params.get("done"),
    }
    return render_page(request, "catalog/lifecycle_history.html", ctx)
