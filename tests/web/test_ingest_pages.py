"""Ingest pages: register a source from the connector's form, add a table, run now with progress,
rejected rows with CSV download, and the bureau's freshness view with late tables highlighted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.ingest.models import Source, SourceTable
from govdata.ingest.quarantine import Rejected, Rejects, write_rejects
from govdata.runtime import Platform
from tests.conftest import Org
from tests.ingest.ops_seed import GOOD_CSV, csv_table


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_register_add_and_run_from_the_portal(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    csrf = portal_login("gaj_officer")
    page = _soup(client.get("/ingest?connector=csv").text)
    assert page.select_one('#nav a[href="/ingest"]') is not None
    # the form is rendered from the connector's Pydantic Config
    assert page.select_one('#source-form input[name="cfg_path"]') is not None
    assert page.select_one('#source-form input[name="cfg_encoding"]') is not None
    path = tmp_path / "hukou.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    resp = client.post(
        "/ingest/sources",
        data={"csrf_token": csrf, "connector": "csv", "name": "户籍", "cfg_path": str(path)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    with platform.sessions() as s:
        source = s.query(Source).one()
        assert source.config == {"path": str(path)}
    resp = client.post(
        f"/ingest/sources/{source.id}/tables",
        data={"csrf_token": csrf, "source_table": str(path), "lake_table": "hukou", "schedule_minutes": "60"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    with platform.sessions() as s:
        table = s.query(SourceTable).one()
    # run now through HTMX: the answer is the progress partial (the background load already ran here)
    resp = client.post(f"/ingest/tables/{table.id}/run", headers={"HX-Request": "true", "X-CSRF-Token": csrf})
    assert resp.status_code == 200, resp.text
    partial = _soup(client.get(f"/ingest/tables/{table.id}/progress").text)
    badge = partial.select_one("[data-status]")
    assert badge is not None and badge["data-status"] == "succeeded"
    assert partial.select_one(".rows-read")["data-rows"] == "3"  # type: ignore[index]
    assert partial.select_one(".run-progress").get("hx-trigger") is None  # type: ignore[union-attr]  # done: stops polling
    page = _soup(client.get("/ingest").text)
    row = page.select_one(f"#table-{table.id}")
    assert row is not None and "raw.gaj.hukou" in row.text
    assert page.select("#runs tbody tr[id^=run-]")


def test_a_running_load_keeps_polling(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    from govdata.db.base import utcnow
    from govdata.ingest.models import IngestRun

    table = csv_table(platform, org, tmp_path, "people")
    with platform.unit() as s:
        s.add(IngestRun(source_table_id=table.id, status="running", rows_read=12_345, started_at=utcnow()))
    portal_login("gaj_officer")
    partial = _soup(client.get(f"/ingest/tables/{table.id}/progress").text)
    div = partial.select_one(".run-progress")
    assert div is not None and div["hx-trigger"] == "every 1s"
    assert "12,345" in div.text


def test_rejected_rows_and_download(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "people")
    rejects = Rejects(file="people.csv")
    rejects.add(Rejected(4, "ingest.reject.cast", column="出生日期", raw={"出生日期": "19491345"}))
    write_rejects(platform.lake, "gaj", "people", 1, rejects)
    portal_login("gaj_officer")
    page = _soup(client.get(f"/ingest/tables/{table.id}").text)
    rows = page.select("#rejected .rejected-row")
    assert len(rows) == 1 and "19491345" in rows[0].text
    link = page.select_one("#rejected-csv")
    assert link is not None
    csv = client.get(str(link["href"]))
    assert csv.status_code == 200 and "19491345" in csv.content.decode("utf-8-sig")
    # another department's officer sees neither the page nor the download
    portal_login("mzj_officer")
    assert client.get(f"/ingest/tables/{table.id}").status_code == 403
    assert client.get(str(link["href"])).status_code == 403


def test_bureau_view_highlights_late_tables(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    late = csv_table(platform, org, tmp_path, "stale", schedule_minutes=60)
    csv_table(platform, org, tmp_path, "adhoc", schedule_minutes=None)
    with platform.unit() as s:
        src = s.get(SourceTable, late.id).source  # type: ignore[union-attr]
        src.created_at = src.created_at - dt.timedelta(days=2)
    portal_login("sjj_user")  # the bureau: counts and freshness, no data
    page = _soup(client.get("/ingest/freshness").text)
    rows = {r["data-table"]: r for r in page.select("#freshness tr.fresh-row")}
    assert "row-late" in rows["stale"]["class"]
    assert "row-late" not in rows["adhoc"]["class"]
    assert rows["stale"].select_one("[data-freshness]")["data-freshness"] == "never"  # type: ignore[index]
    only_late = _soup(client.get("/ingest/freshness?late=true").text)
    assert [r["data-table"] for r in only_late.select("#freshness tr.fresh-row")] == ["stale"]
    assert client.get("/ingest").status_code == 403  # no INGEST_RUN: not the sources page
