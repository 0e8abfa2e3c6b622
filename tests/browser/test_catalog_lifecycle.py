"""The catalog lifecycle in Chromium: a department's officer files a resource through the form (adding
an item row) and submits it; the bureau approves and publishes it; then catalog search finds it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Server, sign_in

pytestmark = pytest.mark.browser

CODE = "330100/1010/gaj-0900"
NAME = "消防安全重点单位名录"


def test_file_submit_review_publish_and_find(new_page: Any, server: Server) -> None:
    officer = new_page()
    sign_in(officer, server, "gaj_officer")
    officer.click("#nav a[href='/catalog/mine']")
    officer.click("#new-entry")
    officer.wait_for_selector("#entry-form")
    officer.fill("#f-code", CODE)
    officer.fill("#f-name", NAME)
    officer.select_option("#f-category", "department")
    officer.fill("#f-format", "数据库")
    officer.select_option("#f-update_cycle", "monthly")
    officer.fill("#f-summary", "全市消防安全重点单位的名称、地址与责任人")
    officer.select_option("#f-share_type", "unconditional")
    officer.select_option("#f-sharing_method", "api")
    officer.select_option("#f-open_type", "closed")
    officer.fill("#f-source_system", "消防监督管理系统")
    officer.fill("#f-tags", "消防, 安全生产")
    rows = officer.locator("#item-rows tr")
    rows.nth(0).locator("input[name=item_column]").fill("dwmc")
    rows.nth(0).locator("input[name=item_name]").fill("单位名称")
    officer.click("#add-item")  # a second item row, added in the page
    assert rows.count() == 2
    rows.nth(1).locator("input[name=item_column]").fill("zrr")
    rows.nth(1).locator("input[name=item_name]").fill("消防安全责任人")
    rows.nth(1).locator("select[name=item_masking]").select_option("name")
    rows.nth(1).locator("select[name=item_sensitive]").select_option("1")
    officer.screenshot(path="/tmp/govdata-catalog-file.png", full_page=True)
    officer.click("#entry-save")
    officer.wait_for_url("**/catalog/mine?saved=*")
    row = officer.locator(f"#mine-table .entry-row[data-code='{CODE}']")
    assert row.get_attribute("data-pending") == "draft"
    row.locator(".submit-entry").click()
    officer.wait_for_url("**/catalog/mine?done=submit")
    assert officer.locator(f".entry-row[data-code='{CODE}']").get_attribute("data-pending") == "submitted"
    assert officer.locator("#nav a[href='/catalog/review']").count() == 0

    bureau = new_page()
    sign_in(bureau, server, "sjj_admin")
    bureau.click("#nav a[href='/catalog/review']")
    bureau.wait_for_selector(f".review-row[data-code='{CODE}'][data-status='submitted']")
    bureau.screenshot(path="/tmp/govdata-catalog-review.png", full_page=True)
    bureau.locator(f".review-row[data-code='{CODE}'] .approve-entry").click()
    bureau.wait_for_url("**/catalog/review?done=review")
    bureau.locator(f".review-row[data-code='{CODE}'][data-status='reviewed'] .publish-entry").click()
    bureau.wait_for_url("**/catalog/review?done=publish")
    assert bureau.locator(f".review-row[data-code='{CODE}']").count() == 0

    officer.goto(f"{server.url}/catalog")  # any reader now finds it by a Chinese word of its name
    officer.fill("#q", "消防")
    officer.wait_for_function("document.querySelector('#results-total').dataset.total === '1'")
    officer.click("a.result-link")
    officer.wait_for_selector("#resource-name")
    assert officer.inner_text("#resource-name") == NAME
    assert officer.locator("#items-table tbody tr").count() == 2
    officer.click("#history-link")
    officer.wait_for_selector(".version-row[data-version='1']")
    assert officer.locator("#resource-status").get_attribute("data-status") == "published"
    officer.screenshot(path="/tmp/govdata-catalog-history.png", full_page=True)
