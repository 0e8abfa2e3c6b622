"""Profile API and page: who sees what (metadata with catalog.read, columns with quality.read),
refresh, history, audit of every read, masked values, the page with its bars, details and chart."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from govdata.runtime import Platform
from govdata.security.models import AuditRecord
from tests.conftest import Org
from tests.govern.quality_seed import CODE, REF, people_with_defects, publish

API = "/api/v1/govern/profiles"


@pytest.fixture
def people(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(60, bad_ids=2, blank_names=6))


def _audited(platform: Platform, action: str) -> list[AuditRecord]:
    with platform.sessions() as s:
        return list(
            s.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq))
        )


def test_refresh_then_read_by_role(
    client: TestClient, token: Callable[[str], dict[str, str]], platform: Platform, people: None
) -> None:
    officer, user = token("gaj_officer"), token("mzj_user")
    assert client.post(f"{API}/{CODE}/refresh", headers=user).status_code == 403
    assert client.post(f"{API}/{CODE}/refresh", headers=token("sysadmin")).status_code == 403
    fresh = client.post(f"{API}/{CODE}/refresh", headers=officer)
    assert fresh.status_code == 200, fresh.text
    body = fresh.json()
    assert (body["rows"], body["lake_version"], body["columns_visible"]) == (60, 0, True)
    xm = next(c for c in body["columns"] if c["name"] == "xm")
    assert xm["nulls"] == 6 and xm["masked"] and all(t["value"].endswith("*") for t in xm["top_values"])
    assert body["metadata"]["rows"] == 60 and body["metadata"]["table"] == REF.key

    seen = client.get(f"{API}/{CODE}", headers=user).json()
    assert seen["metadata"]["versions"] == 1 and seen["rows"] == 60
    assert seen["columns"] is None and seen["columns_visible"] is False
    assert client.get(f"{API}/{CODE}", headers=token("sysadmin")).status_code == 403
    assert client.get(f"{API}/{CODE}", headers=token("auditor")).status_code == 403
    reads = _audited(platform, "profile.read")
    assert [r.actor for r in reads][-1] == "mzj_user"
    assert _audited(platform, "profile.created")[0].actor == "gaj_officer"


def test_history_by_column(
    client: TestClient, token: Callable[[str], dict[str, str]], platform: Platform, people: None
) -> None:
    officer = token("gaj_officer")
    client.post(f"{API}/{CODE}/refresh", headers=officer)
    platform.lake.write(REF, people_with_defects(80, bad_ids=0, blank_names=40))
    client.post(f"{API}/{CODE}/refresh", headers=officer)
    hist = client.get(f"{API}/{CODE}/history", params={"column": "xm"}, headers=officer).json()
    assert [(p["lake_version"], p["rows"], p["column"]["null_share"]) for p in hist["points"]] == [
        (0, 60, 0.1),
        (1, 80, 0.5),
    ]
    user = token("mzj_user")
    assert [p["rows"] for p in client.get(f"{API}/{CODE}/history", headers=user).json()["points"]] == [60, 80]
    refused = client.get(f"{API}/{CODE}/history", params={"column": "xm"}, headers=user)
    assert refused.status_code == 403
    bad = client.get(f"{API}/{CODE}/history", params={"column": "nope"}, headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "govern.profile.unknown_column"
    missing = client.get(f"{API}/no/such-resource", headers=officer)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "catalog.not_found"
    assert _audited(platform, "profile.history_read")


def test_profile_page(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, people: None
) -> None:
    csrf = portal_login("gaj_officer")
    detail = client.get(f"/catalog/resources/{CODE}")
    assert BeautifulSoup(detail.text, "html.parser").select_one("#profile-link") is not None
    empty = BeautifulSoup(client.get(f"/profiles/{CODE}").text, "html.parser")
    assert empty.select_one("#meta-rows").get_text() == "60"
    assert empty.select_one("#profile-columns .empty") is not None
    done = client.post(f"/profiles/{CODE}/refresh", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    page = BeautifulSoup(client.get(done.headers["location"]).text, "html.parser")
    rows = page.select("#profile-columns tr[data-column]")
    assert [r["data-column"] for r in rows] == ["rkid", "xm", "sfzh", "lxdh"]
    xm = page.select_one('tr[data-column="xm"] [data-share]')
    assert xm is not None and xm.get_text() == "10.0%"
    assert "99999999999999999" in page.select_one("#profile-columns").get_text()  # sfzh's pattern
    for sfzh in people_with_defects(60, bad_ids=2).column("sfzh").to_pylist():
        assert sfzh not in page.get_text()
    assert page.select_one("#profile-chart") is not None and page.select_one("#trend-column") is not None
    english = client.get(f"/profiles/{CODE}?lang=en&column=sfzh").text
    assert "Column profiles" in english and 'value="sfzh" selected' in english


def test_profile_page_without_quality_read(
    client: TestClient, portal_login: Callable[[str], str], people: None
) -> None:
    portal_login("mzj_user")
    page = BeautifulSoup(client.get(f"/profiles/{CODE}").text, "html.parser")
    assert page.select_one("#meta-rows") is not None
    assert page.select_one("#profile-refresh") is None and not page.select("tr[data-column]")
