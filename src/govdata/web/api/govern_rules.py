"""Quality rule bindings API: the registry of rules, a resource's effective bindings, and adding,
editing, disabling, deleting and validating stored ones.

Reading needs ``quality.read``; changing needs ``quality.feedback`` (the service also limits it to the
providing department and the bureau). A resource code travels as a path (it may contain ``/``).
Errors come from ``govern.quality.stored``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from govdata.govern.quality import stored
from govdata.govern.quality.bindings_view import RuleInfo, rule_registry
from govdata.govern.quality.schemas import BindingIn, BindingOut
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/govern/rules", tags=["quality"])
Reader = Annotated[Actor, Depends(require(Permission.QUALITY_READ))]
Editor = Annotated[Actor, Depends(require(Permission.QUALITY_FEEDBACK))]


@router.get("/registry", response_model=list[RuleInfo])
def registry(actor: Reader) -> list[RuleInfo]:
    """Every registered rule: name, dimension, label key, whether it can block a load, how many
    columns it binds."""
    return rule_registry()


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


@router.delete("/resources/{code:path}/bindings/{binding_id}", status_code=204)
def delete(code: str, binding_id: int, session: SessionDep, platform: PlatformDep, actor: Editor) -> None:
    """Delete a stored binding; a derived binding it replaced applies again."""
    stored.delete_binding(session, platform.audit, actor, code, binding_id)


@router.get("/resources/{code:path}/bindings", response_model=list[BindingOut])
def list_bindings(code: str, session: SessionDep, platform: PlatformDep, actor: Reader) -> list[BindingOut]:
    """The effective bindings of the resource's table; derived ones carry their origin and no id."""
    return stored.list_bindings(session, platform.lake, actor, code)


@router.post("/resources/{code:path}/bindings", response_model=BindingOut, status_code=201)
def add(code: str, session: SessionDep, platform: PlatformDep, actor: Editor, body: BindingIn) -> BindingOut:
    """Store a binding (the same rule and columns as a derived one replaces it)."""
    return stored.add_binding(session, platform.lake, platform.audit, actor, code, body)
