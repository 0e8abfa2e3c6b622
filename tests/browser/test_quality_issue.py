"""A quality issue in Chromium: the providing department's officer finds it on /quality (ranking,
trend chart), acknowledges it and marks it fixed with comments; the bureau verifies it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from govdata.catalog import get_resource
from govdata.config import Settings
from govdata.govern.issues import sync_issues
from govdata.govern.service import check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor
from tests.browser.conftest import SECRET, Server, sign_in
from tests.govern.quality_seed import CODE, people_with_defects, publish

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def issue_id(server: Server) -> int:
    """People of gaj with 12 wrong ID numbers, checked: one open issue against gaj."""
    platform = Platform.open(Settings(home=server.home, secret_key=SecretStr(SECRET)), upgrade=False)
    try:
        publish(platform, people_with_defects(200, bad_ids=12))
        system = Actor.system("govern")
        with platform.unit() as s:
            run = check_resource(s, platform.lake, platform.audit, system, get_resource(s, CODE))
            return sync_issues(s, platform.audit, system, run).opened[0]
    finally:
        platform.close()


def _status(page: Any) -> str:
    return str(page.locator("h1 [data-status]").get_attribute("data-status"))


def test_acknowledge_fix_and_verify(new_page: Any, server: Server, issue_id: int) -> None:
    officer = new_page()
    sign_in(officer, server, "gaj_officer")
    officer.click("#nav a[href='/quality']")
    officer.wait_for_selector("#quality-chart canvas")  # the trend chart drew
    assert officer.locator("#quality-ranking tr[data-department=gaj]").count() == 1
    officer.screenshot(path="/tmp/govdata-quality.png", full_page=True)
    officer.select_option("#status-filter", "open")  # HTMX swaps the issue table
    officer.wait_for_selector(f"#issue-{issue_id}")
    officer.click(f"#issue-{issue_id} a")
    officer.wait_for_url(f"**/quality/issues/{issue_id}")
    assert _status(officer) == "open"
    assert officer.locator("#samples tbody tr").count() == 10
    assert "********" in officer.locator("#samples").inner_text()
    assert officer.locator("#download-keys").get_attribute("href").endswith(f"/issues/{issue_id}/keys.csv")
    officer.fill("#comment", "已收到，正在核对人口库")
    officer.click("#action-acknowledge")
    officer.wait_for_selector("#history tr[data-action=acknowledged]")
    assert _status(officer) == "acknowledged"
    officer.click("#action-fix")  # without a comment: refused, the page says why
    officer.wait_for_selector("#transition-error")
    officer.fill("#comment", "已在人口库更正 12 条身份证号")
    officer.click("#action-fix")
    officer.wait_for_selector("#history tr[data-action=fixed]")
    assert _status(officer) == "fixed"
    assert officer.locator("#transition-form").count() == 0  # the bureau verifies now
    officer.screenshot(path="/tmp/govdata-quality-issue.png", full_page=True)

    bureau = new_page()
    sign_in(bureau, server, "sjj_admin")
    bureau.goto(f"{server.url}/quality/issues/{issue_id}")
    bureau.click("#action-verify")
    bureau.wait_for_selector("#history tr[data-action=verified]")
    assert _status(bureau) == "verified"
    assert "已在人口库更正 12 条身份证号" in bureau.locator("#history").inner_text()
