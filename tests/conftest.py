"""Shared fixtures: settings on a tmp home, a migrated metadata store, the lake, the app, an organisation.

The metadata backend is chosen by ``GOVDATA_TEST_DATABASE_URL``: unset → SQLite; a PostgreSQL URL →
one database per xdist worker on that server (created and migrated once, emptied after each test).
An unreachable server fails the run with its URL — never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from pydantic import SecretStr

from govdata.config import Settings
from govdata.db.base import Base, make_engine, make_sessionmaker, migrate
from govdata.lake import Lake
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

SECRET = "test-secret-0123456789abcdef0123456789"
PASSWORD = "Demo#Passw0rd"
PG_BASE = os.environ.get("GOVDATA_TEST_DATABASE_URL")


_CREATED: list[str] = []


def _pg_url_for(worker: str) -> str:
    base = sa.make_url(PG_BASE or "")
    # The process id keeps two runs on one server (two developers, or CI beside a developer)
    # from dropping each other's databases; they are dropped again when the run ends.
    name = f"govdata_test_{worker}_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        pytest.exit(f"PostgreSQL at {base.render_as_string(hide_password=True)} is unreachable: {exc}", 3)
    finally:
        admin.dispose()
    _CREATED.append(name)
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases() -> Iterator[None]:
    """Set up first, torn down last: drop every database this run created on PostgreSQL."""
    yield
    if not _CREATED:
        return
    admin = sa.create_engine(sa.make_url(PG_BASE or ""), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for name in _CREATED:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def fresh_metadata_url(tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    """An empty metadata store on the backend under test, named ``name`` (unique per worker)."""
    if PG_BASE:
        return _pg_url_for(name)
    return f"sqlite:///{tmp_path_factory.mktemp('meta') / f'{name}.db'}"


@pytest.fixture(scope="session")
def metadata_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> str:
    return fresh_metadata_url(tmp_path_factory, worker_id)


@pytest.fixture(scope="session")
def engine(metadata_url: str) -> Iterator[sa.Engine]:
    eng = make_engine(metadata_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(tmp_path: Path, metadata_url: str) -> Settings:
    return Settings(home=tmp_path / "home", database_url=metadata_url, secret_key=SecretStr(SECRET))


@pytest.fixture
def platform(settings: Settings, engine: sa.Engine) -> Iterator[Platform]:
    settings.home.mkdir(parents=True, exist_ok=True)
    plat = Platform(
        settings=settings,
        engine=engine,
        sessions=make_sessionmaker(engine),
        lake=Lake(settings.lake_root),
        audit=AuditLog(SECRET),
    )
    yield plat
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    from govdata.web.app import create_app

    with TestClient(create_app(platform.settings, platform)) as c:
        yield c


@dataclass
class Org:
    """A small organisation: departments and one account per role (username = role name)."""

    password: str = PASSWORD
    departments: dict[str, int] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)  # username -> role


DEPARTMENTS = [
    # code, name, USCC (valid, synthetic)
    ("gaj", "示例市公安局", "11330100MB0000001"),
    ("mzj", "示例市民政局", "11330100MB0000002"),
    ("sjj", "示例市数据资源管理局", "11330100MB0000003"),
]


def _uscc(prefix17: str) -> str:
    from govdata.govern.standards import uscc_check_char

    return prefix17 + uscc_check_char(prefix17)


@pytest.fixture
def org(platform: Platform) -> Org:
    from govdata.security.org import create_department, create_user, ensure_region

    result = Org()
    system = Actor.system("test")
    with platform.unit() as s:
        ensure_region(s, "330000", "浙江省", "province", None)
        ensure_region(s, "330100", "示例市", "city", "330000")
        for code, name, prefix in DEPARTMENTS:
            dept = create_department(
                s, platform.audit, system, code=code, name=name, uscc=_uscc(prefix), region_code="330100"
            )
            result.departments[code] = dept.id
        accounts = [
            ("sysadmin", "system_admin", None),
            ("secadmin", "security_admin", None),
            ("auditor", "auditor", None),
            ("gaj_admin", "dept_admin", "gaj"),
            ("gaj_officer", "data_officer", "gaj"),
            ("mzj_officer", "data_officer", "mzj"),
            ("mzj_user", "data_user", "mzj"),
            ("sjj_user", "data_user", "sjj"),
        ]
        for username, role, dept_code in accounts:
            create_user(
                s,
                platform.audit,
                system,
                username=username,
                display_name=username,
                password=PASSWORD,
                role=role,
                department_code=dept_code,
            )
            result.users[username] = role
    return result


@pytest.fixture
def token(client: TestClient, org: Org):  # type: ignore[no-untyped-def]
    """``token(username)`` → Authorization headers for that account."""

    def issue(username: str) -> dict[str, str]:
        resp = client.post("/api/v1/auth/token", json={"username": username, "password": org.password})
        assert resp.status_code == 200, resp.text
        return {"Authorization": f"Bearer {resp.json()['access_token']}"}

    return issue


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(autouse=True, scope="session")
def _fast_argon2() -> Iterator[None]:
    """Real argon2id, with the cost lowered so that creating eight accounts per test stays cheap."""
    from argon2 import PasswordHasher

    import govdata.security.auth as auth

    saved = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = saved
