"""Standards library over HTTP: the JSON API (codes with "/" and spaces in the path), the portal pages
and forms with per-field errors in zh and en, permissions and CSRF."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.govern import seed_library
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord, Department
from tests.conftest import Org

GENDER = "GB/T 2261.1-2003"
GENDER_PATH = quote(GENDER)  # GB/T%202261.1-2003
API = "/api/v1/standards"
Login = Callable[[str], str]
Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def library(platform: Platform, org: Org) -> None:
    """The seeded library, and a data bureau (sjj) with its own dept_admin, ``sjj_admin``."""
    from govdata.security.org import create_user

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
        seed_library(s, platform.audit)


def _element_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "identifier": "household_no",
        "name": "户号",
        "format": "c..16",
        "aliases": ["hh"],
    }
    return body | changes


# --- API -----------------------------------------------------------------------------------------------------


def test_search_and_read_elements(client: TestClient, library: None, token: Headers) -> None:
    headers = token("mzj_user")
    found = client.get(f"{API}/elements", params={"q": "sfzh"}, headers=headers).json()
    assert found["total"] == 1 and found["items"][0]["identifier"] == "id_number"
    page = client.get(f"{API}/elements", params={"limit": 5, "offset": 5}, headers=headers).json()
    assert page["total"] >= 17 and len(page["items"]) == 5
    gender = client.get(f"{API}/elements/gender", headers=headers).json()
    assert gender["code_table"] == GENDER and gender["rules"] == ["code_set", "id_gender"]
    missing = client.get(f"{API}/elements/nope", headers=headers)
    assert (
        missing.status_code == 404 and missing.json()["error"]["code"] == "govern.library.element_not_found"
    )


def test_code_tables_travel_as_encoded_paths(client: TestClient, library: None, token: Headers) -> None:
    headers = token("mzj_user")
    assert GENDER in [t["code"] for t in client.get(f"{API}/code-tables", headers=headers).json()]
    table = client.get(f"{API}/code-tables/{GENDER_PATH}", headers=headers)
    assert table.status_code == 200, table.text
    assert [v["code"] for v in table.json()["values"]] == ["0", "1", "2", "9"]
    history = client.get(f"{API}/code-tables/{GENDER_PATH}/history", headers=headers).json()
    assert [h["version"] for h in history] == [1] and history[0]["snapshot"]["code"] == GENDER
    ethnic = client.get(f"{API}/code-tables/{quote('GB/T 3304-1991')}", headers=headers).json()
    assert len(ethnic["values"]) == 58


def test_the_bureau_creates_and_edits_through_the_api(
    client: TestClient, library: None, token: Headers
) -> None:
    headers = token("sjj_admin")
    created = client.post(f"{API}/elements", json=_element_body(), headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["version"] == 1 and created.json()["length"] == 16
    body = _element_body(aliases=["hh", "hjh"], base_version=1)
    del body["identifier"]
    updated = client.put(f"{API}/elements/household_no", json=body, headers=headers)
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = client.put(f"{API}/elements/household_no", json=body | {"description": "x"}, headers=headers)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "govern.library.stale_version"
    diff = client.get(
        f"{API}/elements/household_no/diff", params={"from": 1, "to": 2}, headers=headers
    ).json()
    assert diff["changes"] == [{"field": "aliases", "before": ["hh"], "after": ["hh", "hjh"]}]
    history = client.get(f"{API}/elements/household_no/history", headers=headers).json()
    assert [h["version"] for h in history] == [2, 1]

    values = [{"code": "0", "label": "未知"}, {"code": "1", "label": "男性", "synonyms": ["男", "M"]}]
    table = {"code": "LOCAL/性别 2025", "name": "本地性别代码", "values": values}
    made = client.post(f"{API}/code-tables", json=table, headers=headers)
    assert made.status_code == 201, made.text
    path = f"{API}/code-tables/{quote('LOCAL/性别 2025')}"
    changed = client.put(
        path,
        json={"name": "本地性别代码", "values": [*values, {"code": "2", "label": "女性"}]},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    diff = client.get(f"{path}/diff", params={"from": 1, "to": 2}, headers=headers).json()
    assert [c["field"] for c in diff["changes"]] == ["values.2"]


def test_a_refused_save_lists_every_problem(client: TestClient, library: None, token: Headers) -> None:
    headers = token("sjj_admin")
    values = [{"code": "1", "label": "男"}, {"code": "1", "label": "男性"}, {"code": "", "label": "x"}]
    resp = client.post(
        f"{API}/code-tables", json={"code": "T-1", "name": "", "values": values}, headers=headers
    )
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["code"] == "govern.library.required"
    problems = error["details"]["problems"]
    assert [p["code"] for p in problems] == [
        "govern.library.required",
        "govern.library.duplicate_code",
        "govern.library.empty_code",
    ]
    assert problems[1]["message"] == "代码 1 重复：第 1 行和第 2 行"
    assert problems[1]["message_en"] == "Code 1 appears twice: rows 1 and 2"
    resp = client.post(f"{API}/elements", json=_element_body(aliases=["sfzh"]), headers=headers)
    assert resp.status_code == 422 and "id_number" in resp.json()["error"]["message_en"]


@pytest.mark.parametrize(
    ("username", "status"), [("gaj_admin", 403), ("gaj_officer", 403), ("mzj_user", 403)]
)
def test_only_the_bureaus_admin_writes(
    client: TestClient, library: None, token: Headers, username: str, status: int
) -> None:
    headers = token(username)
    assert client.post(f"{API}/elements", json=_element_body(), headers=headers).status_code == status
    put = client.put(f"{API}/code-tables/{GENDER_PATH}", json={"name": "x", "values": []}, headers=headers)
    assert put.status_code == status
    assert client.get(f"{API}/elements/gender", headers=headers).status_code == 200


def test_reading_needs_an_account_with_catalog_read(
    client: TestClient, library: None, token: Headers
) -> None:
    assert client.get(f"{API}/elements").status_code == 401
    assert client.get(f"{API}/elements", headers=token("auditor")).status_code == 403


# --- pages ---------------------------------------------------------------------------------------------------


def test_the_library_page_lists_and_searches(client: TestClient, library: None, portal_login: Login) -> None:
    portal_login("mzj_user")
    page = client.get("/standards")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one('a.nav-link[href="/standards"]') is not None
    rows = {r["data-identifier"] for r in soup.select("tr.element-row")}
    assert {"id_number", "gender", "ethnicity", "birth_date"} <= rows
    assert soup.select_one(f'#code-tables a[href="/standards/code-tables/{GENDER_PATH}"]') is not None
    assert soup.select_one("#new-element") is None  # not the bureau
    partial = BeautifulSoup(client.get("/standards/search", params={"q": "hyzk"}).text, "html.parser")
    assert [r["data-identifier"] for r in partial.select("tr.element-row")] == ["marital_status"]
    assert partial.select_one("header") is None
    english = client.get("/standards", params={"lang": "en"})
    assert "Standards library" in english.text


def test_element_and_code_table_pages(client: TestClient, library: None, portal_login: Login) -> None:
    portal_login("mzj_user")
    soup = BeautifulSoup(client.get("/standards/elements/gender").text, "html.parser")
    assert soup.select_one("#element-name").text == "性别"
    assert [td.text for td in soup.select("#values-table tbody tr td:first-child code")] == [
        "0",
        "1",
        "2",
        "9",
    ]
    assert soup.select_one("tr.version-row")["data-version"] == "1"
    table = client.get(f"/standards/code-tables/{GENDER_PATH}")
    assert table.status_code == 200
    soup = BeautifulSoup(table.text, "html.parser")
    assert soup.select_one("#table-code").text == GENDER
    assert soup.select_one('#used-by a[href="/standards/elements/gender"]') is not None
    assert client.get("/standards/elements/nope").status_code == 404


def test_the_bureau_edits_a_code_table_in_the_portal(
    client: TestClient, platform: Platform, library: None, portal_login: Login
) -> None:
    csrf = portal_login("sjj_admin")
    edit = client.get(f"/standards/code-tables/{GENDER_PATH}/edit")
    assert edit.status_code == 200
    text = BeautifulSoup(edit.text, "html.parser").select_one("textarea[name=values_text]").text
    assert "1 | 男性 | 男, M, male" in text
    form = {
        "csrf_token": csrf,
        "name": "人的性别代码",
        "values_text": text + "\n9 | 重复的代码",
        "base_version": "1",
    }
    refused = client.post(f"/standards/code-tables/{GENDER_PATH}/edit", data=form)
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    assert [e.text for e in soup.select('.field-error[data-field="values"]')] == [
        "代码 9 重复：第 4 行和第 5 行"
    ]
    english = client.post(f"/standards/code-tables/{GENDER_PATH}/edit?lang=en", data=form)
    assert "Code 9 appears twice: rows 4 and 5" in english.text
    form["values_text"] = text + "\n5 | 其他 | other"
    saved = client.post(f"/standards/code-tables/{GENDER_PATH}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/standards/code-tables/{GENDER_PATH}"
    page = BeautifulSoup(client.get(saved.headers["location"]).text, "html.parser")
    assert [r["data-version"] for r in page.select("tr.version-row")] == ["2", "1"]
    with platform.sessions() as s:
        record = s.execute(
            sa.select(AuditRecord).where(AuditRecord.action == "standards.code_table_saved")
        ).scalar_one()
        assert record.actor == "sjj_admin"


def test_the_bureau_creates_an_element_with_per_field_errors(
    client: TestClient, library: None, portal_login: Login
) -> None:
    csrf = portal_login("sjj_admin")
    assert client.get("/standards/new/element").status_code == 200
    form = {
        "csrf_token": csrf,
        "identifier": "household_no",
        "name": "户号",
        "data_type": "数值",
        "format": "c..16",
        "aliases": "hh, sfzh",
        "rules": ["not_null", "code_set"],
    }
    refused = client.post("/standards/elements", data=form)
    assert refused.status_code == 422
    soup = BeautifulSoup(refused.text, "html.parser")
    fields = {e["data-field"] for e in soup.select(".field-error")}
    assert fields == {"format", "aliases", "code_table"}
    assert soup.select_one("input[name=aliases]")["value"] == "hh, sfzh"  # what was typed stays
    form |= {"data_type": "字符", "aliases": "hh，hjh", "rules": ["not_null"]}
    saved = client.post("/standards/elements", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/standards/elements/household_no"
    page = BeautifulSoup(client.get("/standards/elements/household_no").text, "html.parser")
    assert [c.text for c in page.select("#element-aliases .chip")] == ["hh", "hjh"]
    edit = client.post(
        "/standards/elements/household_no/edit",
        data={
            "csrf_token": csrf,
            "name": "户号",
            "data_type": "字符",
            "format": "c..20",
            "base_version": "1",
        },
        follow_redirects=False,
    )
    assert edit.status_code == 303
    page = BeautifulSoup(client.get("/standards/elements/household_no").text, "html.parser")
    assert page.select_one("tr.version-row")["data-version"] == "2"


def test_forms_need_the_csrf_token_and_the_bureau(
    client: TestClient, library: None, portal_login: Login
) -> None:
    portal_login("sjj_admin")
    forged = client.post("/standards/elements", data={"csrf_token": "x", "identifier": "a_b", "name": "甲"})
    assert forged.status_code == 403
    csrf = portal_login("gaj_admin")
    assert client.get("/standards/new/element").status_code == 403
    assert client.get("/standards/elements/gender/edit").status_code == 403
    refused = client.post("/standards/elements", data={"csrf_token": csrf, "identifier": "a_b", "name": "甲"})
    assert refused.status_code == 403
    portal_login("mzj_user")
    assert client.get("/standards/new/code-table").status_code == 403
