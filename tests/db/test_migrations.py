"""Migrations: the models match them, and down/up round-trips, on the backend under test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from tests.conftest import fresh_metadata_url

import govdata.db.models  # noqa: F401
from govdata.db.base import Base, make_engine, migrate


@pytest.fixture
def empty_engine(tmp_path_factory: pytest.TempPathFactory, worker_id: str):  # type: ignore[no-untyped-def]
    eng = make_engine(fresh_metadata_url(tmp_path_factory, f"mig_{worker_id}"))
    yield eng
    eng.dispose()


def _config(conn: sa.Connection) -> Config:
    from pathlib import Path

    import govdata.db

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(govdata.db.__file__).parent / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def test_models_match_migrations(empty_engine: sa.Engine) -> None:
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_round_trip(empty_engine: sa.Engine) -> None:
    migrate(empty_engine)
    with empty_engine.begin() as conn:
        command.downgrade(_config(conn), "base")
    assert set(sa.inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate(empty_engine)
    assert {"users", "audit_records", "catalog_resources", "ingest_runs"} <= set(
        sa.inspect(empty_engine).get_table_names()
    )
