"""History of the standards library: every saved version of an element or a code table, and diffs.

Reading needs ``catalog.read``. Raises ``NotFound`` for an unknown element, code table
(``govern.library.element_not_found`` / ``code_table_not_found``) or version
(``govern.library.version_not_found``) and ``PermissionDenied``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.errors import NotFound
from govdata.govern.library import find_code_table, find_element
from govdata.govern.library_schemas import Diff, FieldChange, HistoryEntry
from govdata.govern.models import LibraryHistory
from govdata.security.actor import Actor
from govdata.security.roles import Permission


def _ref(session: Session, kind: str, ref: str) -> int:
    return find_element(session, ref).id if kind == "element" else find_code_table(session, ref).id


def history(session: Session, actor: Actor, kind: str, ref: str) -> list[HistoryEntry]:
    """Every saved version of element ``ref`` (kind ``element``) or code table ``ref``, newest first."""
    actor.require(Permission.CATALOG_READ)
    ref_id = _ref(session, kind, ref)
    rows = session.execute(
        select(LibraryHistory)
        .where(LibraryHistory.kind == kind, LibraryHistory.ref_id == ref_id)
        .order_by(LibraryHistory.version.desc())
    ).scalars()
    return [
        HistoryEntry(version=h.version, changed_by=h.changed_by, changed_at=h.changed_at, snapshot=h.snapshot)
        for h in rows
    ]


def diff(session: Session, actor: Actor, kind: str, ref: str, from_version: int, to_version: int) -> Diff:
    """What changed between two saved versions: each field, and each code table value by its code."""
    actor.require(Permission.CATALOG_READ)
    ref_id = _ref(session, kind, ref)
    snaps = {}
    for version in (from_version, to_version):
        row = session.execute(
            select(LibraryHistory.snapshot).where(
                LibraryHistory.kind == kind,
                LibraryHistory.ref_id == ref_id,
                LibraryHistory.version == version,
            )
        ).scalar_one_or_none()
        if row is None:
            raise NotFound("govern.library.version_not_found", ref=ref, version=version)
        snaps[version] = row
    return Diff(
        kind=kind,
        ref=ref,
        from_version=from_version,
        to_version=to_version,
        changes=snapshot_changes(snaps[from_version], snaps[to_version]),
    )


def snapshot_changes(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if key == "values":
            changes.extend(_value_changes(old or [], new or []))
        elif old != new:
            changes.append(FieldChange(field=key, before=old, after=new))
    return changes


def _value_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[FieldChange]:
    was = {v["code"]: v for v in old}
    now = {v["code"]: v for v in new}
    order = [v["code"] for v in new] + [c for c in was if c not in now]
    return [
        FieldChange(field=f"values.{code}", before=was.get(code), after=now.get(code))
        for code in order
        if was.get(code) != now.get(code)
    ]
