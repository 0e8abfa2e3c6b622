"""Portal upload: the data officer picks a file source, uploads a file, and the table loads it; a table
with a watched folder shows the folder and the files seen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.ingest.intake import IntakeOptions, set_intake
from govdata.ingest.models import IngestRun
from govdata.ingest.scheduler import Scheduler
from govdata.lake import TableRef
from govdata.runtime import Platform
from tests.conftest import Org
from tests.ingest.ops_seed import GOOD_CSV, csv_table, officer


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_upload_from_the_portal_loads_the_table(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "hukou")
    csrf = portal_login("gaj_officer")
    page = _soup(client.get("/ingest").text)
    form = page.select_one("#upload-form")
    assert form is not None and form.get("enctype") == "multipart/form-data"
    assert [o["value"] for o in form.select("select[name=source] option")] == [str(table.source_id)]
    content = (GOOD_CSV + "11010519491231002X,赵六\n").encode()
    resp = client.post(
        f"/ingest/sources/{table.source_id}/upload",
        data={"csrf_token": csrf},
        files={"file": ("户籍2024.csv", content, "text/csv")},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    with platform.sessions() as s:
        [run] = s.query(IngestRun).filter_by(source_table_id=table.id).all()
        assert run.status == "succeeded" and run.rows_written == 4
    assert platform.lake.count(TableRef("raw", "gaj", "hukou")) == 4
    notice = _soup(client.get(resp.headers["location"]).text).select_one("#upload-notice")
    assert notice is not None and "户籍2024.csv" in notice.text

    resp = client.post(  # same content again: nothing to load, and the page says so
        f"/ingest/sources/{table.source_id}/upload",
        data={"csrf_token": csrf},
        files={"file": ("户籍2024.csv", content, "text/csv")},
    )
    assert resp.status_code == 200 and "无需重新归集" in resp.text

    resp = client.post(  # without the CSRF token: refused
        f"/ingest/sources/{table.source_id}/upload",
        files={"file": ("x.csv", content)},
        follow_redirects=False,
    )
    assert resp.status_code == 403

    portal_login("mzj_officer")  # another department's officer sees no such source and may not upload
    assert _soup(client.get("/ingest").text).select_one("#upload-form") is None


def test_table_page_shows_the_watched_folder(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "drop", schedule_minutes=None)
    drop = tmp_path / "drop"
    drop.mkdir()
    with platform.unit() as s:
        set_intake(
            s,
            platform.audit,
            officer(org),
            table.id,
            options=IntakeOptions.from_settings(platform.settings),
            watch=True,
            folder=str(drop),
        )
    (drop / "day1.csv").write_text(GOOD_CSV, encoding="utf-8")
    os.utime(drop / "day1.csv", (time.time() - 60, time.time() - 60))
    [result] = Scheduler(platform).tick()
    assert result.status == "succeeded"
    portal_login("gaj_officer")
    section = _soup(client.get(f"/ingest/tables/{table.id}").text).select_one("#intake")
    assert section is not None and str(drop) in section.text and "day1.csv" in section.text
