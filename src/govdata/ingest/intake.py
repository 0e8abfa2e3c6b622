"""File intake wired to file sources: uploads, watched drop folders and files fetched from a URL.

A file source (connectors ``csv``, ``excel``, ``json``, ``parquet``) reads the file its config's
``path`` names. Intake puts a file in ``<home>/intake/<dept>/<source id>/`` (``govdata.ingest.files``)
and points ``path`` at it, re-validated through the connector; the connectors' configs stay as
they are. How a table gets its file is kept in ``SourceTable.state["intake"]``:

- ``{"kind": "watch", "folder", "pattern", "settle_seconds"}``: the scheduler scans the folder each
  tick (``govdata.ingest.intake_watch.scan_watched``), keeps what it saw in ``state["drop_files"]`` and loads each new or changed,
  settled file, oldest first, one run per file;
- ``{"kind": "url", "url"}``: before every run (``prepare_run``) the URL is downloaded; content with
  the SHA-256 the table last loaded is not loaded again — the run is recorded as succeeded with
  ``source_version = "unchanged sha256:…"`` (``full`` loads anyway);
- no ``intake``: the officer uploads (``upload``) or the path is a fixed file.

Raises ``InvalidInput`` (``ingest.intake_not_file``, ``ingest.intake_bad_settings`` and the
``govdata.ingest.files`` codes, ``ingest.file_too_large`` as HTTP 413), ``NotFound``,
``PermissionDenied``; ``prepare_run`` records a failed download as a failed run before raising.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import GovdataError, InvalidInput
from govdata.ingest.connectors import get_connector
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.files import (
    DEFAULT_MAX_BYTES,
    STATE_KEY,
    IntakeFile,
    fetch_url,
    intake_dir,
    store_upload,
)
from govdata.ingest.models import IngestRun, LoadMode, RunStatus, Source, SourceStatus, SourceTable
from govdata.ingest.runner import department_code
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

log = logging.getLogger(__name__)

FILE_CONNECTORS = ("csv", "excel", "json", "parquet")
INTAKE_KEY = "intake"
DEFAULT_SETTLE_SECONDS = 5.0


@dataclass(frozen=True)
class IntakeOptions:
    """Where intake files live and how large one may be (``ingest.upload_max_mb``)."""

    home: Path
    max_bytes: int = DEFAULT_MAX_BYTES

    @classmethod
    def from_settings(cls, settings: Any) -> IntakeOptions:
        return cls(Path(settings.home), int(settings.ingest.upload_max_mb) * 1024 * 1024)


@dataclass(frozen=True)
class Upload:
    """An upload stored for a source, and the tables it feeds."""

    source_id: int
    file: IntakeFile
    table_ids: list[int]
    unchanged: bool  # same content as the file the source already reads: nothing to load


@dataclass(frozen=True)
class DropLoad:
    """One file of a watched folder and the run that loaded it (``run_id`` None: not loaded)."""

    table_id: int
    file: str
    run_id: int | None
    status: str
    error_code: str | None = None


@dataclass
class Prepared:
    """What ``prepare_run`` did before a run: nothing, a fresh download, or found it unchanged."""

    sha256: str | None = None
    unchanged_run: IngestRun | None = None


def intake_of(table: SourceTable) -> dict[str, Any]:
    """The table's intake settings (empty: uploads or a fixed path)."""
    return dict((table.state or {}).get(INTAKE_KEY) or {})


def require_file_source(source: Source) -> None:
    if source.connector not in FILE_CONNECTORS:
        raise InvalidInput("ingest.intake_not_file", source=source.name, connector=source.connector)


def source_folder(session: Session, source: Source, options: IntakeOptions) -> Path:
    """The source's intake folder ``<home>/intake/<dept>/<source id>``, created."""
    return intake_dir(options.home, department_code(session, source.department_id), str(source.id))


