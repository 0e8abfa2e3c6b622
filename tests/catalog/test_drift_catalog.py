"""Schema drift reaches the catalog: a column added, removed or gone at a real SQLite source opens a
draft revision of the linked resource whose items follow the source."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import SECRET, Org

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.models import InventoryTable, Resource, Revision
from govdata.errors import GovdataError
from govdata.ingest.models import SchemaChange, SourceTable
from govdata.ingest.runner import run_table
from govdata.ingest.service import add_table, register_source
from govdata.runtime import Platform
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")
CODE = "330100/gaj-test-001"


def setup_source(platform: Platform, db: Path) -> int:
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid VARCHAR(12) PRIMARY KEY, xm VARCHAR(30), bz VARCHAR(50))")
        con.execute("INSERT INTO rk VALUES ('1', '张三', 'a'), ('2', '李四', 'b')")
    with platform.unit() as s:
        create_resource(
            s, platform.audit, SYSTEM,
            ResourceIn(code=CODE, name="人口", department="gaj", summary="人口", category="department",
                       format="数据库", share_type="unconditional", open_type="closed", update_cycle="daily",
                       items=[ItemIn(column="rkid", name="人口编号"), ItemIn(column="xm", name="姓名"),
                              ItemIn(column="bz", name="备注")]),
        )  # fmt: skip
        publish_resource(s, platform.audit, SYSTEM, CODE)
        source = register_source(
            s, platform.audit, SYSTEM, "gaj", "人口库", "sql", {"url": f"sqlite:///{db}", "table": "rk"},
            secret_key=SECRET,
        )  # fmt: skip
        table = add_table(s, platform.audit, SYSTEM, source.id, "rk", "rk", resource_code=CODE)
        s.add(
            InventoryTable(
                source_id=source.id, department_id=source.department_id, table_name="rk", columns=[]
            )
        )
        return table.id


def run(platform: Platform, table_id: int) -> None:
    with platform.sessions() as s:
        run_table(s, platform.lake, platform.audit, SYSTEM, s.get(SourceTable, table_id), secret_key=SECRET)


def revisions(platform: Platform) -> list[Revision]:
    with platform.sessions() as s:
        res = s.execute(select(Resource).where(Resource.code == CODE)).scalar_one()
        return list(
            s.execute(
                select(Revision).where(Revision.resource_id == res.id).order_by(Revision.number)
            ).scalars()
        )


def test_added_and_removed_columns_open_a_draft_revision(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    db = tmp_path / "gaj.sqlite"
    table_id = setup_source(platform, db)
    run(platform, table_id)
    before = revisions(platform)
    assert all(r.created_by != "system:drift" for r in before)  # a load without drift files nothing
    with sqlite3.connect(db) as con:
        con.execute("ALTER TABLE rk ADD COLUMN csrq DATE")
        con.execute("ALTER TABLE rk DROP COLUMN bz")
        con.execute("UPDATE rk SET csrq = '1990-01-01'")
    run(platform, table_id)
    with platform.sessions() as s:
        changes = list(s.execute(select(SchemaChange).order_by(SchemaChange.id)).scalars())
    assert {(c.kind, c.column) for c in changes} == {("added", "csrq"), ("removed", "bz")}
    drift = [r for r in revisions(platform) if r.created_by == "system:drift"]
    assert len(drift) == 1 and drift[0].status == "draft"
    items = {i["column"]: i for i in drift[0].payload["items"]}
    assert set(items) == {"rkid", "xm", "csrq"}
    assert items["csrq"]["data_type"] == "日期" and items["xm"]["name"] == "姓名"
    assert all(f"#{c.id}" in (drift[0].note or "") for c in changes)  # the note names the changes
    with platform.sessions() as s:  # readers still see the published version until it is published
        res = s.execute(select(Resource).where(Resource.code == CODE)).scalar_one()
        assert [i.column for i in res.items] == ["rkid", "xm", "bz"]


def test_a_frozen_table_leaves_the_entry_alone(platform: Platform, org: Org, tmp_path: Path) -> None:
    db = tmp_path / "gaj.sqlite"
    table_id = setup_source(platform, db)
    with platform.unit() as s:
        s.get(SourceTable, table_id).drift_policy = "freeze"  # type: ignore[union-attr]
    run(platform, table_id)
    with sqlite3.connect(db) as con:
        con.execute("ALTER TABLE rk ADD COLUMN csrq DATE")
    run(platform, table_id)
    assert not [r for r in revisions(platform) if r.created_by == "system:drift"]


def test_a_dropped_source_table_marks_the_inventory_and_notifies(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    db = tmp_path / "gaj.sqlite"
    table_id = setup_source(platform, db)
    run(platform, table_id)
    with sqlite3.connect(db) as con:
        con.execute("DROP TABLE rk")
    with pytest.raises(GovdataError):
        run(platform, table_id)
    [drift] = [r for r in revisions(platform) if r.created_by == "system:drift"]
    assert "rk" in (drift.note or "") and len(drift.payload["items"]) == 3
    with platform.sessions() as s:
        row = s.execute(select(InventoryTable).where(InventoryTable.table_name == "rk")).scalar_one()
        assert row.gone_at is not None
