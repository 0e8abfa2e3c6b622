"""Ingest API: register, add tables, run now, history, freshness, quarantine — department-scoped."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient

from govdata.ingest.quarantine import Rejected, Rejects, write_rejects
from govdata.runtime import Platform
from tests.conftest import Org
from tests.ingest.ops_seed import GOOD_CSV

API = "/api/v1/ingest"


def _register(
    client: TestClient, headers: dict[str, str], tmp_path: Path, name: str = "hukou"
) -> tuple[int, int]:
    path = tmp_path / f"{name}.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    resp = client.post(
        f"{API}/sources",
        json={"department": "gaj", "name": name, "connector": "csv", "config": {"path": str(path)}},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    source_id = resp.json()["id"]
    resp = client.post(
        f"{API}/sources/{source_id}/tables",
        json={"source_table": str(path), "lake_table": name, "schedule_minutes": 1440},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    return source_id, resp.json()["id"]


def test_register_run_and_watch(client: TestClient, token, org: Org, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gaj = token("gaj_officer")
    source_id, table_id = _register(client, gaj, tmp_path)
    assert [s["name"] for s in client.get(f"{API}/sources", headers=gaj).json()] == ["hukou"]
    assert client.get(f"{API}/sources/{source_id}/discover", headers=gaj).json()

    resp = client.post(f"{API}/tables/{table_id}/run", headers=gaj)
    assert resp.status_code == 202, resp.text
    [run] = client.get(f"{API}/runs", params={"table_id": table_id}, headers=gaj).json()
    assert run["status"] == "succeeded" and run["rows_written"] == 3 and run["lake_version"] is not None

    [status] = client.get(f"{API}/status", headers=token("sjj_user")).json()  # the bureau sees all
    assert status["lake_table"] == "hukou" and status["freshness"] == "fresh" and not status["late"]
    assert status["cycle_minutes"] == 1440 and status["last_run_rows"] == 3
    assert client.get(f"{API}/schema-changes", headers=gaj).status_code == 200


def test_other_departments_are_refused(client: TestClient, token, org: Org, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, table_id = _register(client, token("gaj_officer"), tmp_path)
    mzj = token("mzj_officer")
    assert client.post(f"{API}/tables/{table_id}/run", headers=mzj).status_code == 403
    assert client.get(f"{API}/tables/{table_id}/quarantine", headers=mzj).status_code == 403
    assert client.get(f"{API}/sources", headers=mzj).json() == []
    resp = client.post(
        f"{API}/sources",
        json={"department": "gaj", "name": "x", "connector": "csv", "config": {"path": "/x.csv"}},
        headers=mzj,
    )
    assert resp.status_code == 403
    assert client.get(f"{API}/sources", headers=token("sjj_user")).status_code == 403  # no INGEST_RUN


def test_bad_registrations_say_why(client: TestClient, token, org: Org, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gaj = token("gaj_officer")
    source_id, _ = _register(client, gaj, tmp_path)
    bad = client.post(
        f"{API}/sources",
        json={"department": "gaj", "name": "y", "connector": "csv", "config": {}},
        headers=gaj,
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "ingest.bad_config"
    again = client.post(
        f"{API}/sources",
        json={"department": "gaj", "name": "hukou", "connector": "csv", "config": {"path": "/a.csv"}},
        headers=gaj,
    )
    assert again.status_code == 409
    incremental = client.post(
        f"{API}/sources/{source_id}/tables",
        json={"source_table": "other", "lake_table": "other", "mode": "upsert"},
        headers=gaj,
    )
    assert incremental.status_code == 422
    bad_name = client.post(
        f"{API}/sources/{source_id}/tables", json={"source_table": "t", "lake_table": "Bad-Name"}, headers=gaj
    )
    assert bad_name.status_code == 422


def test_quarantine_json_and_csv(
    client: TestClient, token, org: Org, platform: Platform, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    gaj = token("gaj_officer")
    _, table_id = _register(client, gaj, tmp_path)
    rejects = Rejects(file="hukou.csv")
    rejects.add(Rejected(7, "ingest.reject.cast", column="出生日期", raw={"出生日期": "1949-13-45"}))
    write_rejects(platform.lake, "gaj", "hukou", 1, rejects)
    [row] = client.get(f"{API}/tables/{table_id}/quarantine", headers=gaj).json()
    assert row["source_row"] == 7 and row["column"] == "出生日期" and "1949-13-45" in row["raw"]
    resp = client.get(f"{API}/tables/{table_id}/quarantine", params={"format": "csv"}, headers=gaj)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0]["column"] == "出生日期"
    with platform.sessions() as s:
        from sqlalchemy import func, select

        from govdata.security.models import AuditRecord

        reads = s.scalar(select(func.count()).where(AuditRecord.action == "ingest.quarantine_read"))
        assert reads == 2
