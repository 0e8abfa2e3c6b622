"""The portal in Debian's Chromium against a real server: sign in, overview chart, catalog search, a resource."""

from __future__ import annotations

import re
from typing import Any

import pytest

from govdata.i18n import text
from tests.browser.conftest import Server

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any, server: Server) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 820}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def sign_in(page: Any, server: Server, username: str) -> None:
    page.goto(f"{server.url}/")
    assert "/login" in page.url  # anonymous → login page
    page.fill("#username", username)
    page.fill("#password", server.password)
    page.click("#login-submit")


def test_login_and_overview_chart(page: Any, server: Server) -> None:
    sign_in(page, server, "mzj_user")
    page.wait_for_url(f"{server.url}/")
    page.wait_for_selector("#overview-chart canvas")
    assert page.locator("#overview-chart[data-ready='1']").count() == 1
    assert page.inner_text("#stat-records") == f"{server.data.records:,}"
    assert page.inner_text("#stat-records-compact") == "1.43万"
    assert page.inner_text("#user-chip").find("民政局数据使用人员") >= 0
    page.wait_for_timeout(600)  # let the bar animation finish before the screenshot
    page.screenshot(path="/tmp/govdata-home.png", full_page=True)


def test_wrong_password_message(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/login")
    page.fill("#username", "mzj_user")
    page.fill("#password", "wrong-password")
    page.click("#login-submit")
    assert text("auth.bad_credentials", "zh") in page.inner_text("#login-error")
    page.screenshot(path="/tmp/govdata-login.png")


def test_catalog_search_and_detail(page: Any, server: Server) -> None:
    sign_in(page, server, "mzj_user")
    page.wait_for_url(f"{server.url}/")
    page.click("#nav a[href='/catalog']")
    page.wait_for_selector("a.result-link")
    assert page.locator("a.result-link").count() == 3
    page.fill("#q", "低保")  # HTMX swaps the results in without a page load
    page.wait_for_function("document.querySelector('#results-total').dataset.total === '1'")
    assert page.url == f"{server.url}/catalog"
    page.select_option("#facet-share_type", "conditional")
    page.wait_for_function("document.querySelector('#results-total').dataset.total === '0'")
    page.fill("#q", "")
    page.wait_for_function("document.querySelector('#results-total').dataset.total === '1'")
    page.screenshot(path="/tmp/govdata-catalog.png", full_page=True)
    page.click("a.result-link")
    page.wait_for_url(re.compile(r".*/catalog/resources/.+"))
    assert page.inner_text("#resource-name") == "人口基本信息"
    assert page.locator("#items-table tbody tr").count() == 3
    assert page.locator("#apply-form input[name=fields]").count() == 3
    page.screenshot(path="/tmp/govdata-detail.png", full_page=True)


def test_open_portal_and_language_switch(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/open")
    assert page.locator("a.download").count() == 1
    page.click("#lang-toggle")
    page.wait_for_selector("h1:has-text('Open data')")
    page.screenshot(path="/tmp/govdata-open.png", full_page=True)
