"""Drafts from sources (应编尽编) over the demo city's real sources: scan, propose, accept, coverage."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import SECRET

from govdata.catalog import create_resource
from govdata.catalog.drafts import (
    DraftEdit,
    accept_drafts,
    coverage,
    data_type,
    propose_drafts,
    scan_source,
    total_coverage,
)
from govdata.catalog.models import InventoryTable, Resource, Revision
from govdata.catalog.schemas import ResourceIn
from govdata.demo import DemoManifest, generate
from govdata.errors import NotFound, PermissionDenied
from govdata.govern.models import DataElement
from govdata.ingest.service import register_source
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.org import create_department, department_by_code, ensure_region

SYSTEM = Actor.system("test")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoManifest]:
    out = tmp_path_factory.mktemp("city")
    return out, generate(out)


def seed_elements(platform: Platform) -> None:
    """The few data elements the tests bind (the standards library seeds the real ones)."""
    with platform.unit() as s:
        for identifier, name, aliases, rules in [
            ("DE_ID_NUMBER", "公民身份号码", ["sfzh", "gmsfhm", "身份证号"], ["id_number"]),
            ("DE_NAME", "姓名", ["xm"], []),
            ("DE_GENDER", "性别", ["xb"], []),
            ("DE_PHONE", "联系电话", ["lxdh", "sjhm"], ["phone"]),
            ("DE_USCC", "统一社会信用代码", ["shxydm", "tyshxydm"], ["uscc"]),
        ]:
            s.add(
                DataElement(
                    identifier=identifier,
                    name=name,
                    data_type="字符",
                    aliases=aliases,
                    rules=rules,
                    updated_by="t",
                )
            )


def build_sources(platform: Platform, city: tuple[Path, DemoManifest], tmp: Path) -> dict[str, int]:
    """The demo's departments and sources (SQLite files and the messy files copied to ``tmp``)."""
    root, manifest = city
    copy = tmp / "city"
    shutil.copytree(root, copy)
    ids: dict[str, int] = {}
    with platform.unit() as s:
        ensure_region(s, "330000", "浙江省", "province", None)
        ensure_region(s, "330100", "示例市", "city", "330000")
        for d in manifest.departments:
            create_department(
                s, platform.audit, SYSTEM, code=d.code, name=d.name, uscc=d.uscc, region_code=d.region,
                is_bureau=d.code == "sjj",
            )  # fmt: skip
        for src in manifest.sources:
            config = {k: str(v).replace(str(root), str(copy)) if isinstance(v, str) else v
                      for k, v in src.config.items()}  # fmt: skip
            source = register_source(
                s, platform.audit, SYSTEM, src.dept, src.name, src.connector, config, secret_key=SECRET
            )
            ids[src.lake_table] = source.id
    return ids


def officer(platform: Platform, dept: str) -> Actor:
    with platform.sessions() as s:
        d = department_by_code(s, dept)
        return Actor(
            username=f"{dept}_officer", role="data_officer", department_id=d.id, department_code=dept
        )


def scan_all(platform: Platform, ids: dict[str, int]) -> None:
    with platform.unit() as s:
        for source_id in ids.values():
            scan_source(s, platform.audit, SYSTEM, source_id, SECRET)


