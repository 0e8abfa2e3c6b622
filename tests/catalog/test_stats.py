"""Catalog statistics: counts and shares, lateness against the update cycle, coverage, API and page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tests.conftest import SECRET
from tests.factories import people, publish_people

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.stats import catalog_stats
from govdata.db.base import utcnow
from govdata.errors import PermissionDenied
from govdata.ingest.service import add_table, register_source, run_now
from govdata.lake import TableRef
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")


def _file(
    platform,
    code: str,
    dept: str,
    *,
    cycle: str = "每周",
    lake_table: str | None = None,
    publish: bool = True,
    share: str = "无条件共享",
    open_type: str = "不予开放",
) -> None:
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            SYSTEM,
            ResourceIn(
                code=code,
                name=f"资源{code}",
                department=dept,
                summary="统计测试资源",
                category="部门",
                format="数据库",
                share_type=share,
                share_basis="《示例条例》" if share == "不予共享" else None,
                open_type=open_type,
                update_cycle=cycle,
                lake_table=lake_table,
                items=[ItemIn(column="a", name="甲"), ItemIn(column="b", name="乙")],
            ),
        )
        if publish:
            publish_resource(s, platform.audit, SYSTEM, code)


def _seed(platform) -> None:
    """gaj: 2 published (one with an uncatalogued neighbour table); mzj: 1 published, 1 draft."""
    publish_people(platform)  # gaj, 有条件共享, 不予开放, daily, raw.gaj.hj_rk
    _file(platform, "gaj-0002", "gaj", share="不予共享", cycle="每月")  # no lake table, no source
    platform.lake.write(TableRef("raw", "gaj", "uncatalogued"), people(3))
    publish_people(platform, code="mzj-0001", share_type="无条件共享", open_type="无条件开放", dept="mzj")
    _file(platform, "mzj-0002", "mzj", publish=False)


def _stats(platform, actor=SYSTEM, now=None):
    with platform.unit() as s:
        return catalog_stats(s, platform.lake, actor, now=now)


def test_counts_and_shares_per_department_and_in_total(platform, org):
    _seed(platform)
    report = _stats(platform)
    by = {d.department: d for d in report.departments}
    assert set(by) == {"gaj", "mzj", "sjj"}
    gaj, mzj, total = by["gaj"], by["mzj"], report.total
    assert (gaj.resources, gaj.drafts, gaj.items) == (2, 0, 7)
    assert (mzj.resources, mzj.drafts, mzj.items) == (1, 1, 5)
    assert (total.resources, total.drafts, total.items) == (3, 1, 12)
    assert gaj.share["conditional"].count == 1 and gaj.share["conditional"].percent == 50.0
    assert gaj.share["none"].percent == 50.0 and gaj.share["unconditional"].percent == 0.0
    assert total.share["unconditional"].count == 1 and total.share["unconditional"].percent == 33.3
    assert total.open["open"].count == 1 and total.open["closed"].count == 2
    assert sum(p.count for p in total.open.values()) == total.resources
    assert by["sjj"].resources == 0 and by["sjj"].share["none"].percent is None
    assert total.matter_coverage is None  # no department has registered its matters (事项清单)


def test_catalogue_coverage_counts_catalogued_lake_tables(platform, org):
    _seed(platform)
    report = _stats(platform)
    by = {d.department: d for d in report.departments}
    assert (by["gaj"].catalogued_tables, by["gaj"].lake_tables, by["gaj"].coverage) == (1, 2, 50.0)
    assert (by["mzj"].catalogued_tables, by["mzj"].lake_tables, by["mzj"].coverage) == (1, 1, 100.0)
    assert by["sjj"].coverage is None  # no lake tables: nothing to cover
    assert (report.total.catalogued_tables, report.total.lake_tables) == (2, 3)


def test_resources_late_against_their_update_cycle(platform, org):
    _seed(platform)
    now = utcnow()
    fresh = _stats(platform, now=now)
    assert fresh.total.late == 0 and fresh.late_resources == []
    assert fresh.total.assessed == 2  # gaj-0002 has neither a lake table nor a source
    # Both daily tables were last written now: three days on, both are late.
    later = _stats(platform, now=now + dt.timedelta(days=3))
    assert later.total.late == 2
    assert sorted(r.code for r in later.late_resources) == ["330100/1010/gaj-0001", "mzj-0001"]
    assert all(r.last_load_at is not None and r.update_cycle == "daily" for r in later.late_resources)
    assert {d.department: d.late for d in later.departments} == {"gaj": 1, "mzj": 1, "sjj": 0}


def _csv_source(platform, org, tmp_path: Path, code: str, *, run: bool) -> None:
    """A weekly sjj resource without a lake table of its own, fed by a CSV source linked to it."""
    _file(platform, code, "sjj", cycle="每周")
    path = tmp_path / "rk.csv"
    path.write_text("身份证号,姓名\n11010519491231002X,张三\n", encoding="utf-8")
    officer = Actor(
        username="sjj_officer",
        role="data_officer",
        department_id=org.departments["sjj"],
        department_code="sjj",
    )
    with platform.unit() as s:
        source = register_source(
            s, platform.audit, officer, "sjj", "rk", "csv", {"path": str(path)}, secret_key=SECRET
        )
        table = add_table(s, platform.audit, officer, source.id, str(path), "rk_csv", resource_code=code)
        table_id = table.id
    if run:
        run_now(platform.sessions, platform.lake, platform.audit, officer, table_id, secret_key=SECRET)


def test_lateness_from_the_ingest_source_linked_to_the_resource(platform, org, tmp_path):
    _csv_source(platform, org, tmp_path, "sjj-0001", run=True)
    now = utcnow()
    report = _stats(platform, now=now + dt.timedelta(days=3))
    sjj = {d.department: d for d in report.departments}["sjj"]
    assert (sjj.assessed, sjj.late) == (1, 0)  # weekly: three days is fine
    assert (sjj.catalogued_tables, sjj.lake_tables) == (1, 1)  # raw.sjj.rk_csv, through the link
    late = _stats(platform, now=now + dt.timedelta(days=9))
    (row,) = late.late_resources
    assert row.code == "sjj-0001" and row.last_load_at is not None and row.last_load_at <= now


def test_a_linked_table_never_loaded_is_late_once_a_cycle_has_passed(platform, org, tmp_path):
    _csv_source(platform, org, tmp_path, "sjj-0001", run=False)
    assert _stats(platform).total.late == 0
    (row,) = _stats(platform, now=utcnow() + dt.timedelta(days=9)).late_resources
    assert row.code == "sjj-0001" and row.last_load_at is None


def test_stats_need_catalog_read(platform, org):
    auditor = Actor(username="auditor", role="auditor")
    with pytest.raises(PermissionDenied):
        _stats(platform, actor=auditor)


def test_stats_api(client, platform, org, token):
    _seed(platform)
    resp = client.get("/api/v1/catalog/stats", headers=token("mzj_user"))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["total"]["resources"] == 3 and body["total"]["department"] is None
    assert body["total"]["share"]["conditional"] == {"count": 1, "percent": 33.3}
    assert [d["department"] for d in body["departments"]] == ["gaj", "mzj", "sjj"]
    assert body["late_resources"] == []
    assert client.get("/api/v1/catalog/stats", headers=token("auditor")).status_code == 403
    assert client.get("/api/v1/catalog/stats").status_code == 401


def _login(client, org, username: str) -> None:
    client.cookies.clear()
    resp = client.post(
        "/login", data={"username": username, "password": org.password}, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text


def test_stats_page_and_section_with_chart(client, platform, org):
    _seed(platform)
    _login(client, org, "gaj_officer")
    page = client.get("/catalog/stats")
    assert page.status_code == 200
    html = BeautifulSoup(page.text, "html.parser")
    assert html.select_one("head script[src='/static/vendor/echarts.min.js']") is not None
    assert html.select_one("#catalog-stats-chart") is not None
    assert html.select_one("#catalog-stat-resources").text == "3"
    rows = {tr["data-department"]: tr for tr in html.select("#catalog-stats-table tr[data-department]")}
    assert set(rows) == {"gaj", "mzj"}  # sjj has nothing catalogued and no tables
    assert "50%" in rows["gaj"].text and html.select_one(".total-row") is not None
    cells = [td.text for td in html.select_one(".total-row").select("td")]
    assert cells[:4] == ["合计", "3", "1", "12"]  # department, resources, drafts, items
    section = client.get("/catalog/stats/section", params={"lang": "en"})
    assert section.status_code == 200 and "<html" not in section.text
    part = BeautifulSoup(section.text, "html.parser")
    assert part.select_one("#catalog-stats-data") is not None and part.select_one("script:not([type])")
    _login(client, org, "auditor")
    assert client.get("/catalog/stats").status_code == 403
