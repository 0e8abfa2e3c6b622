"""Portal pages in-process: login, overview, catalog search (full page and HTMX partial), detail,
apply → approve, open data, audit, navigation by role, language switch."""

from __future__ import annotations

import json
from collections.abc import Callable

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.i18n import text
from govdata.web.deps import SESSION_COOKIE
from govdata.web.pages.view import compact, local_path
from tests.conftest import Org
from tests.web.portal_seed import PortalData

Login = Callable[[str], str]


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def nav_links(html: str) -> set[str]:
    return {str(a["href"]) for a in soup(html).select("#nav a")}


# --- login / logout -------------------------------------------------------------------------


def test_login_sets_httponly_lax_cookie_and_redirects_home(client: TestClient, org: Org) -> None:
    resp = client.post(
        "/login", data={"username": "mzj_user", "password": org.password}, follow_redirects=False
    )
    assert resp.status_code == 303
    assert resp.headers["location"] == "/"
    cookie = resp.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE)
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_wrong_password_shows_bilingual_error_on_login_page(client: TestClient, org: Org) -> None:
    resp = client.post("/login", data={"username": "mzj_user", "password": "nope"})
    assert resp.status_code == 401
    err = soup(resp.text).select_one("#login-error")
    assert err is not None and text("auth.bad_credentials", "zh") in err.text
    assert text("auth.bad_credentials.hint", "zh") in err.text
    assert SESSION_COOKIE not in resp.cookies
    en = client.post("/login?lang=en", data={"username": "mzj_user", "password": "nope"})
    assert text("auth.bad_credentials", "en") in en.text


def test_locked_account_message_on_login_page(client: TestClient, org: Org) -> None:
    for _ in range(5):
        client.post("/login", data={"username": "gaj_officer", "password": "wrong"})
    resp = client.post("/login", data={"username": "gaj_officer", "password": org.password})
    assert resp.status_code == 401
    assert "锁定" in soup(resp.text).select_one("#login-error").text  # type: ignore[union-attr]


def test_next_redirect_only_to_local_paths(client: TestClient, org: Org) -> None:
    data = {"username": "mzj_user", "password": org.password}
    ok = client.post("/login", data={**data, "next": "/catalog?q=x"}, follow_redirects=False)
    assert ok.headers["location"] == "/catalog?q=x"
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        resp = client.post("/login", data={**data, "next": evil}, follow_redirects=False)
        assert resp.headers["location"] == "/", evil
    assert local_path("/share") == "/share"


