"""The issue's check: lineage of a base column reaches its source columns — through the real ingest
runner (source → raw, recorded by the pipeline's lineage step), the std engineer's ``standardize``
(raw → std) and a recorded merge (std → base: the master-data merge is not built yet), and forward to
the sharing and open-data services that expose the column."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from tests.conftest import SECRET, Org
from tests.factories import PEOPLE_ITEMS, people

from govdata.catalog import ResourceIn, create_resource, publish_resource
from govdata.errors import PermissionDenied
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.govern.lineage.capture import rebuild, source_dataset
from govdata.govern.lineage.graph import column_lineage, table_lineage
from govdata.govern.lineage.models import LineageColumnEdge, LineageRun
from govdata.govern.standardize.run import standardize
from govdata.ingest.models import IngestRun, SourceTable
from govdata.ingest.runner import run_table
from govdata.ingest.service import add_table, register_source
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.auth import actor_for
from govdata.security.models import AuditRecord, User
from govdata.share.service import apply

SYSTEM = Actor.system("test")
CODE = "330100/1010/gaj-l001"
SOURCE = "source:gaj/人口库/rk"
RAW, STD, BASE = (
    TableRef("raw", "gaj", "rk_l"),
    TableRef("std", "gaj", "rk_l"),
    TableRef("base", "gaj", "rk_l"),
)


def _actor(platform: Platform, username: str) -> Actor:
    with platform.sessions() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


def _load(platform: Platform, db: Path) -> IngestRun:
    rows = people(40)
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid TEXT PRIMARY KEY, xm TEXT, sfzh TEXT, lxdh TEXT, hjdz TEXT)")
        con.executemany("INSERT INTO rk VALUES (?, ?, ?, ?, ?)", zip(*rows.to_pydict().values(), strict=True))
    with platform.unit() as s:
        source = register_source(s, platform.audit, SYSTEM, "gaj", "人口库", "sql",
                                 {"url": f"sqlite:///{db}", "table": "rk"}, secret_key=SECRET)  # fmt: skip
        table_id = add_table(s, platform.audit, SYSTEM, source.id, "rk", RAW.table).id
    with platform.sessions() as s:
        table = s.get(SourceTable, table_id)
        assert table is not None
        return run_table(s, platform.lake, platform.audit, SYSTEM, table, secret_key=SECRET)


def _standardize_and_merge(platform: Platform) -> None:
    with platform.unit() as s:
        standardize(s, platform.lake, platform.audit, SYSTEM, RAW)
    columns = platform.lake.schema(STD).names
    with platform.unit() as s:  # the merge std → base is not built yet: recorded as it will record it
        edges = [
            ColumnEdge(STD.key, c, BASE.key, c, "merge by sfzh") for c in columns if not c.startswith("_")
        ]
        record_lineage(s, job=f"merge {BASE.key}", kind="merge", inputs=[STD.key, BASE.key], outputs=[BASE.key],
                       column_edges=edges, version=1)  # fmt: skip


def _publish_base_and_share(platform: Platform, org: Org) -> None:
    with platform.unit() as s:
        create_resource(s, platform.audit, SYSTEM, ResourceIn(
            code=CODE, name="人口基础库", department="gaj", summary="人口基础库（血缘测试）", category="基础",
            format="数据库", share_type="无条件共享", open_type="无条件开放", update_cycle="每日",
            lake_table=BASE.key, key_column="sfzh", items=[i for i in PEOPLE_ITEMS if i.column != "hjdz"],
        ))  # fmt: skip
        publish_resource(s, platform.audit, SYSTEM, CODE)
    with platform.unit() as s:
        apply(s, platform.audit, _actor(platform, "mzj_user"), CODE, ["sfzh", "xm"], "低保资格核验")


def test_a_base_column_reaches_its_source_column_and_the_services_that_expose_it(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    run = _load(platform, tmp_path / "gaj.sqlite")
    assert run.status == "succeeded"
    _standardize_and_merge(platform)
    _publish_base_and_share(platform, org)
    officer = _actor(platform, "gaj_officer")
    with platform.sessions() as s:
        graph = column_lineage(s, officer, BASE.key, "sfzh", "both")
        ids = {n.id: n for n in graph.nodes}
        assert ids[f"{SOURCE}#sfzh"].depth == -3 and ids[f"{SOURCE}#sfzh"].kind == "source"
        assert ids[f"{RAW.key}#sfzh"].depth == -2 and ids[f"{STD.key}#sfzh"].depth == -1
        assert ids[f"service:share/{CODE}/mzj#sfzh"].depth == 1
        assert ids[f"service:opendata/{CODE}#sfzh"].depth == 1
        assert f"{SOURCE}#xm" not in ids  # another column's lineage stays out
        jobs = {(e.source, e.job_kind) for e in graph.edges}
        assert (f"{SOURCE}#sfzh", "ingest") in jobs and (f"{RAW.key}#sfzh", "standardize") in jobs

        forward = column_lineage(s, officer, SOURCE, "sfzh", "downstream")
        assert {f"service:share/{CODE}/mzj#sfzh", f"{BASE.key}#sfzh"} <= {n.id for n in forward.nodes}
        # hjdz is loaded and standardized but not in the catalog: no service exposes it
        hjdz = column_lineage(s, officer, SOURCE, "hjdz", "downstream")
        assert not [n for n in hjdz.nodes if n.kind == "service"]

        # the consumer follows the service it receives back to the source (the resource is published)
        service = column_lineage(
            s, _actor(platform, "mzj_user"), f"service:share/{CODE}/mzj", "sfzh", "upstream"
        )
        assert service.nodes[0].id == f"{SOURCE}#sfzh" and service.nodes[0].depth == -4

        tables = table_lineage(s, _actor(platform, "mzj_user"), BASE.key, "upstream")
        assert [n.dataset for n in tables.nodes] == [SOURCE, RAW.key, STD.key, BASE.key]


def test_the_ingest_lineage_is_refreshed_not_duplicated_and_can_be_rebuilt(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    _load(platform, tmp_path / "gaj.sqlite")
    with platform.sessions() as s:
        before = len(s.scalars(select(LineageColumnEdge)).all())
        assert before == 5  # rkid, xm, sfzh, lxdh, hjdz: the _-prefixed bookkeeping columns are left out
    with platform.unit() as s:
        assert rebuild(s, platform.lake, platform.audit, SYSTEM) == 1
    with platform.sessions() as s:
        assert len(s.scalars(select(LineageColumnEdge)).all()) == before
        assert len(s.scalars(select(LineageRun)).all()) == 2  # one event per recorded run
        assert s.scalar(select(AuditRecord.rows).where(AuditRecord.action == "lineage.rebuilt")) == 1


def test_column_lineage_of_an_unpublished_table_is_for_its_department_and_the_bureau(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    _load(platform, tmp_path / "gaj.sqlite")
    with platform.sessions() as s:
        assert column_lineage(s, _actor(platform, "gaj_officer"), RAW.key, "sfzh").nodes
        assert table_lineage(s, _actor(platform, "mzj_user"), RAW.key).nodes
        with pytest.raises(PermissionDenied):
            column_lineage(s, _actor(platform, "mzj_user"), RAW.key, "sfzh")
        with pytest.raises(PermissionDenied):
            table_lineage(s, _actor(platform, "auditor"), RAW.key)


def test_a_file_source_is_named_by_its_file_not_its_folder() -> None:
    source = SimpleNamespace(name="婚姻登记")
    for path in ("/srv/drop/mzj_hy.csv", "C:\\drop\\mzj_hy.csv", "mzj_hy.csv"):
        table = SimpleNamespace(source_table=path)
        assert source_dataset("mzj", source, table) == "source:mzj/婚姻登记/mzj_hy.csv"  # type: ignore[arg-type]
