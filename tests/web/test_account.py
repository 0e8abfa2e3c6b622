"""My tokens: issue (shown once), use, revoke; only one's own tokens."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient


def _login(client: TestClient, username: str, password: str) -> str:
    resp = client.post("/login", data={"username": username, "password": password}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    page = BeautifulSoup(client.get("/account/tokens").text, "html.parser")
    return page.select_one("#issue-token input[name=csrf_token]")["value"]


def test_issue_use_and_revoke_a_token(client: TestClient, org) -> None:
    csrf = _login(client, "mzj_user", org.password)
    page = BeautifulSoup(
        client.post("/account/tokens", data={"name": "婚姻登记系统", "csrf_token": csrf}).text, "html.parser"
    )
    raw = page.select_one("#new-token code").text.strip()
    assert raw.startswith("gd_")
    row = page.select_one("#tokens tbody tr")
    token_id = int(re.sub(r"\D", "", row["id"]))
    api = TestClient(client.app)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "mzj_user"
    # The raw value is not shown again.
    assert raw not in client.get("/account/tokens").text
    resp = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert resp.status_code == 303
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_cannot_revoke_someone_elses_token(client: TestClient, org, token, platform) -> None:
    import sqlalchemy as sa

    from govdata.security.models import ApiToken

    headers = token("gaj_officer")
    with platform.sessions() as s:
        other = s.execute(sa.select(ApiToken.id)).scalar_one()
    csrf = _login(client, "mzj_user", org.password)
    resp = client.post(f"/account/tokens/{other}/revoke", data={"csrf_token": csrf}, follow_redirects=False)
    assert resp.status_code == 404
    assert TestClient(client.app).get("/api/v1/me", headers=headers).status_code == 200


def test_issuing_needs_the_csrf_token(client: TestClient, org) -> None:
    _login(client, "mzj_user", org.password)
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 403
