"""Ingest API: sources, tables, file intake (upload, watched folder, URL), manual runs, run history,
schema drift, quarantine, freshness.

Handlers parse and call ``govdata.ingest.service`` / ``queries``. A department's data officer acts
on its own department only; freshness (run metadata, no data) is for every ``OVERVIEW_READ`` role.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Any

import pyarrow.csv as pacsv
from fastapi import APIRouter, BackgroundTasks, Depends, File, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from govdata.ingest import history, intake, queries, service
from govdata.ingest.intake import IntakeOptions
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["ingest"])
Operator = Annotated[Actor, Depends(require(Permission.INGEST_RUN))]
Viewer = Annotated[Actor, Depends(require(Permission.OVERVIEW_READ))]


class SourceIn(BaseModel):
    department: str = Field(description="Department code, e.g. gaj")
    name: str
    connector: str
    config: dict[str, Any] = Field(default_factory=dict)


class TableIn(BaseModel):
    source_table: str
    lake_table: str
    key_columns: list[str] = Field(default_factory=list)
    mode: str = "full"
    cursor_column: str | None = None
    delete_detection: bool = False
    drift_policy: str = "evolve"
    reject_policy: str = "commit_good"
    schedule_minutes: int | None = None
    resource_code: str | None = None


class EnabledIn(BaseModel):
    enabled: bool


def _table_out(table: Any) -> dict[str, Any]:
    return {
        "id": table.id,
        "source_id": table.source_id,
        "source_table": table.source_table,
        "lake_table": table.lake_table,
        "mode": str(table.mode),
        "key_columns": list(table.key_columns or []),
        "cursor_column": table.cursor_column,
        "enabled": bool(table.enabled),
        "schedule_minutes": table.schedule_minutes,
        "next_run_at": table.next_run_at.isoformat() if table.next_run_at else None,
    }


@router.get("/ingest/sources")
def list_sources(session: SessionDep, actor: Operator) -> list[dict[str, Any]]:
    return [s.to_dict() for s in queries.list_sources(session, actor)]


@router.post("/ingest/sources", status_code=201)
def create_source(
    body: SourceIn, session: SessionDep, platform: PlatformDep, actor: Operator
) -> dict[str, Any]:
    source = service.register_source(
        session,
        platform.audit,
        actor,
        body.department,
        body.name,
        body.connector,
        body.config,
        secret_key=platform.settings.secret_key.get_secret_value(),
    )
    return {"id": source.id, "name": source.name, "connector": source.connector, "config": source.config}


@router.get("/ingest/sources/{source_id}/discover")
def discover(source_id: int, session: SessionDep, platform: PlatformDep, actor: Operator) -> list[str]:
    key = platform.settings.secret_key.get_secret_value()
    return service.discover_tables(session, actor, source_id, secret_key=key)


@router.post("/ingest/sources/{source_id}/tables", status_code=201)
def add_table(
    source_id: int, body: TableIn, session: SessionDep, platform: PlatformDep, actor: Operator
) -> dict[str, Any]:
    table = service.add_table(session, platform.audit, actor, source_id, **body.model_dump())
    return _table_out(table)


@router.post("/ingest/tables/{table_id}/enabled")
def set_enabled(
    table_id: int, body: EnabledIn, session: SessionDep, platform: PlatformDep, actor: Operator
) -> dict[str, Any]:
    return _table_out(service.set_enabled(session, platform.audit, actor, table_id, body.enabled))


@router.post("/ingest/tables/{table_id}/run", status_code=202)
def run_table(
    table_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    background: BackgroundTasks,
    full: bool = False,
) -> dict[str, Any]:
    """Start a load now (in the background; poll ``GET /api/v1/ingest/runs?table_id=``)."""
    table = service.start_manual_run(
        session,
        platform.sessions,
        platform.lake,
        platform.audit,
        actor,
        table_id,
        secret_key=platform.settings.secret_key.get_secret_value(),
        intake=IntakeOptions.from_settings(platform.settings),
        full=full,
        defer=background.add_task,
    )
    return {"table_id": table.id, "started": True}


class IntakeIn(BaseModel):
    watch: bool = Field(default=False, description="Watch a drop folder for new or changed files.")
    folder: str | None = Field(
        default=None, description="The folder; default <home>/intake/<dept>/<source>/drop."
    )
    pattern: str = Field(default="*", description="Which files of the folder, e.g. *.csv.")
    settle_seconds: float = Field(default=5.0, description="A file must be unchanged this long to be loaded.")
    url: str | None = Field(default=None, description="Download this http(s) URL before every run.")


@router.post("/ingest/sources/{source_id}/upload", status_code=201)
def upload(
    source_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="The CSV, Excel, JSON or Parquet file.")],
    run: bool = True,
) -> dict[str, Any]:
    """Upload a file for a file source; its tables load it now (``run=false``: at the next tick)."""
    options = IntakeOptions.from_settings(platform.settings)
    done = intake.upload(
        session, platform.audit, actor, source_id, file.filename or "", file.file, options=options
    )
    started: list[int] = []
    queued: list[int] = []
    if not done.unchanged:
        if run:
            started, queued = intake.start_or_queue(session, platform.audit, actor, done.table_ids)
        else:
            for table_id in done.table_ids:
                service.request_run(session, platform.audit, actor, table_id)
            queued = list(done.table_ids)
    service.defer_runs(
        background.add_task,
        platform.sessions,
        platform.lake,
        platform.audit,
        actor,
        started,
        secret_key=platform.settings.secret_key.get_secret_value(),
        intake=options,
    )
    return {
        "source_id": done.source_id,
        "file": done.file.filename,
        "bytes": done.file.size,
        "sha256": done.file.sha256,
        "unchanged": done.unchanged,
        "started": started,
        "queued": queued,
    }


@router.put("/ingest/tables/{table_id}/intake")
def set_intake(
    table_id: int, body: IntakeIn, session: SessionDep, platform: PlatformDep, actor: Operator
) -> dict[str, Any]:
    """How a file table gets its file: a watched folder, a URL, or (neither) uploads."""
    options = IntakeOptions.from_settings(platform.settings)
    settings = intake.set_intake(
        session, platform.audit, actor, table_id, options=options, **body.model_dump()
    )
    return {"table_id": table_id, "intake": settings}


@router.get("/ingest/status")
def status(
    session: SessionDep,
    actor: Viewer,
    late: bool = False,
    department: str | None = None,
) -> list[dict[str, Any]]:
    rows = queries.table_status(session, actor)
    return [r.to_dict() for r in rows if (not late or r.late) and department in (None, r.department)]


@router.get("/ingest/runs")
def runs(
    session: SessionDep,
    actor: Operator,
    source_id: int | None = None,
    table_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[dict[str, Any]]:
    found = queries.list_runs(session, actor, source_id=source_id, table_id=table_id, limit=limit)
    return [r.to_dict() for r in found]


@router.get("/ingest/schema-changes")
def schema_changes(session: SessionDep, actor: Operator, table_id: int | None = None) -> list[dict[str, Any]]:
    return [c.to_dict() for c in queries.list_schema_changes(session, actor, table_id=table_id)]


@router.get("/ingest/tables/{table_id}/quarantine", response_model=None)
def quarantine(
    table_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    run_id: int | None = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",  # noqa: A002 — the API's word
) -> Response | list[dict[str, Any]]:
    """Rejected rows with their raw values — the providing department's own, audited."""
    rows = service.rejected_rows(session, platform.lake, platform.audit, actor, table_id, run_id)
    if format == "csv":
        return csv_response(rows, f"quarantine_{table_id}.csv")
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows.to_pylist()
    ]


def csv_response(rows: Any, filename: str) -> Response:
    """An Arrow table as a UTF-8 CSV download with a BOM, so Excel shows the Chinese text."""
    buffer = io.BytesIO()
    buffer.write("\ufeff".encode())
    pacsv.write_csv(rows, buffer)
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/ingest/tables/{table_id}/versions")
def versions(
    table_id: int, session: SessionDep, platform: PlatformDep, actor: Operator
) -> list[dict[str, Any]]:
    """Every version of the lake table: when, operation, rows added/updated/deleted."""
    return history.table_versions(session, platform.lake, actor, table_id)


@router.get("/ingest/tables/{table_id}/rows")
def rows_as_of(
    table_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    as_of: dt.datetime | None = None,
    version: int | None = None,
    limit: Annotated[int, Query(ge=1, le=history.MAX_ROWS)] = 100,
) -> dict[str, Any]:
    """The table as it stood at ``as_of`` (or at ``version``): the providing department's own rows."""
    at, total, rows = history.rows_as_of(
        session, platform.lake, platform.audit, actor, table_id, when=as_of, version=version, limit=limit
    )
    return {
        "version": at,
        "total": total,
        "rows": [
            {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()}
            for r in rows.to_pylist()
        ],
    }