def point_source_at(source: Source, path: Path) -> bool:
    """Set the source's ``path`` to ``path`` (validated by its connector); True when it changed."""
    config = {**(source.config or {}), "path": str(path)}
    get_connector(source.connector).parse_config(config)
    changed = (source.config or {}).get("path") != str(path)
    source.config = config  # a new dict, so the JSON column is written
    return changed


def upload(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    source_id: int,
    filename: str,
    data: bytes | IO[bytes],
    *,
    options: IntakeOptions,
) -> Upload:
    """Store an uploaded file for a file source of the actor's department and point the source at it.

    The caller then requests or starts runs of ``table_ids`` (nothing to load when ``unchanged``).
    """
    from govdata.ingest.service import get_source

    source = get_source(session, actor, source_id)
    require_file_source(source)
    dept = department_code(session, source.department_id)
    stored = store_upload(options.home, dept, str(source.id), filename, data, max_bytes=options.max_bytes)
    moved = point_source_at(source, stored.path)
    unchanged = stored.unchanged and not moved
    tables = [t.id for t in source.tables if t.mode != LoadMode.logical]
    audit.record(
        session,
        actor,
        "ingest.upload",
        target=f"source:{source.id}",
        detail={
            "file": stored.filename,
            "bytes": stored.size,
            "sha256": stored.sha256,
            "unchanged": unchanged,
            "tables": tables,
        },
    )
    return Upload(source.id, stored, tables, unchanged)


def set_intake(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    options: IntakeOptions,
    watch: bool = False,
    folder: str | None = None,
    pattern: str = "*",
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    url: str | None = None,
) -> dict[str, Any]:
    """Set how a file table gets its file: a watched folder (``watch``; ``folder`` defaults to
    ``<home>/intake/<dept>/<source id>/drop``), a ``url``, or neither (uploads / fixed path)."""
    from govdata.ingest.service import get_table

    table = get_table(session, actor, table_id)
    require_file_source(table.source)
    if watch and url:
        raise InvalidInput("ingest.intake_bad_settings", detail="watch + url")
    settings: dict[str, Any] = {}
    if watch:
        if not pattern.strip() or "/" in pattern.strip("*/") or ".." in pattern or settle_seconds < 0:
            raise InvalidInput("ingest.intake_bad_settings", detail=f"pattern={pattern!r}")
        if folder:
            path = Path(folder)
            if not path.is_dir():
                raise InvalidInput("ingest.drop_folder_missing", path=folder)
        else:
            path = source_folder(session, table.source, options) / "drop"
            path.mkdir(exist_ok=True)
        settings = {
            "kind": "watch",
            "folder": str(path),
            "pattern": pattern.strip(),
            "settle_seconds": float(settle_seconds),
        }
    elif url:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidInput("ingest.fetch_bad_url", url=url)
        settings = {"kind": "url", "url": url}
        if table.enabled:
            table.next_run_at = utcnow()  # fetch at the next tick
    state = {k: v for k, v in (table.state or {}).items() if k not in (INTAKE_KEY, STATE_KEY)}
    if settings:
        state[INTAKE_KEY] = settings
    table.state = state
    audit.record(
        session,
        actor,
        "ingest.intake_set",
        target=f"ingest_table:{table.id}",
        detail={"kind": settings.get("kind"), "folder": settings.get("folder"), "url": _public(url)},
    )
    return settings


def _public(url: str | None) -> str | None:
    """A URL without its query string (which may carry a token) for audit and history."""
    if not url:
        return None
    from urllib.parse import urlsplit

    p = urlsplit(url)
    return f"{p.scheme}://{p.hostname or ''}{p.path}"


