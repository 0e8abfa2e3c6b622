"""The feedback loop end to end, through the real ingest runner: a load with defects opens issues
with every failing key, the department fixes the source, the next load verifies the issue."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

from sqlalchemy import select
from tests.conftest import SECRET, Org
from tests.govern.quality_seed import CODE, people_with_defects, publish

from govdata.govern.issue_keys import issue_keys
from govdata.govern.issues import issue_detail, transition
from govdata.govern.issues_models import QualityIssue
from govdata.govern.models import QualityRun
from govdata.ingest.models import IngestRun, SourceTable
from govdata.ingest.runner import run_table
from govdata.ingest.service import add_table, register_source
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.auth import actor_for
from govdata.security.models import User

SYSTEM = Actor.system("test")
ROWS, BAD = 300, 37


def _source(platform: Platform, db: Path, lake_table: str = "raw.gaj.rk_q") -> int:
    people = people_with_defects(ROWS, bad_ids=BAD).drop_columns(["_source_row"])
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid TEXT PRIMARY KEY, xm TEXT, sfzh TEXT, lxdh TEXT)")
        con.executemany("INSERT INTO rk VALUES (?, ?, ?, ?)", zip(*people.to_pydict().values(), strict=True))
    publish(platform, people, lake_table=lake_table)
    with platform.unit() as s:
        source = register_source(
            s,
            platform.audit,
            SYSTEM,
            "gaj",
            "人口库",
            "sql",
            {"url": f"sqlite:///{db}", "table": "rk"},
            secret_key=SECRET,
        )
        return add_table(s, platform.audit, SYSTEM, source.id, "rk", "rk_q", resource_code=CODE).id


def _load(platform: Platform, table_id: int) -> IngestRun:
    with platform.sessions() as s:
        table = s.get(SourceTable, table_id)
        assert table is not None
        return run_table(s, platform.lake, platform.audit, SYSTEM, table, secret_key=SECRET)


def _officer(platform: Platform) -> Actor:
    with platform.sessions() as s:
        user = s.scalar(select(User).where(User.username == "gaj_officer"))
        assert user is not None
        return actor_for(user)


def test_a_fix_at_the_source_closes_the_issue_on_the_next_load(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    db = tmp_path / "gaj.sqlite"
    table_id = _source(platform, db)
    first = _load(platform, table_id)
    assert first.status == "succeeded"
    with platform.sessions() as s:
        issue = s.scalars(select(QualityIssue).where(QualityIssue.binding == "id_number(sfzh)")).one()
        assert (issue.status, issue.failed_rows, issue.table_key) == ("open", BAD, "raw.gaj.rk_q")
        issue_id = issue.id
    officer = _officer(platform)
    with platform.unit() as s:
        body = b"".join(issue_keys(s, platform.lake, platform.audit, officer, issue_id).chunks())
        transition(s, platform.audit, officer, issue_id, "acknowledge", "收到")
    keys = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(keys) == BAD  # every failing row, each with its source row number
    assert len({k["_source_row"] for k in keys}) == BAD

    # the department corrects the ID numbers at the source and marks the issue fixed
    clean = people_with_defects(ROWS, bad_ids=0)
    with sqlite3.connect(db) as con:
        con.executemany(
            "UPDATE rk SET sfzh = ? WHERE rkid = ?",
            zip(clean.column("sfzh").to_pylist()[:BAD], clean.column("rkid").to_pylist()[:BAD], strict=True),
        )
    with platform.unit() as s:
        transition(s, platform.audit, officer, issue_id, "fix", "已在人口库更正 37 条身份证号")
    second = _load(platform, table_id)
    assert second.status == "succeeded" and second.lake_version == first.lake_version + 1
    with platform.sessions() as s:
        detail = issue_detail(s, officer, issue_id)
        runs = s.scalars(select(QualityRun).where(QualityRun.table_key == "raw.gaj.rk_q")).all()
    assert detail.status == "verified" and detail.closed_at is not None
    assert [e.action for e in detail.events] == ["opened", "acknowledged", "fixed", "verified"]
    assert detail.events[-1].actor == "system:govern"
    assert [r.lake_version for r in runs] == [first.lake_version, second.lake_version]


def test_a_failing_quality_step_never_fails_the_load(platform: Platform, org: Org, tmp_path: Path) -> None:
    table_id = _source(platform, tmp_path / "gaj.sqlite", lake_table="raw.gaj.missing_table")
    _load(platform, table_id)
    with platform.sessions() as s:
        assert s.scalars(select(IngestRun.status)).all() == ["succeeded"]
        assert s.scalars(select(QualityRun)).all() == []
        assert s.scalars(select(QualityIssue)).all() == []
