"""The standardization page in Chromium: the bureau's admin changes a normalizer, saves (HTMX swaps
the spec in), and runs it (HTMX swaps the report in)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr

from govdata.config import Settings
from govdata.runtime import Platform
from tests.browser.conftest import SECRET, Server
from tests.browser.test_catalog_lifecycle import sign_in
from tests.govern.std_seed import CODE, publish

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(server: Server) -> None:
    platform = Platform.open(Settings(home=server.home, secret_key=SECRET_KEY), upgrade=False)
    try:
        publish(platform)
    finally:
        platform.close()


SECRET_KEY = SecretStr(SECRET)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def test_edit_a_normalizer_save_and_run(page: Any, server: Server, seeded: None) -> None:
    sign_in(page, server, "sjj_admin")
    page.goto(f"{server.url}/govern/std/{quote(CODE)}")
    rows = page.locator("#std-form tbody tr")
    assert rows.count() == 6
    name_row = page.locator("#std-form tbody tr[data-source=xm] select.std-normalizer")
    assert name_row.input_value() == "person_name"
    name_row.select_option("trim")
    page.click("#std-save")
    page.wait_for_selector("#std-saved")
    assert page.locator("#std-form tbody tr[data-source=xm] select.std-normalizer").input_value() == "trim"
    page.click("#std-run")
    page.wait_for_selector("#std-report tr[data-target=xb]")
    assert "6" in page.locator("#std-report-rows").inner_text()
    page.screenshot(path="/tmp/govdata-std.png", full_page=True)
    page.reload()
    assert page.locator("#std-form tbody tr[data-source=xm] select.std-normalizer").input_value() == "trim"
    assert page.locator("#std-report tr[data-target=xb]").count() == 1
