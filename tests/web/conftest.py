"""Portal fixtures: a published catalog with lake data on top of the shared ``org``, and a portal login."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from govdata.runtime import Platform
from tests.conftest import Org
from tests.web.portal_seed import PortalData, seed_portal


@pytest.fixture
def portal_data(platform: Platform, org: Org) -> PortalData:
    return seed_portal(platform)


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert found, "page has no csrf-token meta tag"
    return found.group(1)


@pytest.fixture
def portal_login(client: TestClient, org: Org) -> Callable[[str], str]:
    """``portal_login(username)`` signs ``client`` in through the login form; returns the CSRF token."""

    def login(username: str) -> str:
        client.cookies.clear()
        resp = client.post(
            "/login", data={"username": username, "password": org.password}, follow_redirects=False
        )
        assert resp.status_code == 303, resp.text
        page = client.get("/open")
        return csrf_of(page.text)

    return login
