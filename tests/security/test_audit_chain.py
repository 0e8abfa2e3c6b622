"""The audit chain detects a modified, deleted, inserted or reordered record, and a cut tail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from govdata.security.actor import Actor
from govdata.security.models import AuditRecord


@pytest.fixture
def chain(platform):
    actor = Actor(username="mzj_user", role="data_user", department_code="mzj")
    with platform.unit() as s:
        for i in range(6):
            platform.audit.record(s, actor, "share.read", target=f"resource:r{i}", fields=["xm"], rows=i)
    with platform.sessions() as s:
        assert platform.audit.verify(s).ok
    return platform


def _verify(platform):
    with platform.sessions() as s:
        return platform.audit.verify(s)


def test_intact_chain_verifies(chain):
    result = _verify(chain)
    assert result.ok and result.records == 6


def test_modified_record_is_found(chain):
    with chain.engine.begin() as conn:
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq == 3).values(rows=999))
    result = _verify(chain)
    assert not result.ok and result.broken_seq == 3 and result.reason == "modified"


def test_modified_record_with_recomputed_plain_hash_is_found(chain):
    # An attacker without the key cannot produce a valid hash: any value they write fails.
    import hashlib

    with chain.engine.begin() as conn:
        conn.execute(
            sa.update(AuditRecord)
            .where(AuditRecord.seq == 2)
            .values(actor="someone_else", hash=hashlib.sha256(b"forged").hexdigest())
        )
    result = _verify(chain)
    assert not result.ok and result.broken_seq == 2


def test_deleted_record_is_found(chain):
    with chain.engine.begin() as conn:
        conn.execute(sa.delete(AuditRecord).where(AuditRecord.seq == 4))
    result = _verify(chain)
    assert not result.ok and result.broken_seq == 4 and result.reason == "missing"


def test_deleted_tail_is_found(chain):
    with chain.engine.begin() as conn:
        conn.execute(sa.delete(AuditRecord).where(AuditRecord.seq == 6))
    result = _verify(chain)
    assert not result.ok and result.reason == "truncated"


def test_inserted_record_is_found(chain):
    with chain.engine.begin() as conn:
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq >= 4).values(seq=AuditRecord.seq + 100))
        row = conn.execute(sa.select(AuditRecord).where(AuditRecord.seq == 3)).mappings().one()
        conn.execute(sa.insert(AuditRecord).values({**row, "seq": 4, "action": "share.granted"}))
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq >= 104).values(seq=AuditRecord.seq - 99))
    result = _verify(chain)
    assert not result.ok and result.broken_seq == 4


def test_reordered_records_are_found(chain):
    with chain.engine.begin() as conn:
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq == 2).values(seq=1000))
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq == 3).values(seq=2))
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq == 1000).values(seq=3))
    result = _verify(chain)
    assert not result.ok and result.broken_seq == 2


def test_api_verify_is_for_the_auditor_only(client, org, token, platform):
    assert client.get("/api/v1/audit/verify", headers=token("auditor")).json()["ok"] is True
    for who in ("sysadmin", "secadmin", "gaj_officer"):
        assert client.get("/api/v1/audit/verify", headers=token(who)).status_code == 403
