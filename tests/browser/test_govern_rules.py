"""The quality rules page in Chromium: the providing department's officer goes from the resource page
to its rules, picks a rule (HTMX swaps in its form), is told a malformed parameter is refused, then
adds the binding and sees it in the table — and after a reload."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr

from govdata.config import Settings
from govdata.i18n import text
from govdata.runtime import Platform
from tests.browser.conftest import SECRET, Server, sign_in
from tests.govern.quality_seed import CODE, people_with_defects, publish

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(server: Server) -> None:
    platform = Platform.open(Settings(home=server.home, secret_key=SecretStr(SECRET)), upgrade=False)
    try:
        publish(platform, people_with_defects(40, bad_ids=3))
    finally:
        platform.close()


def test_add_a_binding_and_see_it(page: Any, server: Server, seeded: None) -> None:
    sign_in(page, server, "gaj_officer")
    page.goto(f"{server.url}/catalog/resources/{quote(CODE)}")
    page.click("#rules-link")
    page.wait_for_url(f"{server.url}/govern/rules/{quote(CODE)}")
    assert page.locator("#rules-table tr[data-rule=id_number][data-origin=suggested]").count() == 1
    page.select_option("#rules-rule", "length")
    page.wait_for_selector("#rules-form[data-rule=length]")
    assert page.locator("#rules-params").get_attribute("placeholder") == text("portal.rules.example.length")
    page.select_option("#rules-columns", ["xm"])
    page.fill("#rules-params", "{max: 2")
    page.click("#rules-submit")
    error = page.wait_for_selector("#rules-error")
    assert text("govern.rules.bad_params_json", "zh", detail="")[:8] in error.inner_text()
    assert page.locator("#rules-form[data-rule=length]").count() == 1  # kept what was chosen
    page.select_option("#rules-columns", ["xm"])
    page.fill("#rules-params", '{"max": 2}')
    page.click("#rules-submit")
    page.wait_for_selector("#rules-done")
    row = page.locator("#rules-table tr[data-rule=length][data-columns=xm]")
    assert row.get_attribute("data-origin") == "stored" and row.get_attribute("data-enabled") == "true"
    assert text("portal.rules.origin.stored") in row.inner_text()
    page.screenshot(path="/tmp/govdata-rules.png", full_page=True)
    page.reload()
    assert page.locator("#rules-table tr[data-rule=length][data-origin=stored]").count() == 1
