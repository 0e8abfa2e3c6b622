"""The running platform: settings, metadata engine, lake and audit log, opened once per process.

The web app and the CLI both open one ``Platform`` and hand its pieces to the pillar services;
nothing is created at import time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from govdata.config import Settings
from govdata.db.base import make_engine, make_sessionmaker, migrate
from govdata.lake import Lake
from govdata.security.audit import AuditLog


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    lake: Lake
    audit: AuditLog

    @classmethod
    def open(cls, settings: Settings, *, upgrade: bool = True) -> Platform:
        """Open the metadata store (migrating it to the newest schema) and the lake."""
        settings.check_secrets()
        settings.home.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.metadata_url)
        if upgrade:
            migrate(engine)
        platform = cls(
            settings=settings,
            engine=engine,
            sessions=make_sessionmaker(engine),
            lake=Lake(settings.lake_root),
            audit=AuditLog(settings.secret_key.get_secret_value()),
        )
        if upgrade:  # the standards library ships with the platform; only what is missing is added
            from govdata.govern.library_seed import seed_on_open

            seed_on_open(platform)
            from govdata.catalog.lifecycle import backfill_versions

            with platform.unit() as session:  # entries published before versions existed
                backfill_versions(session)
        return platform

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
