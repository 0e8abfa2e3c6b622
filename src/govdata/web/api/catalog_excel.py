"""Catalog Excel API: the template, the all-or-nothing import and the export (issue #4 item 4).

Raises what ``govdata.catalog.excel`` raises; a rejected import answers 422 with the row errors in
the error shape's ``details.errors``.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, File, UploadFile
from fastapi.responses import Response

from govdata.catalog.excel import MAX_BYTES, ImportReport, export_workbook, import_workbook, template
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(data: bytes, filename: str) -> Response:
    return Response(
        data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/catalog/template.xlsx", response_class=Response)
def download_template(actor: Writer) -> Response:
    """The empty catalog template with drop-downs and the version marker."""
    return xlsx(template(), "catalog-template.xlsx")


@router.post("/catalog/import", response_model=ImportReport)
def import_catalog(
    session: SessionDep,
    platform: PlatformDep,
    actor: Writer,
    file: Annotated[UploadFile, File(description="The filled-in catalog template (.xlsx, at most 50 MB).")],
) -> ImportReport:
    """Import resources and items as drafts: all of them, or none with every bad row listed."""
    data = file.file.read(MAX_BYTES + 1)
    return import_workbook(session, platform.audit, actor, data, file.filename or "upload.xlsx")


@router.get("/catalog/export.xlsx", response_class=Response)
def export_catalog(
    session: SessionDep, platform: PlatformDep, actor: Reader, department: str | None = None
) -> Response:
    """The catalog, or one department's part, in the template's layout."""
    data = export_workbook(session, actor, department or None, audit=platform.audit)
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", department or "")
    return xlsx(data, f"catalog-{safe}.xlsx" if safe else "catalog.xlsx")
