"""逻辑归集 in the data service: a resource whose source table is ``logical`` is read at the source.

Real sources only: a SQLite file and the PostgreSQL server on this machine (127.0.0.1:5432, database
``test``, a uniquely named table dropped afterwards). Nothing is loaded into the lake: a change at the
source shows on the very next read.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import SECRET
from tests.factories import PEOPLE_ITEMS, people

from govdata.catalog import ResourceIn, create_resource, publish_resource
from govdata.ingest.service import add_table, register_source
from govdata.oversight.stats import platform_totals
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

CODE = "330100/1010/gaj-0009"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RECORDS = f"/api/v1/share/resources/{CODE}/records"


def _fill(engine: sa.Engine, table: str, data: pa.Table) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f'CREATE TABLE "{table}" (rkid varchar(10) PRIMARY KEY, xm varchar(50),'
                " sfzh varchar(18), lxdh varchar(11), hjdz varchar(200))"
            )
        )
        conn.execute(
            sa.text(f'INSERT INTO "{table}" VALUES (:rkid, :xm, :sfzh, :lxdh, :hjdz)'),  # noqa: S608
            data.to_pylist(),
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def source_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[sa.Engine, str, str]]:
    """(engine, connector url, table) of a people table at a real source database."""
    table = f"hj_rk_{uuid.uuid4().hex[:8]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'gaj.db'}"
        engine = sa.create_engine(url)
    else:
        url = PG_URL.replace("postgres@", "postgres:not-needed-trust-auth@")  # a secret to encrypt
        engine = sa.create_engine(PG_URL)
        try:
            engine.connect().close()
        except sa.exc.OperationalError as exc:
            pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    _fill(engine, table, people(20))
    yield engine, url, table
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP TABLE IF EXISTS "{table}"'))
    engine.dispose()


def _register(platform: Platform, url: str, table: str) -> None:
    """A published 有条件共享 resource of 公安局 over no lake table, answered by a logical source table."""
    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=CODE,
                name="户籍人口基本信息（逻辑归集）",
                department="gaj",
                summary="在公安局源库实时查询的户籍人口基本信息",
                category="基础",
                format="数据库",
                share_type="有条件共享",
                share_condition="仅限履行法定职责使用",
                open_type="不予开放",
                update_cycle="实时",
                key_column="sfzh",
                items=PEOPLE_ITEMS,
            ),
        )
        publish_resource(s, platform.audit, system, CODE)
        source = register_source(
            s, platform.audit, system, "gaj", "户籍库", "sql", {"url": url, "table": table}, secret_key=SECRET
        )
        add_table(s, platform.audit, system, source.id, table, "hj_rk", mode="logical", resource_code=CODE)


def _grant(client: TestClient, token, fields: list[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    user = token("mzj_user")
    resp = client.post(
        "/api/v1/share/applications",
        json={"resource": CODE, "fields": fields, "purpose": "婚姻登记身份核验", "days": 30},
        headers=user,
    )
    assert resp.status_code == 201, resp.text
    resp = client.post(
        f"/api/v1/share/applications/{resp.json()['id']}/decision",
        json={"approve": True, "note": "同意"},
        headers=token("gaj_officer"),
    )
    assert resp.status_code == 200, resp.text
    return user


def _reads(platform: Platform) -> list[AuditRecord]:
    with platform.sessions() as s:
        return list(
            s.execute(select(AuditRecord).where(AuditRecord.action == "share.read").order_by(AuditRecord.seq))
            .scalars()
            .all()
        )


def test_logical_resource_reads_masked_granted_fields_from_the_source(
    client, platform, org, token, source_db
) -> None:
    engine, url, table = source_db
    _register(platform, url, table)
    resp = client.get(f"/api/v1/catalog/resources/{CODE}", headers=token("mzj_user"))
    assert resp.status_code == 200 and resp.json()["aggregation"] == "logical"

    user = _grant(client, token, ["xm", "sfzh"])
    row = people(20).slice(5, 1).to_pylist()[0]
    resp = client.get(RECORDS, params={"key": row["sfzh"]}, headers=user)
    assert resp.status_code == 200, resp.text
    rows = resp.json()["rows"]
    assert len(rows) == 1 and set(rows[0]) == {"xm", "sfzh"}
    assert rows[0]["sfzh"] == row["sfzh"][:6] + "********" + row["sfzh"][-4:]
    assert rows[0]["xm"][0] == row["xm"][0] and set(rows[0]["xm"][1:]) == {"*"}
    assert not platform.lake.tables("raw")  # nothing was copied into the lake …
    with platform.sessions() as s:  # … so the overview counts the resource but no aggregated table
        totals = platform_totals(s, platform.lake, Actor.system("test"))
    assert (totals.resources, totals.tables, totals.records) == (1, 0, 0)

    # A change at the source is seen by the next read: no load ran in between.
    with engine.begin() as conn:
        conn.execute(
            sa.text(f'UPDATE "{table}" SET xm = :xm WHERE rkid = :rkid'),  # noqa: S608
            {"xm": "欧阳娜娜", "rkid": row["rkid"]},
        )
    resp = client.get(RECORDS, params={"key": row["sfzh"], "fields": "xm"}, headers=user)
    assert resp.status_code == 200 and resp.json()["rows"] == [{"xm": "欧阳**"}]  # compound surname kept
    assert client.get(RECORDS, params={"key": "nobody"}, headers=user).json()["count"] == 0

    ok = [r for r in _reads(platform) if r.outcome == "ok"]
    assert [r.rows for r in ok] == [1, 1, 0] and ok[0].fields == ["sfzh", "xm"] and ok[1].fields == ["xm"]
    assert all(r.grant_id is not None and json.loads(r.detail)["logical"] is True for r in ok)


def test_logical_resource_without_grant_is_403_and_audited(client, platform, org, token, source_db) -> None:
    _, url, table = source_db
    _register(platform, url, table)
    resp = client.get(RECORDS, params={"key": "x"}, headers=token("mzj_user"))
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "share.no_grant"
    assert [r.outcome for r in _reads(platform)] == ["denied"]


def test_physical_resource_says_so(client, platform, org, token) -> None:
    from tests.factories import publish_people

    publish_people(platform)
    resp = client.get("/api/v1/catalog/resources/330100/1010/gaj-0001", headers=token("mzj_user"))
    assert resp.status_code == 200 and resp.json()["aggregation"] == "physical"


def test_source_down_is_503_with_the_error_shape_and_audited_as_failed(client, platform, org, token) -> None:
    _register(platform, "postgresql+psycopg://postgres:pw@127.0.0.1:1/test", "hj_rk")
    user = _grant(client, token, ["xm"])
    resp = client.get(RECORDS, params={"key": "11010519491231002X"}, headers=user)
    assert resp.status_code == 503, resp.text
    error = resp.json()["error"]
    assert error["code"] == "share.source_unavailable"
    assert CODE in error["message"] and "示例市公安局" in error["message"] and error["hint"]
    assert "cannot be reached" in error["message_en"] and "127.0.0.1" not in json.dumps(error)
    failed = [r for r in _reads(platform) if r.outcome == "failed"]
    assert len(failed) == 1 and failed[0].fields == ["xm"] and failed[0].grant_id is not None
    assert json.loads(failed[0].detail)["error"] == "share.source_unavailable"
