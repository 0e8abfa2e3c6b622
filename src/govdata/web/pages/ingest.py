"""Ingest pages: a department's sources and tables (register, add, upload a file, run now with live
progress), a table's run history, file intake, drift and rejected rows (CSV download), and the
bureau's freshness view.

Handlers call ``govdata.ingest.service`` / ``queries``; the run-now button claims the table's lease
in the request and loads in a background task, and HTMX polls a small partial showing the running
run's ``rows_read``. Services raise ``InvalidInput`` / ``PermissionDenied`` / ``Conflict`` /
``NotFound``; the portal error page shows them with their hint.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import SecretStr

from govdata.errors import InvalidInput
from govdata.i18n import text
from govdata.i18n.messages import MESSAGES
from govdata.ingest import intake, intake_watch, queries, service
from govdata.ingest.connectors import connector_names, get_connector
from govdata.ingest.models import DriftPolicy, LoadMode, RejectPolicy
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.api.ingest import csv_response
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import lang, redirect, render_page

router = APIRouter()
Operator = Annotated[Actor, Depends(require(Permission.INGEST_RUN))]
Viewer = Annotated[Actor, Depends(require(Permission.OVERVIEW_READ))]
SECRET_WORDS = ("password", "token", "secret")
CFG = "cfg_"


def config_fields(connector: str, language: str = "zh") -> list[dict[str, Any]]:
    """The form fields of a connector's Pydantic ``Config``: name, label, description, default, secret."""
    fields = []
    for name, info in get_connector(connector).Config.model_fields.items():
        key = info.alias or name
        default = None if info.is_required() else info.default
        secret = info.annotation is SecretStr or any(w in key.lower() for w in SECRET_WORDS)
        fields.append(
            {
                "name": key,
                "label": text(f"ingest.config.{key}", language)
                if f"ingest.config.{key}" in MESSAGES
                else key,
                "description": info.description or "",
                "required": info.is_required(),
                "default": "" if default is None or secret else default,
                "secret": secret,
                "boolean": info.annotation is bool,
            }
        )
    return fields


def _config_from_form(connector: str, form: Any) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for field in config_fields(connector):
        value = form.get(CFG + field["name"])
        if field["boolean"]:
            config[field["name"]] = value is not None
        elif value is not None and str(value).strip() != "":
            config[field["name"]] = str(value).strip()
    return config


@router.get("/ingest")
def sources_page(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    connector: str | None = None,
    added: str | None = None,
    uploaded: str | None = None,
    unchanged: bool = False,
) -> Response:
    names = connector_names()
    chosen = connector if connector in names else (names[0] if names else None)
    tables = queries.table_status(session, actor, department_id=actor.department_id)
    sources = queries.list_sources(session, actor)
    ctx = {
        "sources": sources,
        "tables": tables,
        "connectors": names,
        "connector": chosen,
        "fields": config_fields(chosen, lang(request)) if chosen else [],
        "modes": [m.value for m in LoadMode],
        "drift_policies": [p.value for p in DriftPolicy],
        "reject_policies": [p.value for p in RejectPolicy],
        "runs": queries.list_runs(session, actor, limit=20),
        "changes": queries.list_schema_changes(session, actor, limit=20),
        "added": added,
        "file_sources": [src for src in sources if src.connector in intake.FILE_CONNECTORS],
        "upload_limit_mb": platform.settings.ingest.upload_max_mb,
        "uploaded": uploaded,
        "unchanged": unchanged,
    }
    return render_page(request, "ingest/sources.html", ctx)


@router.post("/ingest/sources")
async def register(request: Request, session: SessionDep, platform: PlatformDep, actor: Operator) -> Response:
    form = await request.form()
    connector = str(form.get("connector") or "")
    if connector not in connector_names():
        raise InvalidInput("ingest.unknown_connector", name=connector, known=", ".join(connector_names()))
    source = service.register_source(
        session,
        platform.audit,
        actor,
        actor.department_code or "",
        str(form.get("name") or ""),
        connector,
        _config_from_form(connector, form),
        secret_key=platform.settings.secret_key.get_secret_value(),
    )
    return redirect(f"/ingest?added={source.name}")


