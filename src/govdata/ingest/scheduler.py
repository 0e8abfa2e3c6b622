"""The ingest scheduler: runs due tables from the metadata store, safely from several workers.

State lives only in ``ingest_source_tables`` (``next_run_at``, ``lease_owner``, ``lease_until``): a
worker claims a due table with one guarded ``UPDATE … WHERE (lease_until IS NULL OR lease_until <
now) AND next_run_at <= now`` and owns it only when that statement changed the row. The statement
is atomic on SQLite (one writer at a time) and on PostgreSQL (the row lock makes a second worker
re-check the condition and find the lease taken), so two workers never run one table. A worker that
dies leaves a lease that expires; the runner's progress callback renews it while a load goes on.

Why not APScheduler: its job stores would be a second copy of the schedule next to
``next_run_at``, and its locking is per process; the one DB-backed lease is what makes several
``govdata worker`` processes and the server's embedded thread safe together, with no extra service.

A failing table never stops the loop: the runner records the failure (run, source status, audit)
and the scheduler backs off (1, 2, 4 … minutes, ``max_retries`` times) before the regular cycle.
Raises nothing from ``tick``/``run_forever``; ``run_one`` re-raises the runner's ``GovdataError``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from govdata.db.base import utcnow
from govdata.errors import GovdataError
from govdata.ingest import intake as intake_flow
from govdata.ingest import intake_watch, runner
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.intake import IntakeOptions
from govdata.ingest.models import IngestRun, LoadMode, RunStatus, SourceTable
from govdata.ingest.queries import cycle_minutes
from govdata.lake import Lake
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

log = logging.getLogger(__name__)

DEFAULT_LEASE = dt.timedelta(minutes=30)
RETRY_BASE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class TickResult:
    """What one claimed table did in a tick."""

    table_id: int
    run_id: int | None
    status: str
    error_code: str | None = None


def claim(
    session: Session,
    table_id: int,
    owner: str,
    *,
    due_only: bool = True,
    lease: dt.timedelta = DEFAULT_LEASE,
    now: dt.datetime | None = None,
) -> bool:
    """Take the lease of table ``table_id`` for ``owner``; True when this call got it. Commits."""
    now = now or utcnow()
    conditions = [
        SourceTable.id == table_id,
        or_(SourceTable.lease_until.is_(None), SourceTable.lease_until < now),
    ]
    if due_only:
        conditions += [SourceTable.enabled.is_(True), SourceTable.next_run_at <= now]
    result = session.execute(
        update(SourceTable)
        .where(*conditions)
        .values(lease_owner=owner, lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def release(session: Session, table_id: int, owner: str) -> None:
    """Give up the lease of table ``table_id`` if ``owner`` holds it, without scheduling. Commits."""
    session.execute(
        update(SourceTable)
        .where(SourceTable.id == table_id, SourceTable.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    session.commit()


def _consecutive_failures(session: Session, table_id: int) -> int:
    """Scheduled runs that failed in a row since the last success.

    ``run_table`` already retries a transient failure within one run, recording each attempt as
    its own ``IngestRun`` (attempt 1, 2 …); a scheduled run is counted once, by its first attempt.
    """
    rows = session.execute(
        select(IngestRun.status, IngestRun.attempt)
        .where(IngestRun.source_table_id == table_id, IngestRun.status != RunStatus.running)
        .order_by(IngestRun.id.desc())
        .limit(200)
    )
    count = 0
    for status, attempt in rows:
        if status != RunStatus.failed:
            break
        count += 1 if attempt == 1 else 0
    return count


def _after_run(session: Session, table_id: int, owner: str, ok: bool, retry_base: dt.timedelta) -> None:
    """Schedule the next run (the cycle after a success, a backoff after a failure) and release."""
    table = session.get(SourceTable, table_id)
    if table is None:  # deleted meanwhile
        return
    session.refresh(table)
    now = utcnow()
    minutes = cycle_minutes(session, table)
    cycle = dt.timedelta(minutes=minutes) if minutes else None
    latest = session.scalar(
        select(IngestRun).where(IngestRun.source_table_id == table_id).order_by(IngestRun.id.desc()).limit(1)
    )
    failures = _consecutive_failures(session, table_id)
    if ok:
        table.last_success_at = latest.finished_at if latest and latest.finished_at else now
        next_run = now + cycle if cycle else None
    elif failures <= table.max_retries:
        backoff = retry_base * 2 ** (failures - 1)
        next_run = now + (min(backoff, cycle) if cycle else backoff)
    else:
        next_run = now + cycle if cycle else None
    if table.enabled and table.mode != LoadMode.logical:
        table.next_run_at = next_run
    if table.lease_owner == owner:
        table.lease_owner = None
        table.lease_until = None
    session.commit()


def _load(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table: SourceTable,
    *,
    secret_key: str,
    full: bool,
    progress: Callable[[int], None] | None,
) -> IngestRun:
    """The runner's ``run_table`` (load modes), or the full load where that is not available."""
    run_table = getattr(runner, "run_table", None)
    if run_table is not None:
        return run_table(  # type: ignore[no-any-return]
            session, lake, audit, actor, table, secret_key=secret_key, full=full, progress=progress
        )
    return runner.run_full_load(session, lake, table, actor, secret_key=secret_key, audit=audit)


