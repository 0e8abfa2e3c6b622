"""Manifest shape: departments, sources with catalog metadata, JSON round trip."""

from __future__ import annotations

import json
from pathlib import Path

from govdata.demo import DemoManifest
from govdata.govern.standards import check_uscc
from govdata.security.masking import MASKERS

City = tuple[Path, DemoManifest]
SHARE = {"无条件共享", "有条件共享", "不予共享"}
OPEN = {"无条件开放", "有条件开放", "不予开放"}
CYCLES = {"实时", "每日", "每周", "每月", "每季度", "每半年", "每年"}
MASKING = {None, *MASKERS.names()}


def test_round_trip(city: City) -> None:
    out, manifest = city
    loaded = DemoManifest.load(out / "manifest.json")
    assert loaded == manifest
    assert DemoManifest.load(out) == manifest
    assert json.loads(manifest.to_json())["seed"] == manifest.seed


def test_departments_have_valid_credit_codes(city: City) -> None:
    _, manifest = city
    codes = {d.code for d in manifest.departments}
    assert {"sjj", "gaj", "mzj", "rsj", "scjgj", "wjw", "jtj", "sthjj"} <= codes
    for dept in manifest.departments:
        check = check_uscc(dept.uscc)
        assert check.valid and check.warning is None, dept
        assert dept.uscc.startswith("11330100") and dept.region == "330100"
        assert dept.code.isascii() and dept.code.islower()


def test_sources_carry_connector_config_and_resources(city: City) -> None:
    _, manifest = city
    depts = {d.code for d in manifest.departments}
    assert {s.connector for s in manifest.sources} == {"sql", "csv", "excel", "json"}
    assert not [s for s in manifest.sources if s.dept == "sjj"]
    codes = [s.resource["code"] for s in manifest.sources]
    assert len(set(codes)) == len(codes)
    for source in manifest.sources:
        assert source.dept in depts and source.lake_table.isascii()
        assert source.lake_table in manifest.truth.row_counts
        if source.connector == "sql":
            assert source.config["url"].startswith("sqlite:////")
            assert set(source.config) == {"url", "table", "schema"}
        else:
            assert Path(source.config["path"]).is_absolute() and Path(source.config["path"]).exists()
            assert "encoding" not in source.config
        res = source.resource
        assert res["code"].startswith("330100/") and res["code"].endswith(
            f"/{source.dept}-{res['code'][-3:]}"
        )
        assert res["category"] in {"基础", "主题", "部门"}
        assert res["share_type"] in SHARE and res["open_type"] in OPEN and res["update_cycle"] in CYCLES
        if res["share_type"] == "有条件共享":
            assert res["share_condition"]
        if res["share_type"] == "不予共享":
            assert res["legal_basis"]
        columns = [i["column"] for i in res["items"]]
        assert source.key in columns
        for item in res["items"]:
            assert item["data_type"] in {"字符", "数值", "日期", "日期时间"} and item["length"] > 0
            assert item["masking"] in MASKING
            assert item["sensitive"] == (item["masking"] is not None)
    share_types = {s.resource["share_type"] for s in manifest.sources}
    assert share_types == SHARE