@router.post("/ingest/sources/{source_id}/tables")
def add_table(
    source_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    source_table: Annotated[str, Form()],
    lake_table: Annotated[str, Form()],
    mode: Annotated[str, Form()] = "full",
    key_columns: Annotated[str, Form()] = "",
    cursor_column: Annotated[str, Form()] = "",
    delete_detection: Annotated[bool, Form()] = False,
    drift_policy: Annotated[str, Form()] = "evolve",
    reject_policy: Annotated[str, Form()] = "commit_good",
    schedule_minutes: Annotated[str, Form()] = "",
    resource_code: Annotated[str, Form()] = "",
) -> Response:
    minutes = schedule_minutes.strip()
    if minutes and not minutes.isdigit():
        raise InvalidInput("ingest.bad_schedule", minutes=minutes)
    table = service.add_table(
        session,
        platform.audit,
        actor,
        source_id,
        source_table,
        lake_table.strip(),
        [k for k in key_columns.replace("，", ",").split(",")],
        mode,
        cursor_column or None,
        delete_detection,
        drift_policy,
        reject_policy,
        int(minutes) if minutes else None,
        resource_code.strip() or None,
    )
    return redirect(f"/ingest?added={table.lake_table}")


@router.post("/ingest/sources/{source_id}/upload")
def upload(
    source_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    background: BackgroundTasks,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the file for the source and load its tables now (queued when one is busy)."""
    if file is None or not file.filename:
        raise InvalidInput("ingest.upload_no_file")
    options = intake.IntakeOptions.from_settings(platform.settings)
    done = intake.upload(session, platform.audit, actor, source_id, file.filename, file.file, options=options)
    if done.unchanged:
        return redirect(f"/ingest?uploaded={quote(done.file.filename)}&unchanged=true#upload")
    started, _ = intake.start_or_queue(session, platform.audit, actor, done.table_ids)
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
    return redirect(f"/ingest?uploaded={quote(done.file.filename)}#tables")


def _progress(request: Request, session: Any, actor: Actor, table_id: int) -> Response:
    table = service.get_table(session, actor, table_id)
    runs = queries.list_runs(session, actor, table_id=table.id, limit=1)
    run = runs[0] if runs else None
    running = (
        run is not None
        and run.status in ("running", "queued")
        or (run is None and (table.lease_owner or "").startswith("manual:"))
    )
    ctx = {"table": table, "run": run, "running": running}
    return render_page(request, "ingest/_progress.html", ctx)


@router.post("/ingest/tables/{table_id}/run")
def run_now(
    request: Request,
    table_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Operator,
    background: BackgroundTasks,
    full: Annotated[bool, Form()] = False,
) -> Response:
    table = service.start_manual_run(
        session,
        platform.sessions,
        platform.lake,
        platform.audit,
        actor,
        table_id,
        secret_key=platform.settings.secret_key.get_secret_value(),
        intake=intake.IntakeOptions.from_settings(platform.settings),
        full=full,
        defer=background.add_task,
    )
    if request.headers.get("hx-request"):
        return _progress(request, session, actor, table.id)
    return redirect(f"/ingest/tables/{table.id}")


@router.get("/ingest/tables/{table_id}/progress")
def progress(request: Request, table_id: int, session: SessionDep, actor: Operator) -> Response:
    return _progress(request, session, actor, table_id)


@router.get("/ingest/tables/{table_id}")
def table_page(
    request: Request, table_id: int, session: SessionDep, platform: PlatformDep, actor: Operator
) -> Response:
    table = service.get_table(session, actor, table_id)
    rejected = service.rejected_rows(session, platform.lake, platform.audit, actor, table_id)
    ctx = {
        "table": table,
        "status": next(
            (
                s
                for s in queries.table_status(session, actor, department_id=actor.department_id)
                if s.table_id == table.id
            ),
            None,
        ),
        "runs": queries.list_runs(session, actor, table_id=table.id, limit=50),
        "changes": queries.list_schema_changes(session, actor, table_id=table.id),
        "intake": intake.intake_of(table),
        "seen_files": intake_watch.seen_files(table),
        "rejected": rejected.slice(0, 200).to_pylist(),
        "rejected_total": rejected.num_rows,
    }
    return render_page(request, "ingest/table.html", ctx)


@router.get("/ingest/tables/{table_id}/quarantine.csv")
def quarantine_csv(table_id: int, session: SessionDep, platform: PlatformDep, actor: Operator) -> Response:
    rows = service.rejected_rows(session, platform.lake, platform.audit, actor, table_id)
    return csv_response(rows, f"rejected_{table_id}.csv")


@router.get("/ingest/freshness")
def freshness(request: Request, session: SessionDep, actor: Viewer, late: bool = False) -> Response:
    rows = queries.table_status(session, actor)
    shown = [r for r in rows if r.late] if late else rows
    ctx = {
        "rows": shown,
        "late_only": late,
        "total": len(rows),
        "late_count": sum(1 for r in rows if r.late),
        "departments": len({r.department for r in rows}),
    }
    return render_page(request, "ingest/freshness.html", ctx)
