"""What a reader of a resource's rule bindings sees at once: the registry of rules, the table's
columns, the effective bindings and whether the reader may change them (the portal page and the
registry endpoint read it here).

``view_bindings`` needs ``quality.read``; raises ``NotFound`` (resource), ``InvalidInput``
(``govern.rules.no_table``) and ``PermissionDenied`` like ``stored.list_bindings``.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from govdata.govern.quality.rules import RULES
from govdata.govern.quality.schemas import BindingOut
from govdata.govern.quality.stored import can_edit, list_bindings
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor


class RuleInfo(BaseModel):
    """A registered rule as a binding form needs it."""

    name: str
    dimension: str
    label: str  # i18n key
    row_level: bool  # may block a load
    min_columns: int
    max_columns: int | None  # None: any number


class BindingsView(BaseModel):
    resource: str
    name: str
    department: str
    table: str
    columns: list[str]  # the lake table's columns, the platform's ``_`` ones left out
    bindings: list[BindingOut]
    rules: list[RuleInfo]
    can_edit: bool


def rule_registry() -> list[RuleInfo]:
    """Every registered rule, by name."""
    rules = [RULES[name] for name in RULES.names()]
    return [
        RuleInfo(
            name=r.name,
            dimension=str(r.dimension),
            label=r.label,
            row_level=r.row_level,
            min_columns=r.min_columns,
            max_columns=r.max_columns,
        )
        for r in rules
    ]


def view_bindings(session: Session, lake: Lake, actor: Actor, code: str) -> BindingsView:
    """The resource's bindings with what a form to change them needs."""
    from govdata.catalog.service import get_resource  # the catalog imports govern: import late

    bindings = list_bindings(session, lake, actor, code)
    resource = get_resource(session, code)
    ref = TableRef.parse(resource.lake_table or "")
    return BindingsView(
        resource=resource.code,
        name=resource.name,
        department=resource.department.name,
        table=ref.key,
        columns=[c for c in lake.schema(ref).names if not c.startswith("_")],
        bindings=bindings,
        rules=rule_registry(),
        can_edit=can_edit(actor, resource),
    )
