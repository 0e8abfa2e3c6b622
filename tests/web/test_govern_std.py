"""Standardization over HTTP: the spec API (view, save with every problem, suggest, run) and the page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord, Department
from tests.conftest import Org
from tests.govern.std_seed import CODE, publish

API = f"/api/v1/govern/std/{quote(CODE)}"
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def seeded(platform: Platform, org: Org) -> None:
    """The std test table, and a data bureau (sjj) with its dept_admin ``sjj_admin``."""
    from govdata.security.org import create_user

    publish(platform)
    with platform.unit() as s:
        s.execute(sa.update(Department).where(Department.code == "sjj").values(is_bureau=True))
        create_user(
            s,
            platform.audit,
            Actor.system("test"),
            username="sjj_admin",
            display_name="数据局管理员",
            password=org.password,
            role="dept_admin",
            department_code="sjj",
        )


def test_view_suggests_until_a_spec_is_saved(client: TestClient, seeded: None, token: Headers) -> None:
    resp = client.get(f"{API}/spec", headers=token("gaj_officer"))
    assert resp.status_code == 200, resp.text
    view = resp.json()
    assert (view["saved"], view["version"], view["last_report"]) == (False, 0, None)
    assert view["target_table"] == "std.gaj.hj_rk_std"
    assert "sfzh" in view["columns"] and "code_table" in view["normalizers"]
    spec = view["spec"]
    spec["columns"][2]["normalizer"] = "trim"  # xm
    saved = client.put(f"{API}/spec", json={"spec": spec, "base_version": 0}, headers=token("sjj_admin"))
    assert saved.status_code == 200, saved.text
    assert (saved.json()["saved"], saved.json()["version"]) == (True, 1)
    again = client.get(f"{API}/spec", headers=token("gaj_officer")).json()
    assert again["spec"]["columns"][2]["normalizer"] == "trim"
    stale = client.put(f"{API}/spec", json={"spec": spec, "base_version": 0}, headers=token("sjj_admin"))
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "govern.std.stale_version"


def test_save_refuses_a_bad_spec_with_every_problem(client: TestClient, seeded: None, token: Headers) -> None:
    spec = {
        "columns": [
            {"target": "id", "source": "nope", "normalizer": "id_number_18"},
            {"target": "id", "source": "xm", "normalizer": "soundex"},
        ]
    }
    resp = client.put(f"{API}/spec", json={"spec": spec}, headers=token("sjj_admin"))
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["code"] == "govern.std.missing_column"
    assert "sfzh" in error["message"] and "nope" in error["message_en"]
    problems = error["details"]["problems"]
    assert [p["code"] for p in problems] == [
        "govern.std.missing_column",
        "govern.std.duplicate_target",
        "govern.std.unknown_normalizer",
    ]


def test_permissions(client: TestClient, seeded: None, token: Headers) -> None:
    assert client.get(f"{API}/spec", headers=token("mzj_user")).status_code == 403
    assert client.post(f"{API}/run", headers=token("gaj_officer")).status_code == 403
    body = {"spec": {"columns": [{"target": "xm", "source": "xm"}]}}
    assert (
        client.put(f"{API}/spec", json=body, headers=token("gaj_admin")).status_code == 403
    )  # not the bureau


def test_suggest_and_run(client: TestClient, seeded: None, token: Headers, platform: Platform) -> None:
    suggested = client.post(f"{API}/suggest", headers=token("gaj_officer"))
    assert suggested.status_code == 200
    assert suggested.json()["dedup"] == {"keys": ["sfzh"], "order_by": None}
    resp = client.post(f"{API}/run", headers=token("sjj_admin"))
    assert resp.status_code == 200, resp.text
    report = resp.json()
    assert (report["rows_in"], report["rows_out"], report["duplicates_removed"]) == (6, 5, 1)
    assert platform.lake.exists(TableRef("std", "gaj", "hj_rk_std"))
    view = client.get(f"{API}/spec", headers=token("gaj_officer")).json()
    assert view["last_report"]["rows_out"] == 5
    with platform.unit() as s:
        actions = set(
            s.execute(sa.select(AuditRecord.action).where(AuditRecord.action.like("std.%"))).scalars()
        )
    assert actions == {"std.spec_suggested", "std.standardized"}


def test_unknown_resource_is_404(client: TestClient, seeded: None, token: Headers) -> None:
    resp = client.get("/api/v1/govern/std/no/such/spec", headers=token("gaj_officer"))
    assert resp.status_code == 404


# --- the page -------------------------------------------------------------------------------------------------

PAGE = f"/govern/std/{CODE}"
HX = {"HX-Request": "true"}


def _form(soup: BeautifulSoup, csrf: str) -> dict[str, list[str]]:
    """The spec form's fields as the browser would post them."""
    form = soup.select_one("#std-form")
    assert form is not None
    data: dict[str, list[str]] = {"csrf_token": [csrf]}
    for el in form.select("input[name], select[name]"):
        name = str(el["name"])
        if name == "csrf_token" or (el.get("type") == "checkbox" and not el.has_attr("checked")):
            continue
        if el.name == "select":
            chosen = el.select_one("option[selected]") or el.select_one("option")
            data.setdefault(name, []).append(str(chosen["value"]) if chosen else "")
        else:
            data.setdefault(name, []).append(str(el.get("value", "")))
    return data


def test_page_shows_the_spec_and_edits_it(
    client: TestClient, seeded: None, portal_login: Callable[[str], str]
) -> None:
    csrf = portal_login("sjj_admin")
    page = client.get(PAGE)
    assert page.status_code == 200, page.text
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one("#std-run") is not None
    rows = soup.select("#std-form tbody tr")
    assert [r["data-source"] for r in rows] == ["rkid", "sfzh", "xm", "xb", "csrq", "sjhm"]
    data = _form(soup, csrf)
    data["normalizer"][2] = "soundex"
    refused = client.post(f"{PAGE}/save", data=data, headers=HX)
    assert refused.status_code == 422
    part = BeautifulSoup(refused.text, "html.parser")
    assert part.select_one("#std-spec") is not None and part.select_one("html") is None  # a partial
    assert "soundex" in part.select_one("#std-errors").get_text()
    assert part.select("#std-form tbody tr")[2].select_one(".field-error") is not None
    data["normalizer"][2] = "trim"
    saved = client.post(f"{PAGE}/save", data=data, headers=HX)
    assert saved.status_code == 200, saved.text
    assert BeautifulSoup(saved.text, "html.parser").select_one("#std-saved") is not None
    ran = client.post(f"{PAGE}/run", data={"csrf_token": csrf}, headers=HX)
    assert ran.status_code == 200
    report = BeautifulSoup(ran.text, "html.parser")
    assert report.select_one("#std-report tr[data-target='xb']") is not None
    assert "6" in report.select_one("#std-report-rows").get_text()


def test_page_is_read_only_for_department_officers(
    client: TestClient, seeded: None, portal_login: Callable[[str], str]
) -> None:
    portal_login("gaj_officer")
    soup = BeautifulSoup(client.get(PAGE).text, "html.parser")
    assert soup.select_one("#std-save") is None and soup.select_one("#std-run") is None
    assert soup.select_one("#std-form select[name='normalizer']").has_attr("disabled")
