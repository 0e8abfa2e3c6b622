"""Keeping a resource's standardization spec: view it (saved or suggested), suggest, save.

Viewing needs ``quality.read``; suggesting reads a sample of the raw table and is audited
(``std.spec_suggested``); saving is the data bureau's (``standards.manage``, like the standards
library the spec applies), checks the spec against the raw table's columns with every problem at
once, bumps ``version`` and is audited (``std.spec_saved``). A save naming a ``base_version`` that
is no longer current is refused (``govern.std.stale_version``, 409). Raises ``NotFound``
(``catalog.not_found``, ``govern.std.no_table``), ``InvalidInput`` and ``Conflict``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from govdata.catalog.service import get_resource
from govdata.db.base import utcnow
from govdata.errors import Conflict
from govdata.govern.library import require_manager
from govdata.govern.standardize.expressions import TYPES
from govdata.govern.standardize.models import StdSpecRecord
from govdata.govern.standardize.run import (
    StdReport,
    bindings,
    code_table_codes,
    effective_spec,
    resolve,
    spec_record,
)
from govdata.govern.standardize.spec import StdSpec, check_spec
from govdata.govern.standardize.suggest import suggest_spec
from govdata.govern.standards.normalizers import normalizer_names
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission


class SpecView(BaseModel):
    """A resource's spec as the API and the page show it, with what its fields may hold."""

    resource: str
    source_table: str
    target_table: str
    saved: bool
    version: int
    spec: StdSpec
    updated_by: str | None
    updated_at: dt.datetime | None
    last_report: StdReport | None
    columns: list[str]  # the raw table's columns
    normalizers: list[str]
    code_tables: list[str]
    types: list[str]


class SpecIn(BaseModel):
    spec: StdSpec
    base_version: int | None = None


def view_spec(session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str) -> SpecView:
    """The saved spec of resource ``code``, else the suggested one."""
    actor.require(Permission.QUALITY_READ)
    resource = get_resource(session, code)
    ref, _ = resolve(resource)
    spec, version = effective_spec(session, lake, ref, resource)
    if version == 0:
        audit.record(session, actor, "std.spec_suggested", target=f"table:{ref.key}")
    return _view(session, lake, code, spec, spec_record(session, ref), ref.key)


def suggest(session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str) -> StdSpec:
    """A fresh suggestion for resource ``code``, whatever is saved."""
    actor.require(Permission.QUALITY_READ)
    resource = get_resource(session, code)
    ref, _ = resolve(resource)
    bound, key = bindings(resource)
    spec = suggest_spec(session, lake, ref, bound, key)
    audit.record(session, actor, "std.spec_suggested", target=f"table:{ref.key}")
    return spec


def save_spec(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str, data: SpecIn
) -> SpecView:
    """Check and save resource ``code``'s spec as its next version."""
    require_manager(actor)
    resource = get_resource(session, code)
    ref, _ = resolve(resource)
    record = spec_record(session, ref)
    current = record.version if record is not None else 0
    if data.base_version is not None and data.base_version != current:
        raise Conflict("govern.std.stale_version", table=ref.key, base=data.base_version, current=current)
    check_spec(data.spec, ref.key, lake.schema(ref).names, code_table_codes(session))
    if record is None:
        record = StdSpecRecord(table_key=ref.key, resource_id=resource.id, version=0)
        session.add(record)
    stored = data.spec.model_dump(mode="json")
    if record.spec != stored:
        record.spec = stored
        record.version = current + 1
        record.updated_by = actor.username
        record.updated_at = utcnow()
        session.flush()
        audit.record(
            session, actor, "std.spec_saved", target=f"table:{ref.key}", detail={"version": record.version}
        )
    return _view(session, lake, code, data.spec, record, ref.key)


def _view(
    session: Session, lake: Lake, code: str, spec: StdSpec, record: StdSpecRecord | None, key: str
) -> SpecView:
    ref = TableRef.parse(key)
    saved = record is not None and record.spec is not None
    report = record.last_report if record is not None else None
    return SpecView(
        resource=code,
        source_table=key,
        target_table=TableRef("std", ref.dept, ref.table).key,
        saved=saved,
        version=record.version if record is not None and saved else 0,
        spec=spec,
        updated_by=record.updated_by if record is not None else None,
        updated_at=record.updated_at if record is not None else None,
        last_report=StdReport.model_validate(report) if report else None,
        columns=lake.schema(ref).names,
        normalizers=normalizer_names(),
        code_tables=code_table_codes(session),
        types=list(TYPES),
    )
