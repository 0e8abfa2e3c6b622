"""Watched drop folders of file tables: each scheduler tick loads the new or changed, settled files.

A table whose ``state["intake"]`` is ``{"kind": "watch", "folder", "pattern", "settle_seconds"}``
(set by ``govdata.ingest.intake.set_intake``) is scanned with ``govdata.ingest.files.scan_drop_folder``
under the table's lease; what was seen is kept in ``state["drop_files"]``; each new or changed file
is loaded by its own run (oldest first) after the source's ``path`` is pointed at it.
Raises nothing from ``scan_watched`` (failures are logged, recorded on the run or the source).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from govdata.errors import GovdataError
from govdata.ingest.files import STATE_KEY, scan_drop_folder
from govdata.ingest.intake import (
    DEFAULT_SETTLE_SECONDS,
    FILE_CONNECTORS,
    INTAKE_KEY,
    DropLoad,
    intake_of,
    point_source_at,
)
from govdata.ingest.models import IngestRun, RunStatus, Source, SourceStatus, SourceTable
from govdata.lake import Lake
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

log = logging.getLogger(__name__)

RunOne = Callable[..., IngestRun]


def watched_tables(session: Session) -> list[int]:
    """Ids of enabled file tables with a watched folder."""
    rows = session.execute(
        select(SourceTable.id, SourceTable.state)
        .join(Source, SourceTable.source_id == Source.id)
        .where(SourceTable.enabled.is_(True), Source.connector.in_(FILE_CONNECTORS))
        .order_by(SourceTable.id)
    )
    return [tid for tid, state in rows if ((state or {}).get(INTAKE_KEY) or {}).get("kind") == "watch"]


def _partial_state(
    scan_state: Mapping[str, Any], before: Mapping[str, Any], pending: set[str]
) -> dict[str, Any]:
    """``scan_state`` with the files still ``pending`` as they were ``before`` (not yet loaded)."""
    seen = dict(scan_state.get(STATE_KEY, {}))
    for name in pending:
        if name in before:
            seen[name] = before[name]
        else:
            seen.pop(name, None)
    return {**dict(scan_state), STATE_KEY: seen}


def scan_watched(
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    *,
    owner: str,
    run_one: RunOne,
    now: float | None = None,
) -> list[DropLoad]:
    """Scan every watched folder and load each new or changed, settled file (one run per file).

    A table is scanned only under its lease (``owner``), so a scan never races a run; a table busy
    elsewhere waits for the next tick. ``run_one(table_id)`` loads a table whose lease is held and
    releases it. A file whose load fails is not retried until it changes (the failure is recorded).
    Never raises.
    """
    from govdata.ingest.scheduler import claim, release

    results: list[DropLoad] = []
    try:
        with sessions() as s:
            table_ids = watched_tables(s)
    except Exception:
        log.exception("could not list watched folders")
        return results
    for table_id in table_ids:
        try:
            results += _scan_one(sessions, table_id, owner=owner, run_one=run_one, now=now, claim=claim,
                                 release=release)  # fmt: skip
        except Exception:
            log.exception("watched folder of ingest table %s", table_id)
    return results


def _scan_one(
    sessions: sessionmaker[Session],
    table_id: int,
    *,
    owner: str,
    run_one: RunOne,
    now: float | None,
    claim: Callable[..., bool],
    release: Callable[[Session, int, str], None],
) -> list[DropLoad]:
    with sessions() as s:
        if not claim(s, table_id, owner, due_only=False):
            return []
        table = s.get(SourceTable, table_id)
        assert table is not None
        settings = intake_of(table)
        before = dict((table.state or {}).get(STATE_KEY, {}))
        try:
            scan = scan_drop_folder(
                settings["folder"],
                table.state,
                pattern=settings.get("pattern") or "*",
                settle_seconds=float(settings.get("settle_seconds", DEFAULT_SETTLE_SECONDS)),
                now=now,
            )
        except GovdataError as exc:
            table.source.status = SourceStatus.error
            table.source.last_error = exc.message("zh")
            s.commit()
            release(s, table_id, owner)
            return [DropLoad(table_id, str(settings.get("folder")), None, RunStatus.failed, exc.code)]
        if not scan.changed:
            if scan.state != (table.state or {}):
                table.state = scan.state
                s.commit()
            release(s, table_id, owner)
            return []
    results: list[DropLoad] = []
    files = sorted(scan.changed, key=lambda f: (f.mtime_ns, f.name))
    for i, file in enumerate(files):
        with sessions() as s:
            if i > 0 and not claim(s, table_id, owner, due_only=False):
                break  # taken meanwhile: the rest are still new at the next scan
            table = s.get(SourceTable, table_id)
            assert table is not None
            pending = {f.name for f in files[i + 1 :]}
            try:
                point_source_at(table.source, file.path)
            except GovdataError as exc:
                release(s, table_id, owner)
                results.append(DropLoad(table_id, file.name, None, RunStatus.failed, exc.code))
                continue
            table.state = _partial_state(scan.state, before, pending)
            s.commit()
        try:
            run = run_one(table_id)
            results.append(DropLoad(table_id, file.name, run.id, str(run.status), run.error_code))
        except GovdataError as exc:
            results.append(DropLoad(table_id, file.name, None, RunStatus.failed, exc.code))
    return results


def drop_folder_of(table: SourceTable) -> str | None:
    """The watched folder of a table, if any (for pages and status)."""
    settings = intake_of(table)
    return str(settings["folder"]) if settings.get("kind") == "watch" else None


def seen_files(table: SourceTable) -> list[dict[str, Any]]:
    """Files of the watched folder seen so far: name, size, modified time (UTC), SHA-256."""
    out = []
    for name, info in sorted(((table.state or {}).get(STATE_KEY) or {}).items()):
        when = dt.datetime.fromtimestamp(int(info.get("mtime_ns", 0)) / 1e9, dt.UTC)
        out.append({"name": name, "size": info.get("size"), "modified": when, "sha256": info.get("sha256")})
    return out
