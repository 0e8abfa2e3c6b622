"""Login, lockout, tokens, roles (三员)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from govdata.errors import InvalidInput
from govdata.security.auth import check_password_policy
from govdata.security.models import ApiToken
from govdata.security.roles import ROLE_PERMISSIONS, Permission, Role


def test_wrong_password_is_401_with_bilingual_message(client, org):
    resp = client.post("/api/v1/auth/token", json={"username": "mzj_user", "password": "wrong"})
    assert resp.status_code == 401
    err = resp.json()["error"]
    assert err["code"] == "auth.bad_credentials" and err["message"] and err["message_en"]


def test_account_locks_after_repeated_failures(client, org, platform):
    limit = platform.settings.security.max_failed_logins
    for _ in range(limit):
        client.post("/api/v1/auth/token", json={"username": "mzj_user", "password": "wrong"})
    resp = client.post("/api/v1/auth/token", json={"username": "mzj_user", "password": org.password})
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "auth.locked"


def test_expired_token_is_refused(client, org, token, platform):
    headers = token("mzj_user")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with platform.engine.begin() as conn:
        conn.execute(sa.update(ApiToken).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
    resp = client.get("/api/v1/me", headers=headers)
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "auth.token_expired"


def test_garbage_token_is_refused(client, org):
    resp = client.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "auth.token_invalid"


def test_anonymous_is_refused_on_protected_api(client, org):
    resp = client.get("/api/v1/catalog/resources")
    assert resp.status_code == 401 and resp.json()["error"]["code"] == "auth.required"


@pytest.mark.parametrize("pw", ["short1A!", "alllowercaseletters", "NoDigitsOrSymbols"])
def test_weak_passwords_are_refused(pw):
    with pytest.raises(InvalidInput):
        check_password_policy(pw)


def test_separation_of_duties():
    sysadmin, secadmin, auditor = (
        ROLE_PERMISSIONS[r] for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
    )
    data = {Permission.DATA_READ, Permission.CATALOG_READ, Permission.QUALITY_READ}
    assert not sysadmin & (data | {Permission.AUDIT_READ, Permission.SECURITY_MANAGE})
    assert Permission.AUDIT_READ not in secadmin and Permission.USER_MANAGE not in secadmin
    assert auditor == {Permission.AUTHENTICATED, Permission.AUDIT_READ}
    for role, perms in ROLE_PERMISSIONS.items():
        if role is not Role.AUDITOR:
            assert Permission.AUDIT_READ not in perms
