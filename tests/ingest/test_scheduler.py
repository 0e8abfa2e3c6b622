"""The DB-backed scheduler: failing tables don't stop it, leases keep two workers off one table."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from sqlalchemy import func, select

from govdata.db.base import utcnow
from govdata.ingest.models import IngestRun, Source, SourceStatus, SourceTable
from govdata.ingest.queries import _aware
from govdata.ingest.scheduler import Scheduler, claim
from govdata.lake import TableRef
from govdata.runtime import Platform
from tests.conftest import Org
from tests.ingest.ops_seed import csv_table

CORRUPT = b"\xef\xbb\xbfcode,name\n" + b"\x00" * 3 + b'"unterminated\n' + b"\xff\xfe\x80" * 50


def _runs(platform: Platform, table_id: int) -> list[IngestRun]:
    with platform.sessions() as s:
        return list(s.scalars(select(IngestRun).where(IngestRun.source_table_id == table_id)))


def test_a_failing_table_never_stops_the_tick(platform: Platform, org: Org, tmp_path: Path) -> None:
    bad = csv_table(platform, org, tmp_path, "broken", b"\x80\x81\xff\xfe\xfd" * 20)
    good = csv_table(platform, org, tmp_path, "people")
    results = Scheduler(platform, "w1").tick()
    by_table = {r.table_id: r for r in results}
    assert by_table[good.id].status == "succeeded"
    assert by_table[bad.id].status == "failed" and by_table[bad.id].error_code
    assert platform.lake.dataset(TableRef("raw", "gaj", "people")).count_rows() == 3
    with platform.sessions() as s:
        good_row, bad_row = s.get(SourceTable, good.id), s.get(SourceTable, bad.id)
        assert good_row is not None and bad_row is not None
        assert bad_row.source.status == SourceStatus.error
        assert good_row.lease_owner is None and bad_row.lease_owner is None
        now = utcnow()
        # success: next cycle in an hour; failure: retried after a short backoff
        assert _aware(good_row.next_run_at) > now + dt.timedelta(minutes=55)  # type: ignore[operator]
        assert _aware(bad_row.next_run_at) < now + dt.timedelta(minutes=2)  # type: ignore[operator]
        assert good_row.last_success_at is not None
    [failed] = _runs(platform, bad.id)
    assert failed.status == "failed" and failed.attempt == 1
    # nothing is due now: a second tick runs nothing
    assert Scheduler(platform, "w1").tick() == []


def test_backoff_then_the_regular_cycle(platform: Platform, org: Org, tmp_path: Path) -> None:
    bad = csv_table(platform, org, tmp_path, "broken", b"\x80\x81\xff\xfe\xfd" * 20, schedule_minutes=600)
    scheduler = Scheduler(platform, "w1", retry_base=dt.timedelta(minutes=1))
    waits = []
    for _ in range(5):
        with platform.unit() as s:
            s.get(SourceTable, bad.id).next_run_at = utcnow() - dt.timedelta(seconds=1)  # type: ignore[union-attr]
        scheduler.tick()
        with platform.sessions() as s:
            row = s.get(SourceTable, bad.id)
            waits.append((_aware(row.next_run_at) - utcnow()).total_seconds() / 60)  # type: ignore[union-attr, operator]
    # 1, 2, 4 minutes (max_retries = 3), then the table waits for its regular 600-minute cycle
    assert [round(w) for w in waits[:3]] == [1, 2, 4]
    assert waits[3] > 590 and waits[4] > 590
    # A bad encoding is not transient, so run_table does not retry within a run: five scheduled
    # runs, each its own first attempt.
    assert [r.attempt for r in _runs(platform, bad.id)] == [1, 1, 1, 1, 1]


def test_two_workers_never_run_one_table(platform: Platform, org: Org, tmp_path: Path) -> None:
    table = csv_table(platform, org, tmp_path, "people")
    workers = [Scheduler(platform, f"w{i}") for i in range(2)]
    for w in workers:
        assert w.due() == [table.id]  # both see it due …
    barrier = threading.Barrier(2)
    results: dict[str, list] = {}

    def work(w: Scheduler) -> None:
        barrier.wait()
        results[w.worker_id] = w.tick()

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(len(r) for r in results.values()) == 1  # … only one runs it
    with platform.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IngestRun)) == 1


def test_claim_is_exclusive_until_the_lease_expires(platform: Platform, org: Org, tmp_path: Path) -> None:
    table = csv_table(platform, org, tmp_path, "people")
    with platform.sessions() as s:
        assert claim(s, table.id, "a")
        assert not claim(s, table.id, "b")
        assert not claim(s, table.id, "b", due_only=False)
        later = utcnow() + dt.timedelta(hours=2)  # a dead worker's lease has run out
        assert claim(s, table.id, "b", now=later)
        assert s.scalar(select(SourceTable.lease_owner).where(SourceTable.id == table.id)) == "b"


def test_disabled_and_unscheduled_tables_are_not_due(platform: Platform, org: Org, tmp_path: Path) -> None:
    csv_table(platform, org, tmp_path, "adhoc", schedule_minutes=None)  # no cycle, no resource
    off = csv_table(platform, org, tmp_path, "people")
    with platform.unit() as s:
        s.get(SourceTable, off.id).enabled = False  # type: ignore[union-attr]
    assert Scheduler(platform, "w1").due() == []
    with platform.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Source)) == 2
