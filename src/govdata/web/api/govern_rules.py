"""Quality rule bindings API: the registry of rules, a resource's effective bindings, and adding,
editing, disabling and validating stored ones.

Reading needs ``quality.read``; changing needs ``quality.feedback`` (the service also limits it to the
providing department and the bureau). A resource code travels as a path (it may contain ``/``).
Errors come from ``govern.quality.stored``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from govdata.govern.quality import RULES, stored
from govdata.govern.quality.schemas import BindingIn, BindingOut
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/govern/rules", tags=["quality"])
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Editor = Annotated[Actor, Depends(require(Permission.QUALITY_FEEDBACK))]


@router.get("/registry")
def registry(actor: Reader) -> list[dict[str, Any]]:
    """Every registered rule: name, dimension, label key, whether it can block a load."""
    rules = [RULES[name] for name in RULES.names()]
    return [
        {"name": r.name, "dimension": str(r.dimension), "label": r.label, "row_level": r.row_level}
        for r in rules
    ]


@router.post("/resources/{code:path}/validate", response_model=BindingOut)
def validate(
    code: str, session: SessionDep, platform: PlatformDep, actor: Reader, body: BindingIn
) -> BindingOut:
    """Check a binding against the resource's table (custom SQL bound by DuckDB) without saving it."""
    return stored.check_binding(session, platform.lake, actor, code, body)


@router.put("/resources/{code:path}/bindings/{binding_id}", response_model=BindingOut)
def update(
    code: str, binding_id: int, session: SessionDep, platform: PlatformDep, actor: Editor, body: BindingIn
) -> BindingOut:
    """Replace a stored binding; ``"enabled": false`` disables it."""
    return stored.update_binding(session, platform.lake, platform.audit, actor, code, binding_id, body)


@router.get("/resources/{code:path}/bindings", response_model=list[BindingOut])
def list_bindings(code: str, session: SessionDep, platform: PlatformDep, actor: Reader) -> list[BindingOut]:
    """The effective bindings of the resource's table; derived ones carry their origin and no id."""
    return stored.list_bindings(session, platform.lake, actor, code)


@router.post("/resources/{code:path}/bindings", response_model=BindingOut, status_code=201)
def add(code: str, session: SessionDep, platform: PlatformDep, actor: Editor, body: BindingIn) -> BindingOut:
    """Store a binding (the same rule and columns as a derived one replaces it)."""
    return stored.add_binding(session, platform.lake, platform.audit, actor, code, body)
