"""Open data (开放): what the public may list and download — published 无条件开放 resources only."""

from __future__ import annotations

import io

import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from govdata.catalog.models import OpenType, Resource, ResourceStatus
from govdata.catalog.service import get_resource, open_resources
from govdata.errors import NotFound
from govdata.lake import Lake, TableRef
from govdata.lake.sql import quote_ident
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.masking import mask_table

__all__ = ["download_csv", "open_resource", "open_resources"]


def open_resource(session: Session, code: str) -> Resource:
    """A resource the public may see; anything else is reported as not found."""
    res = get_resource(session, code)
    if res.status != ResourceStatus.PUBLISHED.value or res.open_type != OpenType.OPEN.value:
        raise NotFound("opendata.not_open", code=code)
    return res


def download_csv(session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str) -> bytes:
    """The resource's catalogued columns as UTF-8 CSV with a BOM (so Excel opens it), masked, audited."""
    res = open_resource(session, code)
    if not res.lake_table:
        raise NotFound("share.no_data", code=code)
    columns = [i.column for i in res.items]
    with lake.connect(t=TableRef.parse(res.lake_table)) as con:
        cols = ", ".join(quote_ident(c) for c in columns)
        table = con.sql(f"SELECT {cols} FROM t").to_arrow_table()  # noqa: S608 — quoted identifiers
    table = mask_table(table, {i.column: i.masking for i in res.items if i.masking})
    table = table.rename_columns([i.name for i in res.items])
    buf = io.BytesIO()
    buf.write("\ufeff".encode())
    pacsv.write_csv(table, buf)
    audit.record(
        session, actor, "opendata.download", target=f"resource:{code}", fields=columns, rows=table.num_rows
    )
    return buf.getvalue()
