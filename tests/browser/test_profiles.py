"""The profile page in Debian's Chromium: profile now, expand a column's top values and patterns,
the chart, and choosing the chart's column."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from govdata.i18n import text
from tests.browser.conftest import Server
from tests.browser.test_portal import page, sign_in  # noqa: F401 - the page fixture
from tests.web.portal_seed import POPULATION

pytestmark = pytest.mark.browser


def test_profile_now_details_and_chart(page: Any, server: Server) -> None:  # noqa: F811
    sign_in(page, server, "gaj_officer")
    page.wait_for_url(f"{server.url}/")
    page.goto(f"{server.url}/catalog/resources/{quote(POPULATION)}")
    page.click("#profile-link")
    page.wait_for_url(re.compile(r".*/profiles/.+"))
    assert text("portal.profile.none", "zh") in page.inner_text("#profile-columns")
    page.click("#profile-refresh button")
    page.wait_for_selector("#profile-columns tr[data-column]")
    columns = page.locator("#profile-columns tr[data-column]")
    assert columns.count() >= 2
    first = columns.first.get_attribute("data-column")
    details = page.locator("#profile-columns details").first
    assert not details.locator("table").first.is_visible()
    details.locator("summary").click()
    assert details.locator("table").first.is_visible()
    assert details.locator("tbody tr").count() >= 1
    page.wait_for_selector("#profile-chart canvas")
    second = columns.nth(1).get_attribute("data-column")
    page.select_option("#trend-column", second)
    page.wait_for_url(re.compile(rf".*column={re.escape(quote(second or ''))}.*"))
    assert page.locator("#trend-column").input_value() == second != first
    page.screenshot(path="/tmp/govdata-profile.png", full_page=True)