def run_one(
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    secret_key: str,
    owner: str,
    full: bool = False,
    progress: Callable[[int], None] | None = None,
    lease: dt.timedelta = DEFAULT_LEASE,
    retry_base: dt.timedelta = RETRY_BASE,
    intake: IntakeOptions | None = None,
) -> IngestRun:
    """Load table ``table_id`` whose lease ``owner`` holds, schedule its next run, release the lease.

    With ``intake``, a table fed from a URL downloads its file first (``intake.prepare_run``); an
    unchanged download returns the recorded no-change run instead of loading.
    """
    from govdata.ingest.service import progress_recorder

    ok = False
    try:
        with sessions() as s:
            table = s.get(SourceTable, table_id)
            if table is None:
                from govdata.errors import NotFound

                raise NotFound("ingest.table_unknown", table=table_id)
            prepared = intake_flow.Prepared()
            if intake is not None:
                prepared = intake_flow.prepare_run(s, lake, audit, actor, table, options=intake, full=full)
                if prepared.unchanged_run is not None:
                    ok = True
                    return prepared.unchanged_run
            recorder = progress_recorder(sessions, table_id, lease_owner=owner, lease=lease, also=progress)
            run = _load(s, lake, audit, actor, table, secret_key=secret_key, full=full, progress=recorder)
            ok = True
            intake_flow.after_load(s, table, prepared)
            return run
    finally:
        with sessions() as s:
            _after_run(s, table_id, owner, ok, retry_base)


class Scheduler:
    """Claims due tables and runs them, one at a time, as worker ``worker_id``."""

    def __init__(
        self,
        platform: Platform,
        worker_id: str | None = None,
        *,
        lease: dt.timedelta = DEFAULT_LEASE,
        retry_base: dt.timedelta = RETRY_BASE,
        batch: int = 20,
    ) -> None:
        self.platform = platform
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.lease = lease
        self.retry_base = retry_base
        self.batch = batch
        self.actor = Actor.system("scheduler")
        self.intake = IntakeOptions.from_settings(platform.settings)

    def due(self, now: dt.datetime | None = None) -> list[int]:
        """Ids of enabled, unleased tables whose ``next_run_at`` has come, oldest first."""
        now = now or utcnow()
        with self.platform.sessions() as s:
            return list(
                s.scalars(
                    select(SourceTable.id)
                    .where(
                        SourceTable.enabled.is_(True),
                        SourceTable.mode != LoadMode.logical,
                        SourceTable.next_run_at <= now,
                        or_(SourceTable.lease_until.is_(None), SourceTable.lease_until < now),
                    )
                    .order_by(SourceTable.next_run_at, SourceTable.id)
                    .limit(self.batch)
                )
            )

    def tick(self) -> list[TickResult]:
        """Load new files of watched folders, then run every table due now that this worker
        manages to claim, then re-check the quality of tables not checked lately; never raises."""
        from govdata.catalog.feed_dispatch import dispatch  # the catalog change feed: webhooks, NATS

        dispatch(self.platform)  # never raises
        results: list[TickResult] = [
            TickResult(d.table_id, d.run_id, d.status, d.error_code)
            for d in intake_watch.scan_watched(
                self.platform.sessions,
                self.platform.lake,
                self.platform.audit,
                self.actor,
                owner=self.worker_id,
                run_one=self._run_claimed,
            )
        ]
        try:
            candidates = self.due()
        except Exception:
            log.exception("scheduler %s could not read due tables", self.worker_id)
            return results
        for table_id in candidates:
            try:
                with self.platform.sessions() as s:
                    if not claim(s, table_id, self.worker_id, lease=self.lease):
                        continue
                results.append(self._run(table_id))
            except Exception:
                log.exception("scheduler %s: table %s", self.worker_id, table_id)
                results.append(TickResult(table_id, None, RunStatus.failed, "ingest.failed"))
        from govdata.govern.recheck import recheck_due  # governance is above ingest: import late

        recheck_due(self.platform)  # tables that did not load lately are checked again; never raises
        from govdata.govern.lineage.events import push_pending

        push_pending(self.platform)  # OpenLineage events to lineage.openlineage_url, if set; never raises
        return results

    def _run_claimed(self, table_id: int) -> IngestRun:
        return run_one(
            self.platform.sessions,
            self.platform.lake,
            self.platform.audit,
            self.actor,
            table_id,
            secret_key=self.platform.settings.secret_key.get_secret_value(),
            owner=self.worker_id,
            lease=self.lease,
            retry_base=self.retry_base,
            intake=self.intake,
        )

    def _run(self, table_id: int) -> TickResult:
        try:
            run = self._run_claimed(table_id)
        except Exception as exc:  # recorded by the runner; the loop goes on
            error = as_govdata_error(exc, str(table_id))
            if not isinstance(exc, GovdataError):
                log.exception("scheduler %s: table %s", self.worker_id, table_id)
            return TickResult(table_id, None, RunStatus.failed, error.code)
        return TickResult(table_id, run.id, str(run.status), run.error_code)

    def run_forever(self, stop: threading.Event, interval: float = 30.0) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set."""
        log.info("ingest scheduler %s started", self.worker_id)
        while not stop.is_set():
            self.tick()
            stop.wait(interval)
        log.info("ingest scheduler %s stopped", self.worker_id)


def start_embedded(platform: Platform, interval: float = 30.0) -> tuple[threading.Thread, threading.Event]:
    """The server's scheduler: a daemon thread ticking until the returned event is set."""
    stop = threading.Event()
    scheduler = Scheduler(platform, f"serve:{socket.gethostname()}:{os.getpid()}")
    thread = threading.Thread(
        target=scheduler.run_forever, args=(stop, interval), name="govdata-scheduler", daemon=True
    )
    thread.start()
    return thread, stop
