"""The catalog lifecycle over HTTP: the JSON API (permissions, transitions, history) and the portal pages
(filing form with errors in zh and en, my entries, review queue, history with diff, CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.i18n import text
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import Department
from tests.conftest import Org

CODE = "330100/1010/gaj-0700"
Login = Callable[[str], str]


@pytest.fixture
def bureau(platform: Platform, org: Org) -> None:
    """The sjj department is the data bureau, with two reviewers."""
    from govdata.security.org import create_user

    with platform.unit() as s:
        s.get(Department, org.departments["sjj"]).is_bureau = True
        for name in ("sjj_admin", "sjj_admin2"):
            create_user(
                s,
                platform.audit,
                Actor.system("test"),
                username=name,
                display_name=name,
                password=org.password,
                role="dept_admin",
                department_code="sjj",
            )


def entry(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": CODE,
        "name": "流动人口居住登记信息",
        "department": "gaj",
        "summary": "示例市流动人口的居住登记",
        "category": "base",
        "format": "数据库",
        "share_type": "conditional",
        "share_condition": "仅限人口管理使用",
        "open_type": "closed",
        "update_cycle": "daily",
        "sharing_method": "api",
        "source_system": "居住证管理系统",
        "matters": [{"code": "330100-JZZ-01", "name": "居住证办理"}],
        "tags": ["人口"],
        "items": [
            {"column": "xm", "name": "姓名", "length": 50, "masking": "name", "sensitive": True},
            {"column": "jzdz", "name": "居住地址", "length": 200},
        ],
    }
    body.update(changes)
    return body


def base(code: str = CODE) -> str:
    return f"/api/v1/catalog/lifecycle/{code}"


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_api_files_submits_reviews_publishes_revises_and_retires(
    client: TestClient, token: Any, bureau: None
) -> None:
    officer, admin, reviewer, user = (
        token("gaj_officer"),
        token("gaj_admin"),
        token("sjj_admin"),
        token("mzj_user"),
    )
    assert client.post("/api/v1/catalog/resources", json=entry(), headers=user).status_code == 403
    filed = client.post("/api/v1/catalog/resources", json=entry(), headers=officer)
    assert filed.status_code == 201, filed.text
    assert (filed.json()["number"], filed.json()["status"]) == (1, "draft")
    other = client.post(
        "/api/v1/catalog/resources", json=entry(code="x/1", department="mzj"), headers=officer
    )
    assert other.status_code == 403 and other.json()["error"]["code"] == "auth.other_department"
    saved = client.put(
        f"{base()}/draft", json={"entry": entry(summary="示例市流动人口居住登记信息")}, headers=officer
    )
    assert saved.status_code == 200 and saved.json()["entry"]["summary"] == "示例市流动人口居住登记信息"
    assert client.post(f"{base()}/submit", headers=officer).json()["status"] == "submitted"
    assert client.get("/api/v1/catalog/review-queue", headers=officer).status_code == 403  # no catalog.review
    refused = client.get("/api/v1/catalog/review-queue", headers=admin)  # catalog.review, not the bureau
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.bureau_only"
    queue = client.get("/api/v1/catalog/review-queue", headers=reviewer).json()
    assert [(q["code"], q["status"]) for q in queue] == [(CODE, "submitted")]
    no_comment = client.post(f"{base()}/review", json={"approve": False}, headers=reviewer)
    assert (
        no_comment.status_code == 422 and no_comment.json()["error"]["code"] == "catalog.reject_needs_comment"
    )
    assert (
        client.post(f"{base()}/review", json={"approve": True}, headers=reviewer).json()["status"]
        == "reviewed"
    )
    published = client.post(f"{base()}/publish", headers=reviewer)
    assert published.status_code == 200 and published.json()["version"] == 1
    assert published.json()["snapshot"]["source_system"] == "居住证管理系统"
    # the reader's routes keep working beside the lifecycle ones
    assert client.get(f"/api/v1/catalog/resources/{CODE}", headers=user).json()["version"] == 1
    found = client.get("/api/v1/catalog/resources", params={"q": "流动人口"}, headers=user).json()
    assert [r["code"] for r in found["items"]] == [CODE]
    # a new revision: readers still see version 1; the diff shows what changes
    changed = entry(
        name="流动人口居住信息", items=[*entry()["items"], {"column": "lxdh", "name": "联系电话"}]
    )
    assert (
        client.put(f"{base()}/draft", json={"entry": changed, "note": "加联系电话"}, headers=officer).json()[
            "number"
        ]
        == 2
    )
    assert (
        client.get(f"/api/v1/catalog/resources/{CODE}", headers=user).json()["name"] == "流动人口居住登记信息"
    )
    d = client.get(f"{base()}/diff", headers=officer).json()
    assert (d["a"], d["b"]) == ("1", "pending")
    assert [c["field"] for c in d["fields"]] == ["name", "summary"]  # the summary edited before v1 too
    assert [(i["column"], i["change"]) for i in d["items"]] == [("lxdh", "added")]
    assert client.get(f"{base()}/diff", params={"a": "0", "b": "pending"}, headers=user).status_code == 403
    assert client.get(f"{base()}/revisions", headers=user).status_code == 403
    assert [r["number"] for r in client.get(f"{base()}/revisions", headers=reviewer).json()] == [2, 1]
    assert [v["version"] for v in client.get(f"{base()}/versions", headers=user).json()] == [1]
    assert (
        client.get(f"{base()}/versions/1", headers=user).json()["snapshot"]["name"] == "流动人口居住登记信息"
    )
    assert client.get(f"{base()}/versions/5", headers=user).status_code == 404
    mine = client.get("/api/v1/catalog/mine", headers=officer).json()
    assert [(m["code"], m["pending"]["number"]) for m in mine] == [(CODE, 2)]
    retired = client.post(f"{base()}/retire", json={"reason": "并入新资源"}, headers=reviewer)
    assert retired.status_code == 200 and retired.json()["status"] == "retired"
    assert (
        client.get("/api/v1/catalog/resources", params={"q": "流动人口"}, headers=user).json()["total"] == 0
    )


def test_api_bad_transition_is_409_in_the_one_error_shape(
    client: TestClient, token: Any, bureau: None
) -> None:
    officer, reviewer = token("gaj_officer"), token("sjj_admin")
    client.post("/api/v1/catalog/resources", json=entry(), headers=officer)
    resp = client.post(f"{base()}/publish", headers=reviewer)
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "catalog.bad_transition" and err["details"] == {
        "status": "draft",
        "action": "publish",
    }
    assert err["message"] and err["message_en"] and err["hint"]
    assert client.post(f"{base()}/withdraw", headers=officer).status_code == 409
    bad = client.put(f"{base()}/draft", json={"entry": entry(share_type="每天")}, headers=officer)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "catalog.bad_value"


# --- portal -------------------------------------------------------------------------------------------


def form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": CODE,
        "name": "流动人口居住登记信息",
        "department": "gaj",
        "summary": "示例市流动人口的居住登记",
        "category": "base",
        "format": "数据库",
        "share_type": "conditional",
        "share_condition": "仅限人口管理使用",
        "sharing_method": "api",
        "open_type": "closed",
        "update_cycle": "daily",
        "source_system": "居住证管理系统",
        "matters": "330100-JZZ-01 | 居住证办理 | service",
        "tags": "人口, 居住证",
        "related": "",
        "item_column": ["xm", "jzdz", ""],
        "item_name": ["姓名", "居住地址", ""],
        "item_data_type": ["字符", "字符", "字符"],
        "item_length": ["50", "200", ""],
        "item_masking": ["name", "", ""],
        "item_sensitive": ["1", "0", "0"],
        "item_required": ["1", "0", "0"],
        "item_element": ["", "", ""],
    }
    data.update(changes)
    return data


def test_portal_files_submits_reviews_and_publishes(
    client: TestClient, portal_login: Login, bureau: None, platform: Platform
) -> None:
    csrf = portal_login("gaj_officer")
    page = soup(client.get("/catalog/new").text)
    assert page.select_one("#entry-form") is not None and page.select_one("#item-row-template") is not None
    hrefs = [a["href"] for a in page.select("#nav a")]
    assert "/catalog/mine" in hrefs and "/catalog/review" not in hrefs
    assert client.post("/catalog/new", data=form()).status_code == 403  # no CSRF token
    bad = client.post(
        "/catalog/new", data=form(csrf_token=csrf, summary="", share_type="有条件共享", share_condition="")
    )
    assert bad.status_code == 422
    errors = [li.get_text(" ", strip=True) for li in soup(bad.text).select("#entry-errors .entry-error")]
    assert errors == [
        text("portal.lifecycle.required_field", "zh", field="摘要")
        + " "
        + text("portal.lifecycle.required_field", "en", field="Summary")
    ]
    again = soup(bad.text)  # what was typed stays in the form
    assert again.select_one("#f-name")["value"] == "流动人口居住登记信息"
    assert len(again.select("#item-rows tr")) == 3
    no_condition = client.post("/catalog/new", data=form(csrf_token=csrf, share_condition=""))
    assert no_condition.status_code == 422
    shown = soup(no_condition.text).select_one("#entry-errors").get_text()
    assert text("catalog.no_condition", "zh") in shown and text("catalog.no_condition", "en") in shown
    done = client.post("/catalog/new", data=form(csrf_token=csrf), follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/catalog/mine")
    rows = soup(client.get("/catalog/mine").text).select("#mine-table .entry-row")
    assert [(r["data-code"], r["data-status"], r["data-pending"]) for r in rows] == [(CODE, "draft", "draft")]
    edit = soup(client.get(f"/catalog/edit/{CODE}").text)
    assert edit.select_one("#f-matters").get_text() == "330100-JZZ-01 | 居住证办理 | service"
    assert [i["value"] for i in edit.select("input[name=item_column]") if i.get("value")] == ["xm", "jzdz"]
    assert client.post(f"/catalog/submit/{CODE}", data={}).status_code == 403  # CSRF again
    sent = client.post(f"/catalog/submit/{CODE}", data={"csrf_token": csrf}, follow_redirects=False)
    assert sent.status_code == 303
    twice = client.post(f"/catalog/submit/{CODE}", data={"csrf_token": csrf})
    assert twice.status_code == 409 and soup(twice.text).select_one("#step-error") is not None
    assert client.get("/catalog/review").status_code == 403

    csrf = portal_login("sjj_admin")
    hrefs = [a["href"] for a in soup(client.get("/catalog/review").text).select("#nav a[href^='/catalog/']")]
    assert "/catalog/review" in hrefs
    queue = soup(client.get("/catalog/review").text).select("#review-table .review-row")
    assert [(r["data-code"], r["data-status"]) for r in queue] == [(CODE, "submitted")]
    reject = client.post(f"/catalog/review/{CODE}", data={"csrf_token": csrf, "decision": "reject"})
    assert reject.status_code == 422
    assert (
        text("catalog.reject_needs_comment", "en") in soup(reject.text).select_one("#step-error").get_text()
    )
    ok = client.post(
        f"/catalog/review/{CODE}", data={"csrf_token": csrf, "decision": "approve"}, follow_redirects=False
    )
    assert ok.status_code == 303
    pub = client.post(f"/catalog/publish/{CODE}", data={"csrf_token": csrf}, follow_redirects=False)
    assert pub.status_code == 303
    history = soup(client.get(f"/catalog/history/{CODE}").text)
    assert history.select_one("#resource-status")["data-status"] == "published"
    assert [r["data-version"] for r in history.select(".version-row")] == ["1"]
    assert [r["data-status"] for r in history.select(".revision-row")] == ["published"]
    assert history.select_one("#retire form") is not None
    detail = soup(client.get(f"/catalog/resources/{CODE}").text)
    assert detail.select_one("#history-link")["href"] == f"/catalog/history/{CODE}"
    # published with every field the form carries
    from govdata.catalog import get_resource, to_out

    with platform.unit() as s:
        out = to_out(get_resource(s, CODE))
        assert (out.sharing_method, out.source_system, out.tags) == (
            "api",
            "居住证管理系统",
            ["人口", "居住证"],
        )
        assert [(m.code, m.kind) for m in out.matters] == [("330100-JZZ-01", "service")]
        assert [(i.column, i.masking, i.sensitive, i.required, i.length) for i in out.items] == [
            ("xm", "name", True, True, 50),
            ("jzdz", None, False, False, 200),
        ]


def test_portal_history_shows_the_diff_in_colour_and_hides_drafts_from_readers(
    client: TestClient, portal_login: Login, token: Any, bureau: None
) -> None:
    officer, reviewer = token("gaj_officer"), token("sjj_admin")
    client.post("/api/v1/catalog/resources", json=entry(), headers=officer)
    client.post(f"{base()}/submit", headers=officer)
    client.post(f"{base()}/review", json={"approve": True}, headers=reviewer)
    client.post(f"{base()}/publish", headers=reviewer)
    items = [{"column": "xm", "name": "姓名", "length": 60}, {"column": "lxdh", "name": "联系电话"}]
    client.put(f"{base()}/draft", json={"entry": entry(name="流动人口信息", items=items)}, headers=officer)
    portal_login("gaj_officer")
    page = soup(client.get(f"/catalog/history/{CODE}").text)
    name = page.select_one(".diff-field[data-field=name]")
    assert name.select_one("del").get_text() == "流动人口居住登记信息"
    assert name.select_one("ins").get_text() == "流动人口信息"
    changes = {r["data-column"]: r["data-change"] for r in page.select(".diff-item")}
    assert changes == {"xm": "changed", "lxdh": "added", "jzdz": "removed"}
    assert "diff-item-removed" in page.select_one(".diff-item[data-column=jzdz]")["class"]
    assert page.select_one("#edit-entry") is not None and page.select_one("#submit-entry") is not None
    portal_login("mzj_user")  # a reader of another department: versions only
    page = soup(client.get(f"/catalog/history/{CODE}").text)
    assert page.select_one("#revisions") is None
    # by default a reader sees version 1 against nothing: every item added, nothing of the draft
    assert {r["data-column"] for r in page.select(".diff-item[data-change=added]")} == {"xm", "jzdz"}
    assert page.select_one("#submit-entry") is None
    assert client.get(f"/catalog/history/{CODE}", params={"a": "1", "b": "pending"}).status_code == 403
    assert client.get("/catalog/mine").status_code == 403
