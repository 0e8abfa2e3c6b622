"""Authentication: argon2 passwords, lockout, portal sessions with CSRF tokens, API bearer tokens.

Raises ``NotAuthenticated`` (wrong password, locked account, expired or unknown token/session)
with a code that says which, so the portal and API can tell the user what to do next.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.config import SecuritySettings
from govdata.db.base import utcnow
from govdata.errors import InvalidInput, NotAuthenticated, NotFound
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import ApiToken, LoginSession, User

_hasher = PasswordHasher()
_STRONG = [re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"[0-9]"), re.compile(r"[^A-Za-z0-9]")]


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def hash_password(password: str) -> str:
    """Argon2id hash; refuses passwords that fail the complexity policy."""
    check_password_policy(password)
    return _hasher.hash(password)


def check_password_policy(password: str) -> None:
    """At least 10 characters from at least three of: lower, upper, digit, symbol (MLPS 2.0)."""
    classes = sum(1 for rx in _STRONG if rx.search(password))
    if len(password) < 10 or classes < 3:
        raise InvalidInput("auth.weak_password")


def actor_for(user: User) -> Actor:
    return Actor(
        username=user.username,
        role=user.role,
        user_id=user.id,
        department_id=user.department_id,
        department_code=user.department.code if user.department else None,
        display_name=user.display_name,
        is_bureau=bool(user.department and user.department.is_bureau),
    )


def authenticate(
    session: Session, audit: AuditLog, policy: SecuritySettings, username: str, password: str
) -> User:
    """Check a username and password; count failures and lock the account after too many."""
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    now = utcnow()
    if user is None or not user.is_active:
        audit.record(session, Actor(username=username or "?", role=None), "auth.login", outcome="denied")
        raise NotAuthenticated("auth.bad_credentials")
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, actor_for(user), "auth.login", outcome="locked")
        raise NotAuthenticated("auth.locked", minutes=_minutes_left(user.locked_until, now))
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failed_logins:
            user.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
            user.failed_logins = 0
            audit.record(session, actor_for(user), "auth.lock", outcome="locked")
        audit.record(session, actor_for(user), "auth.login", outcome="denied")
        raise NotAuthenticated("auth.bad_credentials") from None
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _minutes_left(until: dt.datetime, now: dt.datetime) -> int:
    return max(1, int((until - now).total_seconds() // 60) + 1)


@dataclass(frozen=True)
class NewSession:
    cookie: str
    csrf_token: str


def start_session(session: Session, audit: AuditLog, user: User) -> NewSession:
    raw = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    session.add(LoginSession(session_hash=_sha(raw), user_id=user.id, csrf_token=csrf))
    audit.record(session, actor_for(user), "auth.login")
    return NewSession(cookie=raw, csrf_token=csrf)


def resolve_session(session: Session, policy: SecuritySettings, cookie: str) -> LoginSession:
    """The live session for a cookie; ends it when idle longer than the policy allows."""
    row = session.execute(
        select(LoginSession).where(LoginSession.session_hash == _sha(cookie))
    ).scalar_one_or_none()
    now = utcnow()
    if row is None or row.ended_at is not None or not row.user.is_active:
        raise NotAuthenticated("auth.session_invalid")
    if now - row.last_seen_at > dt.timedelta(minutes=policy.session_idle_minutes):
        row.ended_at = now
        raise NotAuthenticated("auth.session_expired")
    if now - row.last_seen_at > dt.timedelta(seconds=30):
        row.last_seen_at = now
    return row


def end_session(session: Session, audit: AuditLog, cookie: str) -> None:
    row = session.execute(
        select(LoginSession).where(LoginSession.session_hash == _sha(cookie))
    ).scalar_one_or_none()
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        audit.record(session, actor_for(row.user), "auth.logout")


def issue_token(session: Session, audit: AuditLog, user: User, name: str, days: int) -> str:
    """A new bearer token for ``user``; the raw value is returned once and never stored."""
    raw = "gd_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name,
            token_hash=_sha(raw),
            expires_at=utcnow() + dt.timedelta(days=days),
        )
    )
    audit.record(session, actor_for(user), "auth.token_issued", target=name)
    return raw


def resolve_token(session: Session, raw: str) -> User:
    row = session.execute(select(ApiToken).where(ApiToken.token_hash == _sha(raw))).scalar_one_or_none()
    now = utcnow()
    if row is None or row.revoked_at is not None or not row.user.is_active:
        raise NotAuthenticated("auth.token_invalid")
    if row.expires_at <= now:
        raise NotAuthenticated("auth.token_expired")
    if row.last_used_at is None or now - row.last_used_at > dt.timedelta(minutes=1):
        row.last_used_at = now
    return row.user


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first (hashes only; raw values are never stored)."""
    return list(
        session.execute(
            select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
        ).scalars()
    )


def revoke_token(session: Session, audit: AuditLog, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; another user's token is reported as not found."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("auth.token_not_found", id=token_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(session, actor_for(user), "auth.token_revoked", target=row.name)
    return row
