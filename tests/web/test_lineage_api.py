"""The lineage API and page: who sees what, the error shape, the OpenLineage events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import update

from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.runtime import Platform
from govdata.security.models import Department
from tests.conftest import Org

Headers = Callable[[str], dict[str, str]]
SRC, RAW, STD = "source:gaj/人口库/rk", "raw.gaj.rk_api", "std.gaj.rk_api"


def _seed(platform: Platform) -> None:
    with platform.unit() as s:
        record_lineage(s, job="ingest:gaj/人口库/rk", kind="ingest", inputs=[SRC], outputs=[RAW],
                       column_edges=[ColumnEdge(SRC, "sfzh", RAW, "sfzh"), ColumnEdge(SRC, "xm", RAW, "xm")])  # fmt: skip
        record_lineage(s, job=f"standardize {RAW}", kind="standardize", inputs=[RAW], outputs=[STD],
                       column_edges=[ColumnEdge(RAW, "sfzh", STD, "sfzh", "id_number_18")], version=3)  # fmt: skip
        s.execute(update(Department).where(Department.code == "sjj").values(is_bureau=True))


def test_table_lineage_for_catalog_readers_column_lineage_for_the_owner(
    client: TestClient, platform: Platform, org: Org, token: Headers
) -> None:
    _seed(platform)
    resp = client.get("/api/v1/lineage/graph", params={"dataset": STD}, headers=token("mzj_user"))
    assert resp.status_code == 200, resp.text
    assert [(n["dataset"], n["depth"]) for n in resp.json()["nodes"]] == [(SRC, -2), (RAW, -1), (STD, 0)]
    hidden = client.get(
        "/api/v1/lineage/graph", params={"dataset": STD, "column": "sfzh"}, headers=token("mzj_user")
    )
    assert hidden.status_code == 403
    assert hidden.json()["error"]["code"] == "govern.lineage.columns_hidden"
    own = client.get(
        "/api/v1/lineage/graph", params={"dataset": STD, "column": "sfzh"}, headers=token("gaj_officer")
    )
    assert own.status_code == 200
    edges = {(e["source"], e["target"], e["transform"]) for e in own.json()["edges"]}
    assert edges == {(f"{SRC}#sfzh", f"{RAW}#sfzh", None), (f"{RAW}#sfzh", f"{STD}#sfzh", "id_number_18")}
    assert (
        client.get("/api/v1/lineage/graph", params={"dataset": STD}, headers=token("auditor")).status_code
        == 403
    )
    assert client.get("/api/v1/lineage/graph", params={"dataset": STD}).status_code == 401


def test_unknown_datasets_columns_and_directions_are_named(
    client: TestClient, platform: Platform, org: Org, token: Headers
) -> None:
    _seed(platform)
    officer = token("gaj_officer")
    missing = client.get("/api/v1/lineage/graph", params={"dataset": "raw.gaj.nope"}, headers=officer)
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["code"] == "govern.lineage.unknown_dataset" and "raw.gaj.nope" in error["message_en"]
    column = client.get("/api/v1/lineage/graph", params={"dataset": RAW, "column": "nope"}, headers=officer)
    assert column.json()["error"]["code"] == "govern.lineage.unknown_column"
    assert (
        client.get(
            "/api/v1/lineage/graph", params={"dataset": RAW, "direction": "sideways"}, headers=officer
        ).status_code
        == 422
    )
    found = client.get("/api/v1/lineage/datasets", params={"q": "rk_api"}, headers=officer).json()
    assert [d["name"] for d in found] == [RAW, STD]


def test_openlineage_events_are_for_the_bureau_and_filtered_by_time(
    client: TestClient, platform: Platform, org: Org, token: Headers
) -> None:
    _seed(platform)
    assert client.get("/api/v1/lineage/events", headers=token("mzj_user")).status_code == 403
    bureau = token("sjj_user")
    events = client.get("/api/v1/lineage/events", headers=bureau).json()
    assert [e["job"]["name"] for e in events] == ["ingest:gaj/人口库/rk", f"standardize {RAW}"]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/lineage/events", params={"since": later}, headers=bureau).json() == []


def test_the_lineage_page_lists_datasets_and_draws_a_column(
    client: TestClient, platform: Platform, org: Org
) -> None:
    _seed(platform)
    resp = client.post(
        "/login", data={"username": "gaj_officer", "password": org.password}, follow_redirects=True
    )
    assert resp.status_code == 200
    listing = client.get("/lineage")
    assert listing.status_code == 200 and RAW in listing.text and "数据血缘" in listing.text
    page = client.get("/lineage", params={"dataset": STD, "column": "sfzh", "lang": "en"})
    assert page.status_code == 200
    assert 'id="lineage-graph"' in page.text and "id_number_18" in page.text and "Upstream" in page.text
