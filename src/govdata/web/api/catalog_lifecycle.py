"""Catalog lifecycle API: file, edit, submit, withdraw, review, publish, retire; history and diffs.

Per-resource routes live under ``/catalog/lifecycle/{code}/…`` — codes contain ``/``, and
``GET /catalog/resources/{code}`` would swallow any suffix. Errors come from
``govdata.catalog.lifecycle``: ``catalog.bad_transition`` (409), ``catalog.self_review``,
``auth.bureau_only``, ``auth.other_department`` (403), ``catalog.code_fixed``,
``catalog.reject_needs_comment``, ``catalog.retire_needs_reason``, ``catalog.bad_ref`` (422),
``catalog.not_found``, ``catalog.version_not_found`` (404), and what ``check_entry`` raises.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from govdata.catalog import ResourceIn, ResourceOut, create_resource, lifecycle, to_out
from govdata.catalog.lifecycle_view import EntryDiff, EntryOut, RevisionOut, VersionOut, revision_out
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
Writer = Annotated[Actor, Depends(require(Permission.CATALOG_WRITE))]
Reviewer = Annotated[Actor, Depends(require(Permission.CATALOG_REVIEW))]
BASE = "/catalog/lifecycle/{code:path}"


class DraftIn(BaseModel):
    entry: ResourceIn
    note: str | None = None  # the provider's change note


class ReviewIn(BaseModel):
    approve: bool
    comment: str | None = None  # required to reject


class RetireIn(BaseModel):
    reason: str = Field(min_length=1)


@router.post("/catalog/resources", response_model=RevisionOut, status_code=201)
def file_resource(body: ResourceIn, session: SessionDep, platform: PlatformDep, actor: Writer) -> RevisionOut:
    """File a new resource for the caller's department: revision 1, a draft."""
    res = create_resource(session, platform.audit, actor, body)
    rev = lifecycle.pending_revision(session, res)
    assert rev is not None  # create_resource opens revision 1
    return revision_out(rev, res)


@router.put(f"{BASE}/draft", response_model=RevisionOut)
def save_draft(
    code: str, body: DraftIn, session: SessionDep, platform: PlatformDep, actor: Writer
) -> RevisionOut:
    """Edit the draft (or rejected) revision, or open a new revision of a published resource."""
    rev = lifecycle.revise(session, platform.audit, actor, code, body.entry, body.note)
    return revision_out(rev, rev.resource)


@router.post(f"{BASE}/submit", response_model=RevisionOut)
def submit(code: str, session: SessionDep, platform: PlatformDep, actor: Writer) -> RevisionOut:
    rev = lifecycle.submit(session, platform.audit, actor, code)
    return revision_out(rev, rev.resource)


@router.post(f"{BASE}/withdraw", response_model=RevisionOut)
def withdraw(code: str, session: SessionDep, platform: PlatformDep, actor: Writer) -> RevisionOut:
    rev = lifecycle.withdraw(session, platform.audit, actor, code)
    return revision_out(rev, rev.resource)


@router.post(f"{BASE}/review", response_model=RevisionOut)
def review(
    code: str, body: ReviewIn, session: SessionDep, platform: PlatformDep, actor: Reviewer
) -> RevisionOut:
    """The bureau approves or rejects (with a comment) the submitted revision."""
    rev = lifecycle.review(session, platform.audit, actor, code, body.approve, body.comment)
    return revision_out(rev, rev.resource)


@router.post(f"{BASE}/publish", response_model=VersionOut)
def publish(code: str, session: SessionDep, platform: PlatformDep, actor: Reviewer) -> VersionOut:
    ver = lifecycle.publish(session, platform.audit, actor, code)
    return lifecycle.version(session, actor, code, ver.version)


@router.post(f"{BASE}/retire", response_model=ResourceOut)
def retire(
    code: str, body: RetireIn, session: SessionDep, platform: PlatformDep, actor: Reviewer
) -> ResourceOut:
    return to_out(lifecycle.retire(session, platform.audit, actor, code, body.reason))


@router.get(f"{BASE}/revisions", response_model=list[RevisionOut])
def revisions(code: str, session: SessionDep, actor: Reader) -> list[RevisionOut]:
    """Every revision, newest first (the provider's department and the bureau only)."""
    return lifecycle.revisions(session, actor, code)


@router.get(f"{BASE}/versions", response_model=list[VersionOut])
def versions(code: str, session: SessionDep, actor: Reader) -> list[VersionOut]:
    return lifecycle.versions(session, actor, code)


@router.get(BASE + "/versions/{n:int}", response_model=VersionOut)
def version(code: str, n: int, session: SessionDep, actor: Reader) -> VersionOut:
    return lifecycle.version(session, actor, code, n)


@router.get(f"{BASE}/diff", response_model=EntryDiff)
def diff(
    code: str, session: SessionDep, actor: Reader, a: str | None = None, b: str | None = None
) -> EntryDiff:
    """Changes from ``a`` to ``b``: a version number, ``0`` (empty), ``pending`` or ``rN`` (revision N)."""
    return lifecycle.diff(session, actor, code, a, b)


@router.get("/catalog/review-queue", response_model=list[RevisionOut])
def review_queue(session: SessionDep, actor: Reviewer) -> list[RevisionOut]:
    """Revisions awaiting the bureau: submitted (to review) and reviewed (to publish)."""
    return lifecycle.review_queue(session, actor)


@router.get("/catalog/mine", response_model=list[EntryOut])
def mine(session: SessionDep, actor: Writer) -> list[EntryOut]:
    """The caller's department's resources, each with the revision it has on its way."""
    return lifecycle.my_entries(session, actor)
