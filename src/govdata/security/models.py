"""Organisation, accounts and the audit trail: regions, departments, users, tokens, sessions, audit records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.db.base import Base, utcnow


class Region(Base):
    """A GB/T 2260 administrative division (province → city → district)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(16))  # province / city / county
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), nullable=True)


class Department(Base):
    """A government department: a data provider and/or consumer."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # ascii; also the lake folder
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    # the data bureau (数据资源管理局): reviews and publishes every department's catalog entries
    is_bureau: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    region: Mapped[Region] = relationship()


class User(Base):
    """An account. One account = one role (MLPS 2.0)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship()


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    user: Mapped[User] = relationship()


class LoginSession(Base):
    """A portal session; the cookie carries the raw id, the table its SHA-256."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    user: Mapped[User] = relationship()


class AuditRecord(Base):
    """One link of the hash-chained, append-only audit trail."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(64))
    actor_role: Mapped[str] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(32), nullable=True)
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    fields: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    rows: Mapped[int | None] = mapped_column(nullable=True)
    grant_id: Mapped[int | None] = mapped_column(nullable=True)
    outcome: Mapped[str] = mapped_column(String(16), default="ok")
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest link of the chain; also the lock that serialises appends."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))
