"""API and pages of drafts from sources, coverage and the resource graph, with their permissions."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.models import InventoryTable
from govdata.govern.models import DataElement
from govdata.ingest.service import register_source
from govdata.runtime import Platform
from govdata.security.actor import Actor
from tests.conftest import SECRET, Org

SYSTEM = Actor.system("test")


def gaj_source(platform: Platform, tmp_path: Path) -> int:
    db = tmp_path / "gaj.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE hj_rk (rkid VARCHAR(12) PRIMARY KEY, sfzh VARCHAR(18), xm VARCHAR(30))")
        con.execute("CREATE TABLE hj_qc (qcid VARCHAR(12) PRIMARY KEY, sfzh VARCHAR(18), qcrq DATE)")
    with platform.unit() as s:
        s.add(DataElement(identifier="DE_ID", name="公民身份号码", data_type="字符", aliases=["sfzh"],
                          rules=["id_number"], updated_by="t"))  # fmt: skip
        source = register_source(
            s, platform.audit, SYSTEM, "gaj", "人口库", "sql", {"url": f"sqlite:///{db}", "table": "hj_rk"},
            secret_key=SECRET,
        )  # fmt: skip
        return source.id


def test_api_scan_drafts_accept_and_coverage(
    client: TestClient, platform: Platform, org: Org, token: Callable[[str], dict[str, str]], tmp_path: Path
) -> None:
    source_id = gaj_source(platform, tmp_path)
    gaj, mzj = token("gaj_officer"), token("mzj_officer")
    resp = client.post(f"/api/v1/catalog/sources/{source_id}/scan", headers=gaj)
    assert resp.status_code == 200, resp.text
    assert resp.json()["tables"] == 2
    drafts = client.get(f"/api/v1/catalog/sources/{source_id}/drafts", headers=gaj).json()
    assert [d["table"] for d in drafts] == ["hj_qc", "hj_rk"]
    sfzh = next(i for i in drafts[1]["entry"]["items"] if i["column"] == "sfzh")
    assert (sfzh["element"], sfzh["masking"], sfzh["length"]) == ("DE_ID", "id_number", 18)
    # another department neither sees nor accepts these drafts
    assert client.get(f"/api/v1/catalog/sources/{source_id}/drafts", headers=mzj).status_code == 403
    body = {"tables": [{"table": "hj_rk", "name": "户籍人口", "summary": "全市户籍人口"}]}
    assert (
        client.post(f"/api/v1/catalog/sources/{source_id}/drafts/accept", headers=mzj, json=body).status_code
        == 403
    )
    assert client.post(f"/api/v1/catalog/sources/{source_id}/scan", headers=mzj).status_code == 403
    resp = client.post(f"/api/v1/catalog/sources/{source_id}/drafts/accept", headers=gaj, json=body)
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"codes": ["330100/gaj-hj_rk"]}
    resource = client.get("/api/v1/catalog/resources/330100/gaj-hj_rk", headers=gaj)
    assert resource.status_code == 200 and resource.json()["name"] == "户籍人口"
    cov = client.get("/api/v1/catalog/coverage", headers=mzj).json()
    assert cov["total"] == {
        "department": "",
        "department_name": "",
        "tables": 2,
        "catalogued": 1,
        "percent": 50.0,
    }
    assert cov["departments"][0]["department"] == "gaj"
    stats = client.get("/api/v1/catalog/stats", headers=mzj).json()
    assert (stats["total"]["source_tables"], stats["total"]["source_coverage"]) == (2, 50.0)
    # a data user reads coverage but may not draft
    assert (
        client.get(f"/api/v1/catalog/sources/{source_id}/drafts", headers=token("mzj_user")).status_code
        == 403
    )
    assert client.get("/api/v1/catalog/coverage", headers=token("auditor")).status_code == 403


def publish(platform: Platform) -> None:
    with platform.unit() as s:
        for identifier in ("DE_A", "DE_B"):
            s.add(DataElement(identifier=identifier, name=identifier, data_type="字符", updated_by="t"))
        for code, dept in (("330100/gaj-a", "gaj"), ("330100/mzj-b", "mzj")):
            create_resource(
                s, platform.audit, SYSTEM,
                ResourceIn(code=code, name=f"资源{dept}", department=dept, summary="s", category="department",
                           format="数据库", share_type="unconditional", open_type="closed", update_cycle="daily",
                           source_system=f"{dept}系统",
                           items=[ItemIn(column="a", name="甲", element="DE_A"),
                                  ItemIn(column="b", name="乙", element="DE_B")]),
            )  # fmt: skip
            publish_resource(s, platform.audit, SYSTEM, code)


def test_api_graph_and_duplicates(
    client: TestClient, platform: Platform, org: Org, token: Callable[[str], dict[str, str]]
) -> None:
    publish(platform)
    user = token("mzj_user")
    graph = client.get("/api/v1/catalog/graph", headers=user).json()
    assert {n["type"] for n in graph["nodes"]} == {"department", "system", "resource"}
    assert {
        "source": "resource:330100/gaj-a",
        "target": "resource:330100/mzj-b",
        "kind": "possible_duplicate",
    } in (graph["edges"])
    focus = client.get("/api/v1/catalog/graph", params={"resource": "330100/gaj-a"}, headers=user).json()
    assert {n["id"] for n in focus["nodes"] if n["type"] == "resource"} == {
        "resource:330100/gaj-a",
        "resource:330100/mzj-b",
    }
    dups = client.get("/api/v1/catalog/duplicates", params={"department": "mzj"}, headers=user).json()
    assert [(d["a"], d["b"], d["shared"]) for d in dups] == [
        ("330100/gaj-a", "330100/mzj-b", ["DE_A", "DE_B"])
    ]
    assert client.get("/api/v1/catalog/duplicates", params={"department": "sjj"}, headers=user).json() == []
    assert client.get("/api/v1/catalog/graph", params={"resource": "nope"}, headers=user).status_code == 404
    assert client.get("/api/v1/catalog/graph").status_code == 401


def test_pages_drafts_graph_and_partials(
    client: TestClient,
    platform: Platform,
    org: Org,
    portal_login: Callable[[str], str],
    tmp_path: Path,
) -> None:
    source_id = gaj_source(platform, tmp_path)
    publish(platform)
    csrf = portal_login("gaj_officer")
    page = client.get("/catalog/inventory")
    assert page.status_code == 200 and f'id="source-{source_id}"' in page.text
    assert "没有待编目的表" in page.text  # not scanned yet
    resp = client.post(
        f"/catalog/inventory/{source_id}/scan", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["location"])
    assert 'data-table="hj_rk"' in page.text and "DE_ID" in page.text
    resp = client.post(
        f"/catalog/inventory/{source_id}/accept",
        data={"csrf_token": csrf, "table": "hj_qc", "name": "迁出登记", "summary": "户口迁出"},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = client.get(resp.headers["location"])
    assert "330100/gaj-hj_qc" in page.text and 'data-table="hj_qc"' not in page.text
    with platform.sessions() as s:
        row = s.execute(select(InventoryTable).where(InventoryTable.table_name == "hj_qc")).scalar_one()
        assert row.resource_id is not None
    # without the CSRF token a cookie POST is refused
    refused = client.post(f"/catalog/inventory/{source_id}/scan", data={}, follow_redirects=False)
    assert refused.status_code == 403
    graph = client.get("/catalog/graph?lang=en")
    assert graph.status_code == 200 and 'id="resource-graph"' in graph.text and "Resource graph" in graph.text
    assert "duplicate-row" in graph.text
    section = client.get("/catalog/graph/duplicates", params={"resource": "330100/mzj-b"})
    assert "330100/gaj-a" in section.text
    coverage = client.get("/catalog/coverage/section")
    assert 'data-department="gaj"' in coverage.text and "50%" in coverage.text
    stats = client.get("/catalog/stats")
    assert 'hx-get="/catalog/coverage/section' in stats.text
    detail = client.get("/catalog/resources/330100/gaj-a")
    assert 'hx-get="/catalog/graph/duplicates?resource=330100/gaj-a' in detail.text


def test_another_department_cannot_scan_or_accept_from_the_portal(
    client: TestClient, platform: Platform, org: Org, portal_login: Callable[[str], str], tmp_path: Path
) -> None:
    source_id = gaj_source(platform, tmp_path)
    csrf = portal_login("mzj_officer")
    page = client.get("/catalog/inventory")
    assert page.status_code == 200 and f'id="source-{source_id}"' not in page.text
    resp = client.post(
        f"/catalog/inventory/{source_id}/scan", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert resp.status_code == 403
    resp = client.post(
        f"/catalog/inventory/{source_id}/accept",
        data={"csrf_token": csrf, "table": "hj_rk"},
        follow_redirects=False,
    )
    assert resp.status_code == 403
    portal_login("mzj_user")
    assert client.get("/catalog/inventory", follow_redirects=False).status_code in (303, 403)
