"""Alembic environment: runs on the connection ``govdata.db.migrate`` hands over, or on a URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import govdata.db.models  # noqa: F401 — registers every table on Base.metadata
from govdata.db.base import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url)  # type: ignore[arg-type]
    with engine.begin() as conn:
        _run_on(conn)


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Leave out the catalog's search index: the search pillar builds it per backend at first use
    (an FTS5 virtual table on SQLite, a tsvector table on PostgreSQL), outside the ORM's metadata."""
    return not (
        type_ == "table" and reflected and compare_to is None and (name or "").startswith("catalog_search")
    )


def _run_on(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=True,  # SQLite needs batch mode to alter tables
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
