"""The thin sharing path: apply, approve, read granted fields masked; refusals audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.factories import publish_people

from govdata.security.models import AuditRecord

CODE = "330100/1010/gaj-0001"


def _apply(client: TestClient, headers: dict[str, str], fields: list[str]) -> dict:
    resp = client.post(
        "/api/v1/share/applications",
        json={"resource": CODE, "fields": fields, "purpose": "婚姻登记身份核验", "days": 30},
        headers=headers,
    )
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_without_grant_is_403_and_audited(client, platform, org, token):
    people = publish_people(platform)
    key = people.column("sfzh")[0].as_py()
    resp = client.get(
        f"/api/v1/share/resources/{CODE}/records", params={"key": key}, headers=token("mzj_user")
    )
    assert resp.status_code == 403
    assert resp.json()["error"]["code"] == "share.no_grant"
    with platform.sessions() as s:
        rec = s.execute(select(AuditRecord).where(AuditRecord.action == "share.read")).scalar_one()
    assert rec.outcome == "denied" and rec.actor == "mzj_user" and rec.target == f"resource:{CODE}"


def test_conditional_share_needs_provider_approval_then_returns_masked_granted_fields(
    client, platform, org, token
):
    people = publish_people(platform)
    user = token("mzj_user")
    app = _apply(client, user, ["xm", "sfzh"])
    assert app["status"] == "pending"
    row = people.slice(3, 1).to_pylist()[0]

    # Still pending: no data.
    resp = client.get(f"/api/v1/share/resources/{CODE}/records", params={"key": row["sfzh"]}, headers=user)
    assert resp.status_code == 403

    # Another department's officer may not decide; the provider's officer may.
    decision = {"approve": True, "note": "同意"}
    resp = client.post(
        f"/api/v1/share/applications/{app['id']}/decision", json=decision, headers=token("mzj_officer")
    )
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "auth.other_department"
    resp = client.post(
        f"/api/v1/share/applications/{app['id']}/decision", json=decision, headers=token("gaj_officer")
    )
    assert resp.status_code == 200 and resp.json()["status"] == "approved"

    resp = client.get(f"/api/v1/share/resources/{CODE}/records", params={"key": row["sfzh"]}, headers=user)
    assert resp.status_code == 200, resp.text
    rows = resp.json()["rows"]
    assert len(rows) == 1
    assert set(rows[0]) == {"xm", "sfzh"}
    assert rows[0]["sfzh"] == row["sfzh"][:6] + "********" + row["sfzh"][-4:]
    assert rows[0]["xm"][0] == row["xm"][0] and set(rows[0]["xm"][1:]) == {"*"}

    # Fields outside the grant are refused, naming them.
    resp = client.get(
        f"/api/v1/share/resources/{CODE}/records",
        params={"key": row["sfzh"], "fields": "xm,lxdh"},
        headers=user,
    )
    assert resp.status_code == 403
    body = resp.json()["error"]
    assert body["code"] == "share.fields_not_granted" and "lxdh" in body["message"]

    with platform.sessions() as s:
        reads = s.execute(select(AuditRecord).where(AuditRecord.action == "share.read")).scalars().all()
    ok = [r for r in reads if r.outcome == "ok"]
    assert len(ok) == 1 and ok[0].rows == 1 and ok[0].fields == ["sfzh", "xm"] and ok[0].grant_id is not None


def test_unconditional_share_is_granted_at_once(client, platform, org, token):
    publish_people(platform, share_type="无条件共享")
    app = _apply(client, token("mzj_user"), ["rkid"])
    assert app["status"] == "approved"


def test_not_shared_resource_cannot_be_requested(client, platform, org, token):
    publish_people(platform, share_type="不予共享")
    resp = client.post(
        "/api/v1/share/applications",
        json={"resource": CODE, "fields": ["rkid"], "purpose": "x"},
        headers=token("mzj_user"),
    )
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "share.not_shareable"


def test_unknown_field_in_application_is_rejected(client, platform, org, token):
    publish_people(platform)
    resp = client.post(
        "/api/v1/share/applications",
        json={"resource": CODE, "fields": ["nope"], "purpose": "x"},
        headers=token("mzj_user"),
    )
    assert resp.status_code == 422 and "nope" in resp.json()["error"]["message"]


def test_system_admin_reads_no_data(client, platform, org, token):
    publish_people(platform)
    resp = client.get(
        f"/api/v1/share/resources/{CODE}/records", params={"key": "x"}, headers=token("sysadmin")
    )
    assert resp.status_code == 403
    resp = client.get("/api/v1/catalog/resources", headers=token("sysadmin"))
    assert resp.status_code == 403
