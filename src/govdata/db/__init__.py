"""The metadata store: SQLAlchemy declarative base, engines and sessions, Alembic migrations."""

from govdata.db.base import Base, make_engine, make_sessionmaker, migrate, utcnow

__all__ = ["Base", "make_engine", "make_sessionmaker", "migrate", "utcnow"]
