"""Standards library pages: the list (elements with search, code tables), one element or code table
with its values and history, and the bureau's forms to create and edit them.

A refused save shows the form again (422) with each problem beside its field, in the page language.
A code table's values are edited as lines ``code | label | synonym, synonym``. Errors other than a
refused save (``NotFound``, ``PermissionDenied``, ``Conflict``) render the portal error page.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from govdata.errors import InvalidInput
from govdata.govern import library, library_history
from govdata.govern.library_schemas import CodeTableIn, CodeValueIn, ElementIn, HistoryEntry
from govdata.govern.library_validate import DATA_TYPES
from govdata.govern.quality.rules import RULES
from govdata.govern.standards.normalizers import normalizer_names
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Manager = Annotated[Actor, Depends(require(Permission.STANDARDS_MANAGE))]
PAGE_SIZE = 100
_SPLIT = re.compile(r"[,，、;；\n]")


def _words(text: str) -> list[str]:
    return [w.strip() for w in _SPLIT.split(text or "") if w.strip()]


def _url(code: str) -> str:
    from urllib.parse import quote

    return quote(code, safe="/")


# --- reading ----------------------------------------------------------------------------------------------


@router.get("/standards")
def standards(request: Request, session: SessionDep, actor: Reader, q: str = "") -> Response:
    ctx = {
        "q": q,
        "page": library.list_elements(session, actor, q or None, PAGE_SIZE),
        "tables": library.list_code_tables(session, actor),
        "can_manage": library.can_manage(actor),
    }
    return render_page(request, "standards/list.html", ctx)


@router.get("/standards/search")
def standards_search(request: Request, session: SessionDep, actor: Reader, q: str = "") -> Response:
    """The element table alone, for HTMX to swap in as the user types."""
    page = library.list_elements(session, actor, q or None, PAGE_SIZE)
    return render_page(request, "standards/_elements.html", {"q": q, "page": page})


def _versions(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    """History newest first, each version with what it changed from the one before."""
    oldest_first = list(reversed(entries))
    rows = []
    for i, entry in enumerate(oldest_first):
        before = oldest_first[i - 1].snapshot if i else {}
        changes = library_history.snapshot_changes(before, entry.snapshot) if i else []
        rows.append({"entry": entry, "changes": changes})
    return list(reversed(rows))


@router.get("/standards/elements/{identifier}/edit")
def element_edit(identifier: str, request: Request, session: SessionDep, actor: Manager) -> Response:
    library.require_manager(actor)
    element = library.element_out(library.get_element(session, actor, identifier))
    form = element.model_dump() | {"base_version": element.version}
    return _element_form(request, session, actor, form, {}, creating=False)


@router.get("/standards/elements/{identifier}")
def element_detail(identifier: str, request: Request, session: SessionDep, actor: Reader) -> Response:
    element = library.element_out(library.get_element(session, actor, identifier))
    table = library.get_code_table(session, actor, element.code_table) if element.code_table else None
    ctx = {
        "element": element,
        "table": library.code_table_out(table) if table else None,
        "versions": _versions(library_history.history(session, actor, "element", identifier)),
        "can_manage": library.can_manage(actor),
    }
    return render_page(request, "standards/element.html", ctx)


@router.get("/standards/code-tables/{code:path}/edit")
def code_table_edit(code: str, request: Request, session: SessionDep, actor: Manager) -> Response:
    library.require_manager(actor)
    table = library.code_table_out(library.get_code_table(session, actor, code))
    form = {
        "code": table.code,
        "name": table.name,
        "values_text": "\n".join(_value_line(v.code, v.label, v.synonyms) for v in table.values),
        "base_version": table.version,
    }
    return render_page(
        request, "standards/code_table_form.html", {"form": form, "errors": {}, "creating": False}
    )


@router.get("/standards/code-tables/{code:path}")
def code_table_detail(code: str, request: Request, session: SessionDep, actor: Reader) -> Response:
    table = library.code_table_out(library.get_code_table(session, actor, code))
    ctx = {
        "table": table,
        "url": _url(table.code),
        "elements": library.elements_using(session, actor, code),
        "versions": _versions(library_history.history(session, actor, "code_table", code)),
        "can_manage": library.can_manage(actor),
    }
    return render_page(request, "standards/code_table.html", ctx)


# --- forms --------------------------------------------------------------------------------------------------


def _errors(exc: InvalidInput, language: str) -> dict[str, list[str]]:
    """Problem messages by form field (``values.3.code`` → ``values``)."""
    problems = exc.params.get("problems") or [
        {"field": exc.params.get("field"), "message": exc.message("zh"), "message_en": exc.message("en")}
    ]
    out: dict[str, list[str]] = {}
    for p in problems:
        key = str(p.get("field") or "_").split(".", 1)[0]
        out.setdefault(key, []).append(p["message_en"] if language == "en" else p["message"])
    return out


def _element_form(
    request: Request,
    session: SessionDep,
    actor: Actor,
    form: dict[str, Any],
    errors: dict[str, list[str]],
    *,
    creating: bool,
    status_code: int = 200,
) -> Response:
    ctx = {
        "form": form,
        "errors": errors,
        "creating": creating,
        "data_types": [k for k, v in DATA_TYPES.items() if k == v],
        "normalizers": normalizer_names(),
        "rules": RULES.names(),
        "tables": library.list_code_tables(session, actor),
    }
    return render_page(request, "standards/element_form.html", ctx, status_code=status_code)


@router.get("/standards/new/element")
def element_new(request: Request, session: SessionDep, actor: Manager) -> Response:
    library.require_manager(actor)
    form = ElementIn().model_dump()
    return _element_form(request, session, actor, form, {}, creating=True)


def _element_in(
    identifier: str,
    name: str,
    data_type: str,
    format_: str,
    length: str,
    code_table: str,
    standard: str,
    description: str,
    aliases: str,
    normalizer: str,
    rules: list[str],
    base_version: str,
) -> ElementIn:
    return ElementIn(
        identifier=identifier,
        name=name,
        data_type=data_type,
        format=format_ or None,
        length=int(length) if length.strip().isdigit() else None,
        code_table=code_table or None,
        standard=standard or None,
        description=description or None,
        aliases=_words(aliases),
        normalizer=normalizer or None,
        rules=rules,
        base_version=int(base_version) if base_version.isdigit() else None,
    )


@router.post("/standards/elements")
def element_create(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Manager,
    identifier: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    data_type: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "",  # noqa: A002 — the form field's name
    length: Annotated[str, Form()] = "",
    code_table: Annotated[str, Form()] = "",
    standard: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    normalizer: Annotated[str, Form()] = "",
    rules: Annotated[list[str] | None, Form()] = None,
) -> Response:
    data = _element_in(
        identifier, name, data_type, format, length, code_table, standard, description, aliases,
        normalizer, rules or [], "",
    )  # fmt: skip
    try:
        element = library.create_element(session, platform.audit, actor, data)
    except InvalidInput as exc:
        form = data.model_dump() | {"length": length}
        return _element_form(
            request, session, actor, form, _errors(exc, lang(request)), creating=True, status_code=422
        )
    return redirect(f"/standards/elements/{element.identifier}" + _lang_query(request))


@router.post("/standards/elements/{identifier}/edit")
def element_save(
    identifier: str,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Manager,
    name: Annotated[str, Form()] = "",
    data_type: Annotated[str, Form()] = "",
    format: Annotated[str, Form()] = "",  # noqa: A002 — the form field's name
    length: Annotated[str, Form()] = "",
    code_table: Annotated[str, Form()] = "",
    standard: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    aliases: Annotated[str, Form()] = "",
    normalizer: Annotated[str, Form()] = "",
    rules: Annotated[list[str] | None, Form()] = None,
    base_version: Annotated[str, Form()] = "",
) -> Response:
    data = _element_in(
        identifier, name, data_type, format, length, code_table, standard, description, aliases,
        normalizer, rules or [], base_version,
    )  # fmt: skip
    try:
        library.update_element(session, platform.audit, actor, identifier, data)
    except InvalidInput as exc:
        form = data.model_dump() | {"length": length}
        return _element_form(
            request, session, actor, form, _errors(exc, lang(request)), creating=False, status_code=422
        )
    return redirect(f"/standards/elements/{identifier}" + _lang_query(request))


def _lang_query(request: Request) -> str:
    return "?lang=en" if request.query_params.get("lang") == "en" else ""


def _value_line(code: str, label: str, synonyms: list[str]) -> str:
    return " | ".join([code, label, ", ".join(synonyms)]) if synonyms else f"{code} | {label}"


def parse_values(text: str) -> list[CodeValueIn]:
    """Lines ``code | label | synonym, synonym`` (a tab works as the separator too); blank lines skipped."""
    values = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"\s*[|\t｜]\s*", line.strip(), maxsplit=2)]
        parts += [""] * (3 - len(parts))
        values.append(CodeValueIn(code=parts[0], label=parts[1], synonyms=_words(parts[2])))
    return values


def _table_form(
    request: Request, form: dict[str, Any], errors: dict[str, list[str]], creating: bool, status: int = 200
) -> Response:
    ctx = {"form": form, "errors": errors, "creating": creating}
    return render_page(request, "standards/code_table_form.html", ctx, status_code=status)


@router.get("/standards/new/code-table")
def code_table_new(request: Request, actor: Manager) -> Response:
    library.require_manager(actor)
    return _table_form(request, {"code": "", "name": "", "values_text": "", "base_version": ""}, {}, True)


@router.post("/standards/code-tables")
def code_table_create(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Manager,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    values_text: Annotated[str, Form()] = "",
) -> Response:
    data = CodeTableIn(code=code, name=name, values=parse_values(values_text))
    try:
        table = library.create_code_table(session, platform.audit, actor, data)
    except InvalidInput as exc:
        form = {"code": code, "name": name, "values_text": values_text, "base_version": ""}
        return _table_form(request, form, _errors(exc, lang(request)), True, 422)
    return redirect(f"/standards/code-tables/{_url(table.code)}" + _lang_query(request))


@router.post("/standards/code-tables/{code:path}/edit")
def code_table_save(
    code: str,
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Manager,
    name: Annotated[str, Form()] = "",
    values_text: Annotated[str, Form()] = "",
    base_version: Annotated[str, Form()] = "",
) -> Response:
    data = CodeTableIn(
        code=code,
        name=name,
        values=parse_values(values_text),
        base_version=int(base_version) if base_version.isdigit() else None,
    )
    try:
        library.update_code_table(session, platform.audit, actor, code, data)
    except InvalidInput as exc:
        form = {"code": code, "name": name, "values_text": values_text, "base_version": base_version}
        return _table_form(request, form, _errors(exc, lang(request)), False, 422)
    return redirect(f"/standards/code-tables/{_url(code)}" + _lang_query(request))
