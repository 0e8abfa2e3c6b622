"""Helpers of the ingest operations tests: officers as actors, CSV sources registered through the service."""

from __future__ import annotations

from pathlib import Path

from govdata.ingest.models import SourceTable
from govdata.ingest.service import add_table, register_source
from govdata.runtime import Platform
from govdata.security.actor import Actor
from tests.conftest import SECRET, Org

GOOD_CSV = "身份证号,姓名\n11010519491231002X,张三\n440524188001010014,李四\n310115199512310023,王五\n"


def officer(org: Org, dept: str = "gaj") -> Actor:
    return Actor(
        username=f"{dept}_officer",
        role="data_officer",
        department_id=org.departments[dept],
        department_code=dept,
    )


def csv_table(
    platform: Platform,
    org: Org,
    tmp: Path,
    name: str,
    content: bytes | str = GOOD_CSV,
    *,
    dept: str = "gaj",
    schedule_minutes: int | None = 60,
) -> SourceTable:
    """A CSV file source of ``dept`` with one table ``name`` (raw.<dept>.<name>), due at once."""
    path = tmp / f"{name}.csv"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    actor = officer(org, dept)
    with platform.unit() as s:
        source = register_source(
            s, platform.audit, actor, dept, name, "csv", {"path": str(path)}, secret_key=SECRET
        )
        return add_table(
            s, platform.audit, actor, source.id, str(path), name, schedule_minutes=schedule_minutes
        )
