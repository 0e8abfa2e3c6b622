"""The standardization page in Chromium: the bureau's admin changes a normalizer, saves (HTMX swaps
the spec in), and runs it (HTMX swaps the report in); coming from the resource's catalog page, a
refused save shows its message beside the row, in Chinese or English (htmx swaps a 422 only where
the page opts in)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr

from govdata.config import Settings
from govdata.i18n import text
from govdata.runtime import Platform
from tests.browser.conftest import SECRET, Server, sign_in
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


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_refused_save_shows_why_in_the_page(page: Any, server: Server, seeded: None, language: str) -> None:
    sign_in(page, server, "sjj_admin")
    q = "?lang=en" if language == "en" else ""
    page.goto(f"{server.url}/catalog/resources/{quote(CODE)}{q}")
    page.click("#std-link")
    page.wait_for_url(f"{server.url}/govern/std/{quote(CODE)}{q}")
    targets = page.locator("#std-form tbody tr input[name=target]")
    first = targets.nth(0).input_value()
    targets.nth(2).fill(first)  # two std columns of one name (xm's is no dedup key): refused with 422
    page.click("#std-save")
    errors = page.wait_for_selector("#std-errors")
    expected = text("govern.std.duplicate_target", language, row=3, name=first, first=1)
    assert expected in errors.inner_text()
    assert text("govern.std.duplicate_target.hint", language) in errors.inner_text()
    cell = page.locator("#std-form tbody tr").nth(2).locator(".field-error")
    assert cell.inner_text() == expected  # beside its row
    assert page.locator("#std-form tbody tr input[name=target]").nth(2).input_value() == first  # kept
    page.screenshot(path=f"/tmp/govdata-std-refused-{language}.png", full_page=True)
