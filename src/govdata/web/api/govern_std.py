"""Standardization API: a resource's raw → std spec (view, save, suggest) and running it.

Viewing and suggesting need ``quality.read``; saving and running need ``standards.manage`` (the
service also requires the data bureau to save). Resource codes contain ``/``: they travel as a path.
Errors come from ``govern.standardize``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from govdata.catalog.service import get_resource
from govdata.govern.standardize import StdReport, StdSpec, standardize
from govdata.govern.standardize.specs import SpecIn, SpecView, save_spec, suggest, view_spec
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/govern/std", tags=["standardization"])
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Manager = Annotated[Actor, Depends(require(Permission.STANDARDS_MANAGE))]


@router.get("/{code:path}/spec", response_model=SpecView)
def read_spec(code: str, session: SessionDep, platform: PlatformDep, actor: Reader) -> SpecView:
    """The saved spec (else the suggested one), the raw columns, and the last run's report."""
    return view_spec(session, platform.lake, platform.audit, actor, code)


@router.put("/{code:path}/spec", response_model=SpecView)
def put_spec(code: str, body: SpecIn, session: SessionDep, platform: PlatformDep, actor: Manager) -> SpecView:
    """Check and save the spec as its next version (every problem at once in ``details.problems``)."""
    return save_spec(session, platform.lake, platform.audit, actor, code, body)


@router.post("/{code:path}/suggest", response_model=StdSpec)
def post_suggest(code: str, session: SessionDep, platform: PlatformDep, actor: Reader) -> StdSpec:
    """A fresh suggestion from bindings, column names and sampled values (nothing is saved)."""
    return suggest(session, platform.lake, platform.audit, actor, code)


@router.post("/{code:path}/run", response_model=StdReport)
def run(code: str, session: SessionDep, platform: PlatformDep, actor: Manager) -> StdReport:
    """Standardize now by the saved spec (else the suggested one); returns the report."""
    return standardize(session, platform.lake, platform.audit, actor, get_resource(session, code))
