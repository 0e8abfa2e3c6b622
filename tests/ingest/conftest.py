"""Fixtures of the ingest tests: a tmp lake, a metadata session, and the machine's database servers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from govdata.db.base import Base, make_engine
from govdata.lake import Lake

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_URL = "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(str(tmp_path / "lake"))


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    import govdata.ingest.models  # noqa: F401
    import govdata.security.models  # noqa: F401  (departments)

    engine = make_engine(f"sqlite:///{tmp_path / 'meta.db'}")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def _server(url: str) -> Iterator[Engine]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        pytest.fail(f"database server {url} is unreachable: {exc}")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    yield from _server(PG_URL)


@pytest.fixture
def mariadb_engine() -> Iterator[Engine]:
    yield from _server(MARIADB_URL)
