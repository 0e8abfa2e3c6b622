"""Time travel: every version of an aggregated table, and its rows as they stood at a moment."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from govdata.ingest import SourceTable, run_table
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord
from tests.conftest import Org
from tests.ingest.ops_seed import csv_table


def _load(platform: Platform, table_id: int) -> None:
    with platform.sessions() as s:
        run_table(
            s,
            platform.lake,
            platform.audit,
            Actor.system("test"),
            s.get(SourceTable, table_id),
            secret_key=platform.settings.secret_key.get_secret_value(),
        )


def test_versions_and_rows_as_they_stood(
    client: TestClient, token: Any, platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "people")
    path = Path(tmp_path / "people.csv")
    _load(platform, table.id)
    between = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    path.write_text(path.read_text(encoding="utf-8") + "330106199001010012,赵六\n", encoding="utf-8")
    _load(platform, table.id)

    officer = token("gaj_officer")
    versions = client.get(f"/api/v1/ingest/tables/{table.id}/versions", headers=officer).json()
    assert [v["version"] for v in versions] == [1, 0]
    then = client.get(
        f"/api/v1/ingest/tables/{table.id}/rows", params={"as_of": between.isoformat()}, headers=officer
    ).json()
    now = client.get(f"/api/v1/ingest/tables/{table.id}/rows", params={"version": 1}, headers=officer).json()
    assert then["version"] == 0 and now["version"] == 1
    assert now["total"] == then["total"] + 1
    with platform.sessions() as s:
        reads = s.scalars(
            select(AuditRecord)
            .where(AuditRecord.action == "ingest.time_travel_read")
            .order_by(AuditRecord.seq)
        ).all()
    assert len(reads) == 2 and reads[0].actor == "gaj_officer"


def test_time_travel_is_the_providing_departments_own(
    client: TestClient, token: Any, platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "people")
    _load(platform, table.id)
    resp = client.get(
        f"/api/v1/ingest/tables/{table.id}/rows", params={"version": 0}, headers=token("mzj_officer")
    )
    assert resp.status_code == 403
    bad = client.get(
        f"/api/v1/ingest/tables/{table.id}/rows", params={"version": 7}, headers=token("gaj_officer")
    )
    assert bad.status_code == 404 and bad.json()["error"]["code"] == "ingest.no_such_version"
    both = client.get(f"/api/v1/ingest/tables/{table.id}/rows", headers=token("gaj_officer"))
    assert both.status_code == 422 and both.json()["error"]["code"] == "ingest.as_of_one"
    early = client.get(
        f"/api/v1/ingest/tables/{table.id}/rows",
        params={"as_of": "2000-01-01T00:00:00"},
        headers=token("gaj_officer"),
    )
    assert early.status_code == 404
