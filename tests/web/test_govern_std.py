"""Standardization over HTTP: the spec API (view, save with every problem, suggest, run) and the page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.catalog import get_resource
from govdata.govern import recheck_resource
from govdata.govern.standardize.models import StdSpecRecord
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


def test_a_refusal_is_swapped_in_and_speaks_the_page_language(
    client: TestClient, seeded: None, portal_login: Callable[[str], str], platform: Platform
) -> None:
    csrf = portal_login("sjj_admin")
    soup = BeautifulSoup(client.get(f"{PAGE}?lang=en").text, "html.parser")
    # htmx swaps a 4xx answer only into a part that opts in (static/app.js)
    assert soup.select_one("#std-spec").has_attr("data-swap-refusals")
    assert soup.select_one("#std-report").has_attr("data-swap-refusals")
    assert soup.select_one("#std-form")["hx-post"] == f"/govern/std/{CODE}/save?lang=en"
    data = _form(soup, csrf)
    data["target"][2] = data["target"][0]
    refused = client.post(f"{PAGE}/save?lang=en", data=data, headers=HX)
    assert refused.status_code == 422
    errors = BeautifulSoup(refused.text, "html.parser").select_one("#std-errors")
    assert "Step 3: target name rkid is already used by step 1" in errors.get_text()
    assert errors.select_one(".hint").get_text() == "Give every std column its own name"
    # someone else saves meanwhile: the next save on the old version is refused (409), shown in
    # place, and stays refused — what was typed is kept on the version it was typed on
    data["target"][2] = "xm"
    other = _form(soup, csrf) | {"dedup_keys": ["rkid"]}
    assert client.post(f"{PAGE}/save", data=other, headers=HX).status_code == 200
    stale = client.post(f"{PAGE}/save", data=data, headers=HX)
    assert stale.status_code == 409
    part = BeautifulSoup(stale.text, "html.parser")
    assert "已被他人修改" in part.select_one("#std-errors").get_text()
    assert part.select_one("#std-errors .hint").get_text() == "重新打开页面，在最新版本上修改"
    assert part.select_one("input[name=base_version]")["value"] == "0"
    assert part.select_one("input[name=dedup_keys]")["value"] == "sfzh"
    assert client.post(f"{PAGE}/save", data=_form(part, csrf), headers=HX).status_code == 409


def test_a_saved_spec_the_table_no_longer_fits_is_refused_in_the_report(
    client: TestClient, seeded: None, portal_login: Callable[[str], str], platform: Platform
) -> None:
    csrf = portal_login("sjj_admin")
    with platform.unit() as s:  # the column was renamed at the source after the spec was saved
        spec = {"columns": [{"target": "xm", "source": "name"}]}
        s.add(StdSpecRecord(table_key="raw.gaj.hj_rk_std", version=1, spec=spec))
    ran = client.post(f"{PAGE}/run", data={"csrf_token": csrf}, headers=HX)
    assert ran.status_code == 422
    report = BeautifulSoup(ran.text, "html.parser")
    assert report.select_one("#std-report").has_attr("data-swap-refusals")
    assert "name" in report.select_one("#std-run-errors").get_text()


def test_the_messages_have_a_style(
    client: TestClient, seeded: None, portal_login: Callable[[str], str]
) -> None:
    csrf = portal_login("sjj_admin")
    data = _form(BeautifulSoup(client.get(PAGE).text, "html.parser"), csrf)
    saved = BeautifulSoup(client.post(f"{PAGE}/save", data=data, headers=HX).text, "html.parser")
    data["normalizer"][2] = "soundex"
    refused = BeautifulSoup(client.post(f"{PAGE}/save", data=data, headers=HX).text, "html.parser")
    css = client.get("/static/app.css").text
    for alert in (saved.select_one("#std-saved"), refused.select_one("#std-errors")):
        assert all(f".{c} {{" in css for c in alert["class"]), alert["class"]  # alert-success was not


def test_the_resource_page_and_an_issue_link_here(
    client: TestClient, seeded: None, portal_login: Callable[[str], str], platform: Platform
) -> None:
    with platform.unit() as s:  # open the table's issues
        recheck_resource(s, platform.lake, platform.audit, Actor.system("t"), get_resource(s, CODE), 15)
    portal_login("gaj_officer")  # reads quality: the page, read-only
    resource = BeautifulSoup(client.get(f"/catalog/resources/{quote(CODE)}?lang=en").text, "html.parser")
    link = resource.select_one("#std-link")
    assert link["href"] == f"/govern/std/{quote(CODE)}?lang=en" and link.get_text() == "Standardization"
    assert client.get(link["href"]).status_code == 200
    quality = BeautifulSoup(client.get("/quality").text, "html.parser")
    issue = quality.select_one("#quality-issues td a")["href"]
    assert BeautifulSoup(client.get(issue).text, "html.parser").select_one("#issue-std-link")["href"] == PAGE
    portal_login("mzj_user")  # cannot read quality: no link
    resource = BeautifulSoup(client.get(f"/catalog/resources/{quote(CODE)}").text, "html.parser")
    assert resource.select_one("#std-link") is None
