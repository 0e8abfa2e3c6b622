"""A real portal server on a free port over a seeded tmp GOVDATA_HOME, and Debian's Chromium.

The server runs ``uvicorn --factory tests.browser.server:app`` in a subprocess; if it dies, the
failure shows its stderr.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from govdata.config import Settings
from govdata.runtime import Platform
from tests.web.portal_seed import ORG_PASSWORD, PortalData, seed_org, seed_portal

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SECRET = "browser-test-secret-0123456789abcdef"
REPO = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    url: str
    data: PortalData
    password: str
    home: Path  # the server's GOVDATA_HOME, for tests that seed more (SQLite, WAL: shared safely)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("browser-home")
    settings = Settings(home=home, secret_key=SecretStr(SECRET), database_url=None)
    platform = Platform.open(settings)
    try:
        seed_org(platform)
        data = seed_portal(platform)
    finally:
        platform.close()
    port = _free_port()
    env = {**os.environ, "GOVDATA_HOME": str(home), "GOVDATA_SECRET_KEY": SECRET}
    env.pop("GOVDATA_DATABASE_URL", None)
    stderr_path = home / "server.stderr"
    with stderr_path.open("wb") as stderr:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "tests.browser.server:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"portal server exited with {proc.returncode}:\n{stderr_path.read_text()}")
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"portal server at {url} did not answer in 30 s:\n{stderr_path.read_text()}")
            time.sleep(0.2)
        yield Server(url=url, data=data, password=ORG_PASSWORD, home=home)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.returncode not in (0, -15, None):
            sys.stderr.write(stderr_path.read_text())


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: apt-get install -y chromium chromium-driver"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """``new_page()`` → a page in a fresh context (its own cookies: one signed-in user each)."""
    contexts = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    """One page in a fresh context."""
    return new_page()


def sign_in(page: Any, server: Server, username: str) -> None:
    """Log ``username`` in through the login form and wait for the overview."""
    page.goto(f"{server.url}/login")
    page.fill("#username", username)
    page.fill("#password", server.password)
    page.click("#login-submit")
    page.wait_for_url(f"{server.url}/")