def test_scan_records_every_table_of_the_demo_sources(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = build_sources(platform, city, tmp_path)
    with platform.unit() as s:
        result = scan_source(s, platform.audit, SYSTEM, ids["hj_rk"], SECRET)
    assert (result.tables, result.new, result.gone, result.linked) == (1, 1, 0, 0)
    scan_all(platform, ids)
    with platform.sessions() as s:
        rows = {r.table_name: r for r in s.execute(select(InventoryTable)).scalars()}
    assert set(rows) == {
        "hj_rk",
        "sb_cbry",
        "qy_jbxx",
        "jt_llsj",
        "kq_jcsj",
        "mzj_hy_djxx",
        "wjw_cs_yxzm",
        "mzj_db_dx",
    }
    cols = {c["name"]: c for c in rows["hj_rk"].columns}
    assert cols["sfzh"]["type"] == "string" and cols["sfzh"]["length"] == 18
    assert cols["djrq"]["type"] == "date32[day]"
    assert cols["rkid"]["nullable"] is True  # SQLite lets a text primary key hold NULL
    assert {c["name"] for c in rows["mzj_hy_djxx"].columns} >= {"男方身份证号", "女方姓名"}  # a CSV's header


def test_drafts_have_typed_items_and_suggested_elements(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_elements(platform)
    ids = build_sources(platform, city, tmp_path)
    scan_all(platform, ids)
    with platform.sessions() as s:
        [draft] = propose_drafts(s, officer(platform, "gaj"), ids["hj_rk"])
        [traffic] = propose_drafts(s, SYSTEM, ids["jt_llsj"])
        [marriage] = propose_drafts(s, SYSTEM, ids["hy_djxx"])
    entry = draft.entry
    assert draft.table == "hj_rk" and entry.department == "gaj"
    assert entry.name == "户籍人口基本信息"  # the source's name: it holds this one table
    assert entry.code == "330100/gaj-hj_rk"
    assert entry.share_type == "conditional" and entry.share_condition and entry.open_type == "closed"
    items = {i.column: i for i in entry.items}
    assert len(items) == 11
    assert (items["sfzh"].data_type, items["sfzh"].length, items["sfzh"].element) == (
        "字符",
        18,
        "DE_ID_NUMBER",
    )
    assert items["sfzh"].sensitive and items["sfzh"].masking == "id_number"
    assert items["sfzh"].name == "公民身份号码"
    assert items["lxdh"].element == "DE_PHONE" and items["lxdh"].masking == "mobile"
    assert items["xm"].element == "DE_NAME" and not items["xm"].sensitive and items["xm"].masking is None
    assert items["djrq"].data_type == "日期"
    assert items["hjdz"].element is None and items["hjdz"].name == "hjdz"
    t = {i.column: i for i in traffic.entry.items}
    assert t["cjsj"].data_type == "日期时间" and t["cll"].data_type == "数值" and t["pjsd"].length == 5
    m = {i.column: i for i in marriage.entry.items}
    assert m["男方身份证号"].element == "DE_ID_NUMBER"  # the alias 身份证号 ends the header
    assert marriage.entry.format == "电子表格"


def test_accept_files_a_draft_and_links_the_inventory(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = build_sources(platform, city, tmp_path)
    scan_all(platform, ids)
    gaj = officer(platform, "gaj")
    with platform.unit() as s:
        [res] = accept_drafts(
            s,
            platform.audit,
            gaj,
            ids["hj_rk"],
            [DraftEdit(table="hj_rk", name="户籍人口", summary="全市户籍人口")],
        )
        code = res.code
    with platform.sessions() as s:
        res = s.execute(select(Resource).where(Resource.code == code)).scalar_one()
        assert (res.name, res.summary, res.status) == ("户籍人口", "全市户籍人口", "draft")
        assert len(res.items) == 11
        row = s.execute(select(InventoryTable).where(InventoryTable.table_name == "hj_rk")).scalar_one()
        assert row.resource_id == res.id
        assert propose_drafts(s, gaj, ids["hj_rk"]) == []
    with platform.unit() as s, pytest.raises(NotFound):
        accept_drafts(s, platform.audit, gaj, ids["hj_rk"], [DraftEdit(table="hj_rk")])


def test_a_department_drafts_only_its_own_sources(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = build_sources(platform, city, tmp_path)
    mzj = officer(platform, "mzj")
    with platform.unit() as s, pytest.raises(PermissionDenied):
        scan_source(s, platform.audit, mzj, ids["hj_rk"], SECRET)
    with platform.sessions() as s, pytest.raises(PermissionDenied):
        propose_drafts(s, mzj, ids["hj_rk"])
    with platform.sessions() as s, pytest.raises(NotFound):
        propose_drafts(s, mzj, 999_999)


def test_coverage_counts_catalogued_source_tables(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = build_sources(platform, city, tmp_path)
    # 公安 holds a second, uncatalogued table in its database
    gaj_db = Path(str(tmp_path / "city" / "sources" / "gaj.sqlite"))
    with sqlite3.connect(gaj_db) as con:
        con.execute("CREATE TABLE hj_qc (qcid VARCHAR(12) PRIMARY KEY, sfzh VARCHAR(18), qcrq DATE NOT NULL)")
    scan_all(platform, ids)
    with platform.unit() as s:
        accept_drafts(s, platform.audit, SYSTEM, ids["hj_rk"], [DraftEdit(table="hj_rk")])
        accept_drafts(s, platform.audit, SYSTEM, ids["db_dx"], [DraftEdit(table="mzj_db_dx")])
    with platform.sessions() as s:
        rows = {c.department: c for c in coverage(s, SYSTEM)}
        names = {d.table for d in propose_drafts(s, SYSTEM, ids["hj_rk"])}
    assert names == {"hj_qc"}
    with platform.sessions() as s:
        [draft] = propose_drafts(s, SYSTEM, ids["hj_rk"])
    assert draft.entry.name == "hj_qc"  # two tables: named by the table
    assert [i.required for i in draft.entry.items] == [False, False, True]
    assert (rows["gaj"].tables, rows["gaj"].catalogued, rows["gaj"].percent) == (2, 1, 50.0)
    assert (rows["mzj"].tables, rows["mzj"].catalogued, rows["mzj"].percent) == (2, 1, 50.0)
    assert (rows["rsj"].tables, rows["rsj"].catalogued, rows["rsj"].percent) == (1, 0, 0.0)
    total = total_coverage(list(rows.values()))
    assert (total.tables, total.catalogued, total.percent) == (9, 2, 22.2)


def test_a_table_gone_at_the_source_is_marked_not_deleted(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = build_sources(platform, city, tmp_path)
    gaj_db = tmp_path / "city" / "sources" / "gaj.sqlite"
    with sqlite3.connect(gaj_db) as con:
        con.execute("CREATE TABLE hj_qc (qcid VARCHAR(12) PRIMARY KEY, sfzh VARCHAR(18))")
    scan_all(platform, ids)
    with platform.unit() as s:
        [res] = accept_drafts(s, platform.audit, SYSTEM, ids["hj_rk"], [DraftEdit(table="hj_qc")])
        res_id = res.id
    with sqlite3.connect(gaj_db) as con:
        con.execute("DROP TABLE hj_qc")
    with platform.unit() as s:
        result = scan_source(s, platform.audit, SYSTEM, ids["hj_rk"], SECRET)
    assert (result.tables, result.gone) == (1, 1)
    with platform.sessions() as s:
        row = s.execute(select(InventoryTable).where(InventoryTable.table_name == "hj_qc")).scalar_one()
        assert row.gone_at is not None and row.resource_id == res_id
        rows = {c.department: c for c in coverage(s, SYSTEM)}
        assert (rows["gaj"].tables, rows["gaj"].catalogued) == (1, 0)
        revisions = list(s.execute(select(Revision).where(Revision.resource_id == res_id)).scalars())
    assert any("hj_qc" in (r.note or "") for r in revisions)  # the entry's officer hears of it


@pytest.mark.parametrize(
    ("arrow", "word"),
    [("string", "字符"), ("int64", "数值"), ("decimal128(12, 2)", "数值"), ("date32[day]", "日期"),
     ("timestamp[us, tz=UTC]", "日期时间"), ("bool", "布尔"), ("time64[us]", "字符"), ("binary", "二进制")],
)  # fmt: skip
def test_type_words(arrow: str, word: str) -> None:
    assert data_type(arrow) == word


def test_every_demo_draft_passes_the_catalog_rules(platform: Platform, city, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_elements(platform)
    ids = build_sources(platform, city, tmp_path)
    scan_all(platform, ids)
    with platform.unit() as s:
        for source_id in ids.values():
            tables = [DraftEdit(table=d.table) for d in propose_drafts(s, SYSTEM, source_id)]
            accept_drafts(s, platform.audit, SYSTEM, source_id, tables)
    with platform.sessions() as s:
        rows = coverage(s, SYSTEM)
        marriage = s.execute(select(Resource).where(Resource.code == "330100/mzj-mzj_hy_djxx")).scalar_one()
        names = [i.name for i in marriage.items]
    assert total_coverage(rows).percent == 100.0
    assert len(names) == len(set(names))  # two ID-number columns: item names stay unique


def test_scan_links_tables_an_ingest_table_already_loads_for_a_resource(
    platform: Platform,
    city,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    from govdata.ingest.models import Source
    from govdata.ingest.service import add_table

    ids = build_sources(platform, city, tmp_path)
    scan_all(platform, ids)
    with platform.unit() as s:
        [draft] = propose_drafts(s, SYSTEM, ids["hy_djxx"])
        res = create_resource(s, platform.audit, SYSTEM, draft.entry)  # catalogued by hand, not by accepting
        path = s.get(Source, ids["hy_djxx"]).config["path"]  # type: ignore[union-attr]
        add_table(s, platform.audit, SYSTEM, ids["hy_djxx"], path, "hy_djxx", resource_code=res.code)
        res_id = res.id
    with platform.unit() as s:
        result = scan_source(s, platform.audit, SYSTEM, ids["hy_djxx"], SECRET)
    assert result.linked == 1
    with platform.sessions() as s:
        row = s.execute(select(InventoryTable).where(InventoryTable.table_name == "mzj_hy_djxx")).scalar_one()
        assert row.resource_id == res_id
        assert propose_drafts(s, SYSTEM, ids["hy_djxx"]) == []


def test_an_accepted_draft_is_not_submitted_with_its_placeholder_condition(  # type: ignore[no-untyped-def]
    platform: Platform, city, tmp_path: Path
) -> None:
    from govdata.catalog import lifecycle
    from govdata.catalog.service import get_resource, to_out
    from govdata.errors import InvalidInput

    ids = build_sources(platform, city, tmp_path)
    scan_all(platform, ids)
    gaj = officer(platform, "gaj")
    with platform.unit() as s:
        [res] = accept_drafts(s, platform.audit, gaj, ids["hj_rk"], [DraftEdit(table="hj_rk")])
        code = res.code
    with platform.unit() as s, pytest.raises(InvalidInput) as refused:
        lifecycle.submit(s, platform.audit, gaj, code)
    assert refused.value.code == "catalog.placeholder_left"
    with platform.unit() as s:
        entry = to_out(get_resource(s, code))
        data = ResourceIn.model_validate(
            entry.model_dump() | {"share_condition": "仅限公安、民政部门履职使用"}
        )
        lifecycle.revise(s, platform.audit, gaj, code, data)
        assert lifecycle.submit(s, platform.audit, gaj, code).status == "submitted"
