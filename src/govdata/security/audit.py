"""The audit trail: append-only, hash-chained, keyed.

Each record's hash is HMAC-SHA256 (keyed from the platform secret) over its sequence number, the
previous record's hash and its own fields, so a modified, deleted, inserted or reordered record
breaks the chain, and nobody without the key can forge a consistent replacement. ``audit_head``
holds the newest link, which catches a truncated tail, and its row lock serialises appends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.security.actor import Actor
from govdata.security.models import AuditHead, AuditRecord

GENESIS = "0" * 64


def audit_key(secret: str) -> bytes:
    return hashlib.sha256(b"govdata-audit:" + secret.encode()).digest()


def _ts_text(ts: dt.datetime) -> str:
    """The timestamp as hashed: UTC, naive, microseconds — identical on SQLite and PostgreSQL."""
    if ts.tzinfo is not None:
        ts = ts.astimezone(dt.UTC).replace(tzinfo=None)
    return ts.isoformat(timespec="microseconds")


def _digest(key: bytes, seq: int, prev_hash: str, rec: AuditRecord) -> str:
    body = json.dumps(
        [
            seq,
            prev_hash,
            _ts_text(rec.ts),
            rec.actor,
            rec.actor_role,
            rec.department,
            rec.action,
            rec.target,
            rec.fields,
            rec.rows,
            rec.grant_id,
            rec.outcome,
            rec.detail,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


class AuditLog:
    """Appends to and verifies the chain, within the caller's transaction."""

    def __init__(self, secret: str) -> None:
        self._key = audit_key(secret)

    def record(
        self,
        session: Session,
        actor: Actor,
        action: str,
        target: str | None = None,
        *,
        fields: Iterable[str] | None = None,
        rows: int | None = None,
        grant_id: int | None = None,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
    ) -> AuditRecord:
        head = session.execute(
            select(AuditHead).where(AuditHead.id == 1).with_for_update()
        ).scalar_one_or_none()
        if head is None:
            head = AuditHead(id=1, seq=0, hash=GENESIS)
            session.add(head)
            session.flush()
        rec = AuditRecord(
            seq=head.seq + 1,
            ts=utcnow(),
            actor=actor.username,
            actor_role=actor.role or "anonymous",
            department=actor.department_code,
            action=action,
            target=target,
            fields=sorted(fields) if fields is not None else None,
            rows=rows,
            grant_id=grant_id,
            outcome=outcome,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None,
            prev_hash=head.hash,
        )
        rec.hash = _digest(self._key, rec.seq, rec.prev_hash, rec)
        session.add(rec)
        head.seq, head.hash = rec.seq, rec.hash
        session.flush()
        return rec

    def verify(self, session: Session) -> VerifyResult:
        """Walk the chain; report the first broken record, if any."""
        prev = GENESIS
        expected_seq = 1
        count = 0
        for rec in session.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars().yield_per(5000):
            if rec.seq != expected_seq:
                return VerifyResult(False, count, expected_seq, "missing")
            if rec.prev_hash != prev:
                return VerifyResult(False, count, rec.seq, "chain")
            if _digest(self._key, rec.seq, rec.prev_hash, rec) != rec.hash:
                return VerifyResult(False, count, rec.seq, "modified")
            prev = rec.hash
            expected_seq += 1
            count += 1
        head = session.get(AuditHead, 1)
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
        if head_seq != count or head_hash != prev:
            return VerifyResult(False, count, count + 1 if head_seq > count else head_seq, "truncated")
        return VerifyResult(True, count, None, None)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    records: int
    broken_seq: int | None
    reason: str | None  # modified / chain / missing / truncated