def test_anonymous_home_redirects_to_login_with_next(client: TestClient) -> None:
    resp = client.get("/", follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/login?next=/"
    form = soup(client.get("/login?next=/catalog").text).select_one("#login-form")
    assert form is not None and form.select_one("input[name=next]")["value"] == "/catalog"  # type: ignore[index]


def test_auditor_lands_on_audit_page(client: TestClient, org: Org) -> None:
    resp = client.post(
        "/login", data={"username": "auditor", "password": org.password}, follow_redirects=False
    )
    assert resp.headers["location"] == "/audit"


def test_logout_needs_csrf_and_ends_session(client: TestClient, portal_login: Login) -> None:
    token = portal_login("mzj_user")
    refused = client.post("/logout", data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403
    resp = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/login"
    assert client.get("/", follow_redirects=False).status_code == 303  # session gone


# --- overview ---------------------------------------------------------------------------------


def test_home_shows_totals_and_chart_data(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    page = soup(client.get("/").text)
    assert page.select_one("#stat-departments").text == "3"  # type: ignore[union-attr]
    assert page.select_one("#stat-resources").text == "3"  # type: ignore[union-attr]
    assert page.select_one("#stat-tables").text == "2"  # type: ignore[union-attr]
    assert page.select_one("#stat-fields").text == "5"  # type: ignore[union-attr]
    assert page.select_one("#stat-records").text == f"{portal_data.records:,}" == "14,345"  # type: ignore[union-attr]
    assert page.select_one("#stat-records-compact").text == "1.43万"  # type: ignore[union-attr]
    assert page.select_one("#overview-chart") is not None
    data = json.loads(page.select_one("script#overview-data").string)  # type: ignore[union-attr,arg-type]
    assert data["names"][0] == "示例市公安局" and data["records"][0] == 12_345
    assert page.select_one('script[src="/static/vendor/echarts.min.js"]') is not None
    assert page.select_one("#quality-section") is None and page.select_one("#runs-section") is None


def test_compact_numbers() -> None:
    assert compact(999) == "999"
    assert compact(12_345) == "1.23万"
    assert compact(250_000_000) == "2.5亿"
    assert compact(12_345, "en") == "12.35 thousand"
    assert compact(3_000_000_000, "en") == "3 billion"


def test_home_in_english(client: TestClient, portal_data: PortalData, portal_login: Login) -> None:
    portal_login("mzj_user")
    page = soup(client.get("/?lang=en").text)
    assert page.html["lang"] == "en"  # type: ignore[index]
    assert text("portal.home.title", "en") in page.select_one("h1").text  # type: ignore[union-attr]
    assert page.select_one("#stat-records-compact").text == "14.35 thousand"  # type: ignore[union-attr]


def test_language_cookie_switch(client: TestClient, portal_login: Login) -> None:
    portal_login("mzj_user")
    resp = client.get("/lang/en?next=/catalog", follow_redirects=False)
    assert resp.headers["location"] == "/catalog"
    assert "Data catalog" in client.get("/catalog").text
    client.get("/lang/zh?next=https://evil.example")
    assert "数据目录" in client.get("/catalog").text


# --- navigation by role ----------------------------------------------------------------------


def test_nav_shows_only_what_the_role_may_do(client: TestClient, portal_login: Login) -> None:
    portal_login("mzj_user")
    assert nav_links(client.get("/").text) == {
        "/",
        "/catalog",
        "/catalog/graph",
        "/lineage",
        "/standards",
        "/share",
        "/open",
    }
    portal_login("auditor")
    assert nav_links(client.get("/audit").text) == {"/audit", "/open"}
    portal_login("sysadmin")
    assert nav_links(client.get("/").text) == {"/", "/open"}
    client.cookies.clear()
    anon = soup(client.get("/open").text)
    assert {str(a["href"]) for a in anon.select("#nav a")} == {"/open"}
    assert anon.select_one("#logout") is None


def test_forbidden_page_renders_error_with_hint(client: TestClient, portal_login: Login) -> None:
    portal_login("auditor")
    resp = client.get("/catalog")
    assert resp.status_code == 403
    err = soup(resp.text).select_one("#error")
    assert err is not None and "catalog.read" in err.text and text("auth.forbidden.hint", "zh") in err.text


# --- catalog ---------------------------------------------------------------------------------


def test_catalog_lists_published_resources_with_facets(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    page = soup(client.get("/catalog").text)
    links = {str(a["href"]) for a in page.select("a.result-link")}
    assert links == {
        f"/catalog/resources/{portal_data.population}",
        f"/catalog/resources/{portal_data.subsidy}",
        f"/catalog/resources/{portal_data.secret_file}",
    }
    form = page.select_one("#catalog-search")
    assert form is not None and form["hx-get"] == "/catalog/search"
    depts = [o["value"] for o in page.select("#facet-department option")]
    assert depts == ["", "gaj", "mzj", "sjj"]
    assert {o["value"] for o in page.select("#facet-share_type option")} == {
        "",
        "unconditional",
        "conditional",
        "none",
    }


def test_catalog_search_partial_filters(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    resp = client.get("/catalog/search", params={"q": "身份号码"}, headers={"HX-Request": "true"})
    part = soup(resp.text)
    assert part.select_one("html") is None and part.select_one("#nav") is None  # a fragment, not a page
    assert [a.text for a in part.select("a.result-link")] == ["人口基本信息"]
    assert part.select_one("#results-total")["data-total"] == "1"  # type: ignore[index]
    by_facet = soup(
        client.get("/catalog/search", params={"share_type": "unconditional", "department": "mzj"}).text
    )
    assert [a.text for a in by_facet.select("a.result-link")] == ["低保救助对象名单"]
    none = soup(client.get("/catalog/search", params={"q": "不存在的东西"}).text)
    assert none.select("a.result-link") == [] and text("portal.catalog.none", "zh") in none.text


def test_resource_detail_shows_fields_items_and_apply_form(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    page = soup(client.get(f"/catalog/resources/{portal_data.population}").text)
    assert page.select_one("#resource-name").text == "人口基本信息"  # type: ignore[union-attr]
    fields = page.select_one("#resource-fields").text  # type: ignore[union-attr]
    assert "仅用于政务服务身份核验" in fields and "有条件共享" in fields and "每日" in fields
    rows = [[td.text.strip() for td in tr.select("td")] for tr in page.select("#items-table tbody tr")]
    assert rows[1][:4] == ["sfzh", "公民身份号码", "字符", "18"] and rows[1][4] == "id_number"
    assert rows[1][5] == text("portal.yes", "zh") and rows[2][5] == text("portal.no", "zh")
    boxes = [i["value"] for i in page.select("#apply-form input[name=fields]")]
    assert boxes == ["xm", "sfzh", "xb"]


def test_not_shared_resource_has_no_apply_form(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    page = soup(client.get(f"/catalog/resources/{portal_data.secret_file}").text)
    assert page.select_one("#apply-form") is None and page.select_one("#not-shareable") is not None
    portal_login("secadmin")  # may read the catalog but not apply
    assert soup(client.get(f"/catalog/resources/{portal_data.population}").text).select_one("#apply") is None


def test_unknown_resource_is_a_404_page(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    portal_login("mzj_user")
    resp = client.get("/catalog/resources/9/99/nope")
    assert resp.status_code == 404 and "9/99/nope" in resp.text


# --- sharing ---------------------------------------------------------------------------------


def test_apply_then_provider_approves(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    token = portal_login("mzj_user")
    form = {
        "csrf_token": token,
        "resource": portal_data.population,
        "fields": ["xm", "sfzh"],
        "purpose": "低保资格核验",
        "days": "180",
    }
    resp = client.post("/share/apply", data=form, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/share?applied=")
    page = soup(client.get(resp.headers["location"]).text)
    assert page.select_one("#notice") is not None
    filed = page.select("#filed tbody tr")
    assert len(filed) == 1 and "低保资格核验" in filed[0].text and "待审批" in filed[0].text
    app_id = filed[0]["id"].removeprefix("filed-")  # type: ignore[union-attr]

    token = portal_login("gaj_officer")
    page = soup(client.get("/share").text)
    row = page.select_one(f"#decide-{app_id}")
    assert row is not None and row.select_one("form.decision-form") is not None
    forged = client.post(f"/share/applications/{app_id}/decision", data={"approve": "1", "csrf_token": "x"})
    assert forged.status_code == 403
    resp = client.post(
        f"/share/applications/{app_id}/decision",
        data={"approve": "1", "note": "同意", "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    row = soup(client.get("/share").text).select_one(f"#decide-{app_id}")
    assert row is not None and "已批准" in row.text and row.select_one("form") is None


def test_reject_without_reason_shows_error_hint(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    token = portal_login("mzj_user")
    client.post(
        "/share/apply",
        data={"csrf_token": token, "resource": portal_data.population, "fields": ["xb"], "purpose": "统计"},
    )
    token = portal_login("gaj_officer")
    app_id = soup(client.get("/share").text).select_one("#to-decide tbody tr")["id"].removeprefix("decide-")  # type: ignore[index,union-attr]
    resp = client.post(f"/share/applications/{app_id}/decision", data={"approve": "0", "csrf_token": token})
    assert resp.status_code == 422 and text("share.reason_required", "zh") in resp.text


def test_apply_without_fields_is_refused(
    client: TestClient, portal_data: PortalData, portal_login: Login
) -> None:
    token = portal_login("mzj_user")
    resp = client.post(
        "/share/apply", data={"csrf_token": token, "resource": portal_data.subsidy, "purpose": "x"}
    )
    assert resp.status_code == 422 and "share.unknown_fields" in resp.text


# --- open data and audit ---------------------------------------------------------------------


def test_open_page_is_public_with_download_links(client: TestClient, portal_data: PortalData) -> None:
    page = soup(client.get("/open").text)
    links = [str(a["href"]) for a in page.select("a.download")]
    assert links == [f"/api/v1/open/resources/{portal_data.subsidy}/download.csv"]
    csv = client.get(links[0])
    assert csv.status_code == 200 and "户主姓名" in csv.text


def test_audit_page_verifies_chain(client: TestClient, portal_data: PortalData, portal_login: Login) -> None:
    portal_login("auditor")
    page = soup(client.get("/audit").text)
    status = page.select_one("#chain-status")
    assert status is not None and status["data-ok"] == "1"
    actions = {td.text for td in page.select("#audit-table td code")}
    assert {"auth.login", "catalog.published"} <= actions


def test_static_assets_are_served(client: TestClient) -> None:
    for path in (
        "/static/app.css",
        "/static/app.js",
        "/static/vendor/htmx.min.js",
        "/static/vendor/echarts.min.js",
    ):
        assert client.get(path).status_code == 200, path
