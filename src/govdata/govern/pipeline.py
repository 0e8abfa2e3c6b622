"""What governance does after each successful load of a lake table.

The ingest runner calls ``after_load`` once a run has succeeded and its outcome is committed. Each
step of ``steps()`` then runs in order on a ``Loaded`` context — lineage of the load first, then the
standardized copy, the quality check (with its issues), the profile — and commits what it records.
A step that fails is logged and rolled back; it never fails the load (the lake already holds the new
version, and the next load or a manual run repeats the step). A run without an audit log
(``audit=None``: tests and scripts that load below the platform) runs no step: everything governance
records is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

if TYPE_CHECKING:
    from govdata.catalog.models import Resource
    from govdata.ingest.models import IngestRun, SourceTable

log = logging.getLogger(__name__)


@dataclass
class Loaded:
    """A succeeded ingest run, what it loaded, and who governance acts as."""

    session: Session
    lake: Lake
    audit: AuditLog
    actor: Actor
    run: IngestRun
    source_table: SourceTable
    resource: Resource | None  # the catalog entry linked to the source table, if any
    ref: TableRef  # the raw table the run wrote


Step = Callable[[Loaded], None]


def steps() -> list[tuple[str, Step]]:
    """The steps as (name, step) in the order they run; imported late (they import catalog and ingest)."""
    from govdata.govern.issues_step import quality_step
    from govdata.govern.lineage.capture import ingest_step
    from govdata.govern.profiling import profile_step
    from govdata.govern.standardize.step import standardize_step

    return [
        ("lineage", ingest_step),
        ("standardize", standardize_step),
        ("quality", quality_step),
        ("profile", profile_step),
    ]


def after_load(session: Session, lake: Lake, audit: AuditLog | None, run_id: int) -> list[str]:
    """Run every step for succeeded run ``run_id``; returns the names of the steps that failed."""
    from govdata.catalog.models import Resource
    from govdata.ingest.models import IngestRun, Source, SourceTable
    from govdata.ingest.runner import department_code

    run = session.get(IngestRun, run_id)
    if audit is None or run is None or run.lake_version is None:
        return []
    table = session.get(SourceTable, run.source_table_id)
    source = session.get(Source, table.source_id) if table is not None else None
    if table is None or source is None:
        return []
    ctx = Loaded(
        session=session,
        lake=lake,
        audit=audit,
        actor=Actor.system("govern"),
        run=run,
        source_table=table,
        resource=session.get(Resource, table.resource_id) if table.resource_id else None,
        ref=TableRef("raw", department_code(session, source.department_id), table.lake_table),
    )
    failed = []
    for name, step in steps():
        try:
            step(ctx)
            session.commit()
        except Exception:  # noqa: BLE001 - see the module docstring: a step never fails the load
            session.rollback()
            log.exception("governance step %s failed after ingest run %s", name, run_id)
            failed.append(name)
    return failed
