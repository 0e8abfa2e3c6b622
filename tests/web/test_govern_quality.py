"""Quality API and pages: scores, ranking, issues with filters, transitions by role, the keys CSV,
and the /quality pages (HTMX filter partial, issue page with its actions)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.catalog import get_resource
from govdata.govern.issues import sync_issues
from govdata.govern.quality.stored import disable_derived
from govdata.govern.service import check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import Department
from tests.conftest import Org
from tests.govern.quality_seed import CODE, people_with_defects, publish

API = "/api/v1/govern/quality"


@pytest.fixture
def issues(platform: Platform, org: Org) -> dict[str, int]:
    """Checked people of gaj with two failing bindings, and the bureau (sjj) with ``sjj_admin``."""
    from govdata.security.org import create_user

    publish(platform, people_with_defects(50, bad_ids=4, blank_names=3))
    system = Actor.system("govern")
    with platform.unit() as s:
        s.execute(sa.update(Department).where(Department.code == "sjj").values(is_bureau=True))
        create_user(
            s,
            platform.audit,
            system,
            username="sjj_admin",
            display_name="数据局管理员",
            password=org.password,
            role="dept_admin",
            department_code="sjj",
        )
        run = check_resource(s, platform.lake, platform.audit, system, get_resource(s, CODE))
        result = sync_issues(s, platform.audit, system, run)
        s.flush()
        from govdata.govern.issues_models import QualityIssue

        return {
            i.binding: i.id
            for i in s.scalars(sa.select(QualityIssue).where(QualityIssue.id.in_(result.opened)))
        }


def test_scores_and_ranking(
    client: TestClient, token: Callable[[str], dict[str, str]], issues: dict[str, int]
) -> None:
    officer = token("gaj_officer")
    scores = client.get(f"{API}/resources/{CODE}/scores", headers=officer).json()
    assert scores["score"] is not None and scores["department"] == "gaj"
    assert {c["column"] for c in scores["columns"]} >= {"sfzh", "xm"}
    dept = client.get(f"{API}/departments/gaj", headers=officer).json()
    assert (dept["tables"], dept["open_issues"], dept["overdue_issues"]) == (1, 2, 0)
    assert dept["trend"][-1]["score"] == scores["score"]
    rank = client.get(f"{API}/ranking?by=issues", headers=officer).json()
    assert rank[0]["department"] == "gaj" and rank[0]["open_issues"] == 2
    assert client.get(f"{API}/ranking", headers=token("mzj_user")).status_code == 403  # no quality.read
    assert client.get(f"{API}/departments/nope", headers=officer).json()["error"]["code"] == (
        "govern.issue.department_unknown"
    )


def test_issues_by_role_and_transitions(
    client: TestClient, token: Callable[[str], dict[str, str]], issues: dict[str, int]
) -> None:
    officer, other, bureau = token("gaj_officer"), token("mzj_officer"), token("sjj_admin")
    issue = issues["id_number(sfzh)"]
    assert client.get(f"{API}/issues", headers=officer).json()["total"] == 2
    assert client.get(f"{API}/issues", headers=other).json()["total"] == 0
    assert client.get(f"{API}/issues?department=gaj&status=open", headers=bureau).json()["total"] == 2
    assert client.get(f"{API}/issues/{issue}", headers=other).status_code == 403
    detail = client.get(f"{API}/issues/{issue}", headers=officer).json()
    assert detail["failed_rows"] == 4 and detail["actions"] == ["acknowledge", "fix"]
    # the security admin reads quality but handles no issue
    resp = client.post(
        f"{API}/issues/{issue}/transitions", json={"action": "acknowledge"}, headers=token("secadmin")
    )
    assert resp.status_code == 403
    resp = client.post(f"{API}/issues/{issue}/transitions", json={"action": "fix"}, headers=officer)
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "govern.issue.comment_required"
    resp = client.post(
        f"{API}/issues/{issue}/transitions", json={"action": "fix", "comment": "已更正"}, headers=officer
    )
    assert resp.status_code == 200 and resp.json()["status"] == "fixed"
    assert resp.json()["actions"] == []
    resp = client.post(f"{API}/issues/{issue}/transitions", json={"action": "verify"}, headers=officer)
    assert resp.status_code == 403
    resp = client.post(f"{API}/issues/{issue}/transitions", json={"action": "verify"}, headers=bureau)
    assert resp.status_code == 200 and resp.json()["status"] == "verified"
    assert [e["action"] for e in resp.json()["events"]] == ["opened", "fixed", "verified"]
    resp = client.post(f"{API}/issues/{issue}/transitions", json={"action": "verify"}, headers=bureau)
    assert resp.status_code == 409


def test_keys_csv_streams_every_failing_row(
    client: TestClient, token: Callable[[str], dict[str, str]], issues: dict[str, int]
) -> None:
    issue = issues["not_null(xm)"]
    resp = client.get(f"{API}/issues/{issue}/keys.csv", headers=token("gaj_officer"))
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    assert resp.headers["x-row-count"] == "3"
    lines = resp.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"_source_row","sfzh","xm","failure_reason"'
    assert [line.split(",")[0] for line in lines[1:]] == ["48", "49", "50"]
    assert client.get(f"{API}/issues/{issue}/keys.csv", headers=token("mzj_officer")).status_code == 403


def test_quality_pages(
    client: TestClient, portal_login: Callable[[str], str], issues: dict[str, int]
) -> None:
    issue = issues["id_number(sfzh)"]
    portal_login("gaj_officer")
    page = BeautifulSoup(client.get("/quality").text, "html.parser")
    assert page.select_one("#quality-ranking tr[data-department=gaj]") is not None
    assert page.select_one("#quality-chart") is not None
    assert len(page.select("#quality-issues tbody tr[id^=issue-]")) == 2
    assert any(a["href"] == "/quality" for a in page.select("#nav a"))
    partial = client.get("/quality/issues?status=acknowledged")
    assert "<html" not in partial.text and "issue-" not in partial.text
    detail = client.get(f"/quality/issues/{issue}")
    soup = BeautifulSoup(detail.text, "html.parser")
    assert soup.select_one("#download-keys")["href"] == f"/api/v1/govern/quality/issues/{issue}/keys.csv"
    assert soup.select_one("#action-acknowledge") is not None and soup.select_one("#action-verify") is None
    assert "********" in soup.select_one("#samples").text  # masked ID numbers
    csrf = soup.select_one("input[name=csrf_token]")["value"]
    resp = client.post(
        f"/quality/issues/{issue}/transition", data={"action": "fix", "comment": "", "csrf_token": csrf}
    )
    assert resp.status_code == 422 and "transition-error" in resp.text
    resp = client.post(
        f"/quality/issues/{issue}/transition",
        data={"action": "fix", "comment": "源系统已改", "csrf_token": csrf},
        follow_redirects=True,
    )
    soup = BeautifulSoup(resp.text, "html.parser")
    assert soup.select_one("[data-status]")["data-status"] == "fixed"
    assert soup.select_one("#history tr[data-action=fixed]") is not None
    client.get("/lang/en")
    assert "Mark fixed" not in client.get(f"/quality/issues/{issue}").text  # fixed: nothing left to do
    portal_login("mzj_officer")
    assert client.get(f"/quality/issues/{issue}").status_code == 403


def test_a_withdrawn_issue_in_the_pages_and_the_api(
    client: TestClient,
    portal_login: Callable[[str], str],
    token: Callable[[str], dict[str, str]],
    issues: dict[str, int],
    platform: Platform,
) -> None:
    issue = issues["id_number(sfzh)"]
    system = Actor.system("govern")
    with platform.unit() as s:  # the rule is switched off, and the next full check withdraws the issue
        disable_derived(s, platform.lake, platform.audit, system, CODE, "id_number", ["sfzh"])
        run = check_resource(s, platform.lake, platform.audit, system, get_resource(s, CODE))
        assert sync_issues(s, platform.audit, system, run).withdrawn == [issue]
    body = client.get(f"{API}/issues/{issue}", headers=token("gaj_officer")).json()
    assert (body["status"], body["overdue"], body["actions"]) == ("withdrawn", False, [])
    assert [(e["action"], e["to_status"]) for e in body["events"]][-1] == ("withdrawn", "withdrawn")
    listed = client.get(f"{API}/issues?status=withdrawn", headers=token("gaj_officer")).json()
    assert [i["id"] for i in listed["items"]] == [issue]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert "withdrawn" in schemas["IssueStatus"]["enum"]
    assert "withdrawn" in schemas["IssueEventOut"]["properties"]["action"]["enum"]
    portal_login("gaj_officer")
    for lang, status, event in (
        ("zh", "已撤销", "规则不再适用"),
        ("en", "Withdrawn", "the rule no longer applies"),
    ):
        q = "?lang=en" if lang == "en" else ""
        page = BeautifulSoup(client.get(f"/quality{q}").text, "html.parser")
        assert status in page.select_one("#status-filter option[value=withdrawn]").get_text()
        row = page.select_one(f"#issue-{issue} [data-status]")
        assert (row["data-status"], row.get_text()) == ("withdrawn", status)
        detail = BeautifulSoup(client.get(f"/quality/issues/{issue}{q}").text, "html.parser")
        assert (
            detail.select_one("#withdrawn-note") is not None and detail.select_one("#transition-form") is None
        )
        assert event in detail.select_one("#history tr[data-action=withdrawn]").get_text()
