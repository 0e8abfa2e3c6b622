"""The lineage page in Chromium: the column graph is drawn, and clicking a node re-centres on it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from pydantic import SecretStr

from govdata.config import Settings
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.runtime import Platform
from tests.browser.conftest import SECRET, Server, sign_in

pytestmark = pytest.mark.browser
SRC, RAW, STD = "source:gaj/人口库/rk", "raw.gaj.rk_web", "std.gaj.rk_web"


@pytest.fixture(scope="module")
def seeded(server: Server) -> None:
    platform = Platform.open(Settings(home=server.home, secret_key=SecretStr(SECRET)), upgrade=False)
    try:
        with platform.unit() as s:
            record_lineage(s, job="ingest:gaj/人口库/rk", kind="ingest", inputs=[], outputs=[],
                           column_edges=[ColumnEdge(SRC, "sfzh", RAW, "sfzh")])  # fmt: skip
            record_lineage(s, job=f"standardize {RAW}", kind="standardize", inputs=[], outputs=[],
                           column_edges=[ColumnEdge(RAW, "sfzh", STD, "sfzh", "id_number_18")])  # fmt: skip
    finally:
        platform.close()


def test_click_a_node_to_recentre_the_graph(page: Any, server: Server, seeded: None) -> None:
    sign_in(page, server, "gaj_officer")
    page.goto(f"{server.url}/lineage")
    page.click(f"#lineage-datasets a:text-is('{STD}')")
    page.select_option("#lineage-filters select[name=column]", "sfzh")
    page.click("#lineage-filters button[type=submit]")
    page.wait_for_selector("#lineage-graph canvas")
    assert page.locator("#lineage-edges tbody tr").count() == 2
    # the source column's node, in page pixels, from the chart itself
    x, y = page.evaluate(
        """(id) => {
          const el = document.getElementById("lineage-graph");
          const chart = echarts.getInstanceByDom(el);
          const data = chart.getOption().series[0].data;
          const i = data.findIndex((n) => n.id === id);
          const [px, py] = chart.convertToPixel({seriesIndex: 0}, [data[i].x, data[i].y]);
          const box = el.getBoundingClientRect();
          return [box.left + px, box.top + py];
        }""",
        f"{RAW}#sfzh",
    )
    page.mouse.click(x, y)
    page.wait_for_url(f"**/lineage?dataset={quote(RAW, safe='')}&column=sfzh")
    page.wait_for_selector("#lineage-graph canvas")
    assert RAW in page.locator("h2").first.inner_text()
    page.screenshot(path="/tmp/govdata-lineage.png", full_page=True)
