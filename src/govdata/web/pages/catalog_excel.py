"""Catalog Excel page: download the template, upload a filled-in workbook (errors as a table), export.

The panel (``catalog/_excel.html``) is meant for the catalog page too; it shows only to
``catalog.write`` users. Import errors are shown on the page rather than as an error page, so the
officer sees every bad row at once. Raises what ``govdata.catalog.excel`` raises, other than
``InvalidInput`` from the import, which is rendered.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from govdata.catalog.excel import MAX_BYTES, ImportRejected, import_workbook
from govdata.errors import InvalidInput
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import render_page

router = APIRouter()
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]


@router.get("/catalog/excel")
def excel_page(request: Request, actor: Writer) -> Response:
    return render_page(request, "catalog/excel.html", {})


@router.post("/catalog/excel/import")
def excel_import(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Writer,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import the upload; on any error nothing is imported and the errors are listed (422)."""
    ctx: dict[str, Any] = {}
    if file is None or not file.filename:
        ctx["file_error"] = InvalidInput("catalog_x.no_file")
        return render_page(request, "catalog/excel.html", ctx, status_code=422)
    try:
        data = file.file.read(MAX_BYTES + 1)
        ctx["report"] = import_workbook(session, platform.audit, actor, data, file.filename)
    except ImportRejected as exc:
        session.rollback()
        ctx["rejected"] = exc
        ctx["row_errors"] = exc.errors
    except InvalidInput as exc:  # the whole file: too large, not a workbook, another template version
        session.rollback()
        ctx["file_error"] = exc
    status = 200 if "report" in ctx else 422
    return render_page(request, "catalog/excel.html", ctx, status_code=status)
