"""The push API end to end: JSON and CSV (UTF-8, GBK) batches, idempotency keys, bad bodies, permissions."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from govdata.ingest.models import IngestRun, PushBatch, Source, SourceTable
from govdata.ingest.push import PUSH_BATCH
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.audit import AuditRecord
from tests.conftest import Org


def _push_table(
    platform: Platform,
    org: Org,
    *,
    keys: list[str] | None = None,
    connector: str = "push",
    drift: str = "evolve",
) -> int:
    with platform.unit() as s:
        source = Source(
            department_id=org.departments["gaj"], name=f"push_{uuid.uuid4().hex[:6]}", connector=connector
        )
        table = SourceTable(
            source=source,
            source_table="reports",
            lake_table="reports",
            key_columns=keys or [],
            drift_policy=drift,
        )
        s.add(source)
        s.flush()
        return table.id


def _rows(platform: Platform) -> list[dict[str, Any]]:
    ds = platform.lake.dataset(TableRef("raw", "gaj", "reports"))
    return sorted(ds.to_table().to_pylist(), key=lambda r: (r[PUSH_BATCH], r["_source_row"]))


def _post(client: TestClient, headers: dict[str, str], table_id: int, key: str | None, **kw: Any) -> Any:
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(f"/api/v1/ingest/push/{table_id}", headers={**headers, **extra}, **kw)


def test_json_push_is_written_once_per_key(
    client: TestClient, token: Any, platform: Platform, org: Org
) -> None:
    table_id = _push_table(platform, org)
    auth = token("gaj_officer")
    records = [
        {"证件号码": "11010519491231002X", "姓名": "张三", "年龄": 70},
        {"证件号码": "440524188001010014"},
    ]
    first = _post(client, auth, table_id, "batch-1", json=records)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["rows"] == 2 and body["table"] == "raw.gaj.reports" and not body["replayed"]

    again = _post(client, auth, table_id, "batch-1", json=records)
    assert (
        again.status_code == 200 and again.json()["batch_id"] == body["batch_id"] and again.json()["replayed"]
    )
    assert again.headers["Idempotent-Replayed"] == "true"
    rows = _rows(platform)
    assert [r["姓名"] for r in rows] == ["张三", None] and rows[0]["年龄"] == "70"

    wrapped = _post(client, auth, table_id, "batch-2", json={"records": [{"证件号码": "310115199512310023"}]})
    assert wrapped.status_code == 201
    assert len(_rows(platform)) == 3

    reused = _post(client, auth, table_id, "batch-1", json=[{"证件号码": "x"}])
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "ingest.push_key_reused"

    with platform.unit() as s:
        batches = s.scalars(select(PushBatch).where(PushBatch.source_table_id == table_id)).all()
        assert sorted(b.idempotency_key for b in batches) == ["batch-1", "batch-2"]
        runs = s.scalars(select(IngestRun).where(IngestRun.source_table_id == table_id)).all()
        assert [(r.mode, r.status, r.rows_written) for r in runs] == [
            ("push", "succeeded", 2),
            ("push", "succeeded", 1),
        ]
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.action == "ingest.push")).all()
        assert len(actions) == 3  # two writes and the replay


def test_csv_push_gbk_and_utf8_merge_by_key(
    client: TestClient, token: Any, platform: Platform, org: Org
) -> None:
    table_id = _push_table(platform, org, keys=["编号"])
    auth = token("gaj_officer")
    gbk = "编号,名称\n1,户籍科\n2,治安科\n".encode("gbk")
    resp = client.post(
        f"/api/v1/ingest/push/{table_id}",
        content=gbk,
        headers={**auth, "Idempotency-Key": "c1", "Content-Type": "text/csv"},
    )
    assert resp.status_code == 201, resp.text
    utf8 = "\ufeff编号,名称\n2,治安管理科\n3,交警支队\n".encode()
    resp = client.post(
        f"/api/v1/ingest/push/{table_id}",
        content=utf8,
        headers={**auth, "Idempotency-Key": "c2", "Content-Type": "text/csv"},
    )
    assert resp.status_code == 201, resp.text
    rows = {r["编号"]: r["名称"] for r in _rows(platform)}
    assert rows == {"1": "户籍科", "2": "治安管理科", "3": "交警支队"}


@pytest.mark.parametrize(
    ("content", "ctype", "status", "code", "where"),
    [
        (b'[{"a": 1}, 2]', "application/json", 422, "ingest.push_not_object", {"index": 1}),
        (b'[{"a": 1},\n {"a": }]', "application/json", 422, "ingest.push_bad_json", {"line": 2}),
        (b'{"a": 1}', "application/json", 422, "ingest.push_not_array", {}),
        (b"[]", "application/json", 422, "ingest.push_empty", {}),
        (b"a,b\n1,2\n3,4,5\n", "text/csv", 422, "ingest.push_csv", {"line": 3}),
        (b"a,b\n1,\xff\xfe\n", "text/csv", 422, "ingest.push_bad_encoding", {"line": 2}),
        (b"<x/>", "application/xml", 415, "ingest.push_unsupported_type", {}),
        (b'[{"_source_row": 1}]', "application/json", 422, "ingest.reserved_column", {}),
    ],
)
def test_bad_bodies_are_refused_with_their_place(
    client: TestClient,
    token: Any,
    platform: Platform,
    org: Org,
    content: bytes,
    ctype: str,
    status: int,
    code: str,
    where: dict[str, Any],
) -> None:
    table_id = _push_table(platform, org)
    auth = token("gaj_officer")
    resp = client.post(
        f"/api/v1/ingest/push/{table_id}",
        content=content,
        headers={**auth, "Idempotency-Key": "k", "Content-Type": ctype},
    )
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert error["code"] == code and error["hint"]
    for name, value in where.items():
        assert error["details"][name] == value
    assert not platform.lake.exists(TableRef("raw", "gaj", "reports"))
    with platform.unit() as s:
        assert s.scalars(select(PushBatch)).all() == []  # the key stays free for the corrected batch


def test_missing_key_field_and_missing_header(
    client: TestClient, token: Any, platform: Platform, org: Org
) -> None:
    table_id = _push_table(platform, org, keys=["id"])
    auth = token("gaj_officer")
    resp = _post(client, auth, table_id, "k", json=[{"id": "1"}, {"id": " "}])
    assert resp.status_code == 422 and resp.json()["error"]["details"] == {"index": 1, "column": "id"}
    resp = _post(client, auth, table_id, None, json=[{"id": "1"}])
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "ingest.push_key_required"


def test_too_large_body_is_413(
    client: TestClient, token: Any, platform: Platform, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform.settings.ingest, "push_max_mb", 1)
    table_id = _push_table(platform, org)
    resp = _post(client, token("gaj_officer"), table_id, "big", json=[{"a": "x" * 1_100_000}])
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "ingest.push_too_large"


def test_only_the_owning_department_may_push(
    client: TestClient, token: Any, platform: Platform, org: Org
) -> None:
    table_id = _push_table(platform, org)
    other = _post(client, token("mzj_officer"), table_id, "k", json=[{"a": 1}])
    assert other.status_code == 403
    reader = _post(client, token("sjj_user"), table_id, "k", json=[{"a": 1}])
    assert reader.status_code == 403
    anonymous = client.post(
        f"/api/v1/ingest/push/{table_id}", json=[{"a": 1}], headers={"Idempotency-Key": "k"}
    )
    assert anonymous.status_code == 401
    missing = _post(client, token("gaj_officer"), 999_999, "k", json=[{"a": 1}])
    assert missing.status_code == 404


def test_a_pulled_source_does_not_take_pushes(
    client: TestClient, token: Any, platform: Platform, org: Org
) -> None:
    table_id = _push_table(platform, org, connector="csv")
    resp = _post(client, token("gaj_officer"), table_id, "k", json=[{"a": 1}])
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "ingest.push_not_push_source"


@pytest.mark.parametrize(
    ("drift", "status", "columns"),
    [("freeze", 201, {"a"}), ("reject", 422, {"a"}), ("evolve", 201, {"a", "b"})],
)
def test_new_fields_follow_the_drift_policy(
    client: TestClient, token: Any, platform: Platform, org: Org, drift: str, status: int, columns: set[str]
) -> None:
    table_id = _push_table(platform, org, drift=drift)
    auth = token("gaj_officer")
    assert _post(client, auth, table_id, "k1", json=[{"a": "1"}]).status_code == 201
    resp = _post(client, auth, table_id, "k2", json=[{"a": "2", "b": "new"}])
    assert resp.status_code == status, resp.text
    if status == 422:
        assert resp.json()["error"]["code"] == "ingest.push_new_columns"
    names = set(platform.lake.schema(TableRef("raw", "gaj", "reports")).names)
    assert {n for n in names if not n.startswith("_")} == columns