def _record_run(
    session: Session,
    audit: AuditLog | None,
    actor: Actor,
    table: SourceTable,
    lake: Lake,
    *,
    source_version: str | None,
    error: GovdataError | None = None,
) -> IngestRun:
    """Record a run the runner did not make: content unchanged (succeeded) or a failed download."""
    now = utcnow()
    dept = department_code(session, table.source.department_id)
    ref = TableRef("raw", dept, table.lake_table)
    run = IngestRun(
        source_table=table,
        mode=str(table.mode),
        started_at=now,
        finished_at=now,
        duration_ms=0,
        status=RunStatus.failed if error else RunStatus.succeeded,
        triggered_by=actor.username,
        source_version=source_version,
        lake_version=lake.version(ref) if lake.exists(ref) else None,
    )
    if error is not None:
        run.error_code = error.code
        run.error_message = error.message("zh")
        table.source.status = SourceStatus.error
        table.source.last_error = error.message("zh")
    else:
        table.last_run_at = now
        table.source.status = SourceStatus.ok
        table.source.last_error = None
    session.add(run)
    session.flush()
    if audit is not None:
        audit.record(
            session,
            actor,
            "ingest.run",
            target=f"table:{ref.key}",
            rows=0,
            outcome="failed" if error else "ok",
            detail={
                "run": run.id,
                "intake": "url",
                "source_version": source_version,
                "error": run.error_code,
            },
        )
    session.commit()
    return run


def prepare_run(
    session: Session,
    lake: Lake,
    audit: AuditLog | None,
    actor: Actor,
    table: SourceTable,
    *,
    options: IntakeOptions,
    full: bool = False,
) -> Prepared:
    """Before a run: download a URL table's file and point its source at it (commits).

    ``unchanged_run`` is set (a recorded, succeeded run that loaded nothing) when the content is the
    one the table last loaded and ``full`` is false. A failed download is recorded as a failed run
    and raised.
    """
    settings = intake_of(table)
    if settings.get("kind") != "url":
        return Prepared()
    source = table.source
    url = str(settings["url"])
    try:
        dept = department_code(session, source.department_id)
        got = fetch_url(url, options.home, dept, str(source.id), max_bytes=options.max_bytes)
        point_source_at(source, got.path)
    except Exception as exc:
        error = as_govdata_error(exc, _public(url) or url)
        session.rollback()
        _record_run(session, audit, actor, table, lake, source_version=_public(url), error=error)
        if error is exc:
            raise
        raise error from exc
    state = dict(table.state or {})
    state[INTAKE_KEY] = {**settings, "fetched_sha256": got.sha256, "fetched_at": utcnow().isoformat()}
    table.state = state
    session.commit()
    if not full and settings.get("loaded_sha256") == got.sha256:
        run = _record_run(session, audit, actor, table, lake, source_version=f"unchanged sha256:{got.sha256}")
        return Prepared(got.sha256, run)
    return Prepared(got.sha256)


def after_load(session: Session, table: SourceTable, prepared: Prepared) -> None:
    """After a successful load of a URL table: remember the content it loaded (commits)."""
    if prepared.sha256 is None or prepared.unchanged_run is not None:
        return
    session.refresh(table)
    state = dict(table.state or {})
    state[INTAKE_KEY] = {**(state.get(INTAKE_KEY) or {}), "loaded_sha256": prepared.sha256}
    table.state = state
    session.commit()


def start_or_queue(
    session: Session, audit: AuditLog, actor: Actor, table_ids: list[int]
) -> tuple[list[int], list[int]]:
    """Claim each table for a manual run now, or queue it for the next tick when it is busy.

    Returns (claimed, queued); the caller loads the claimed ones (``service.run_in_background``).
    Commits (the claim does).
    """
    from govdata.errors import Conflict
    from govdata.ingest.service import claim_manual_run, request_run

    actor.require(Permission.INGEST_RUN)
    claimed: list[int] = []
    queued: list[int] = []
    for table_id in table_ids:
        try:
            claim_manual_run(session, actor, table_id)
            audit.record(session, actor, "ingest.run_request", target=f"ingest_table:{table_id}")
            claimed.append(table_id)
        except Conflict:
            request_run(session, audit, actor, table_id)
            queued.append(table_id)
    session.commit()
    return claimed, queued
