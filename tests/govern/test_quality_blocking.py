"""Blocking rules before load, through the real ingest runner: failing rows of the staged batches go
to the quarantine with the rule and reason, never into the lake; everything else loads as before."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
from tests.conftest import SECRET, Org
from tests.govern.quality_seed import CODE, people_with_defects, publish

from govdata.govern.quality.schemas import BindingIn
from govdata.govern.quality.stored import add_binding
from govdata.ingest.models import IngestRun, SourceTable
from govdata.ingest.quarantine import quarantine_rows
from govdata.ingest.runner import run_table
from govdata.ingest.service import add_table, register_source
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")
ROWS, BAD = 120, 7
REF = TableRef("raw", "gaj", "rk_b")


def _source(platform: Platform, db: Path) -> tuple[int, pa.Table]:
    people = people_with_defects(ROWS, bad_ids=BAD).drop_columns(["_source_row"])
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid TEXT PRIMARY KEY, xm TEXT, sfzh TEXT, lxdh TEXT)")
        con.executemany("INSERT INTO rk VALUES (?, ?, ?, ?)", zip(*people.to_pydict().values(), strict=True))
    publish(platform, people, lake_table=REF.key)
    platform.lake.write(REF, people)  # the table exists: bindings are validated against it
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
        return add_table(s, platform.audit, SYSTEM, source.id, "rk", "rk_b", resource_code=CODE).id, people


def _load(platform: Platform, table_id: int) -> IngestRun:
    with platform.sessions() as s:
        table = s.get(SourceTable, table_id)
        assert table is not None
        return run_table(s, platform.lake, platform.audit, SYSTEM, table, secret_key=SECRET, full=True)


def test_blocking_rules_quarantine_failing_rows_before_the_commit(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    table_id, people = _source(platform, tmp_path / "gaj.sqlite")
    with platform.unit() as s:
        add_binding(
            s,
            platform.lake,
            platform.audit,
            SYSTEM,
            CODE,
            BindingIn(rule="id_number", columns=["sfzh"], blocking=True),
        )
        # a second blocking rule that fails one more row, which also has a bad ID: the first rule is named
        expr = {"expression": "rkid <> 'R000000' AND rkid <> 'R000100'", "name": "停用编号"}
        add_binding(
            s,
            platform.lake,
            platform.audit,
            SYSTEM,
            CODE,
            BindingIn(rule="custom_sql", params=expr, blocking=True),
        )
        # not blocking: checked after the load only
        add_binding(
            s,
            platform.lake,
            platform.audit,
            SYSTEM,
            CODE,
            BindingIn(rule="length", columns=["xm"], params={"max": 1}),
        )
    run = _load(platform, table_id)
    assert (run.status, run.rows_read, run.rows_rejected) == ("succeeded", ROWS, BAD + 1)
    loaded = platform.lake.dataset(REF).to_table(columns=["rkid"]).column("rkid").to_pylist()
    bad_keys = set(people.column("rkid").to_pylist()[:BAD]) | {"R000100"}
    assert len(loaded) == ROWS - BAD - 1 and not bad_keys & set(loaded)
    rejected = quarantine_rows(platform.lake, "gaj", "rk_b", run.id).to_pylist()
    assert {r["source_row"] for r in rejected} == {*range(1, BAD + 1), 101}
    first = next(r for r in rejected if r["source_row"] == 1)
    assert (first["reason_code"], first["column"]) == ("govern.quality.blocked", "sfzh")
    assert (
        "id_number(sfzh)" in first["reason"] and "校验码错误" in first["reason"] and "R000000" in first["raw"]
    )
    last = next(r for r in rejected if r["source_row"] == 101)
    assert last["column"] is None and "custom_sql" in last["reason"]


def test_without_blocking_bindings_nothing_is_held_back(platform: Platform, org: Org, tmp_path: Path) -> None:
    table_id, _ = _source(platform, tmp_path / "gaj.sqlite")
    run = _load(platform, table_id)
    assert (run.status, run.rows_rejected) == ("succeeded", 0)
    assert platform.lake.count(REF) == ROWS
