"""A resource's effective rule bindings: derived from the catalog and the standards library, plus the
stored ones people add, edit or switch off.

Derived bindings: ``not_null`` on required items, ``uniqueness`` of the key column, what column names
suggest, and the rules of each bound data element (``Item.element``): ``code_set`` gets the element's
code table (codes, labels and synonyms), ``pattern`` its format's regular expression (only for an
element without a normalizer: raw values reach a normalized element's format in std), ``length``
its length; ``id_birth_date`` and ``id_gender`` bind the identity number of the same person with
the element's column (see ``_id_partner``); element rules that need parameters nobody gave
(``range``, ``referential`` …) are left out.
A stored binding with the same rule and columns (and, for ``custom_sql``, name) replaces the derived
one; ``enabled = False`` switches it off. A stored ``timeliness`` binding without an age takes the
resource's update cycle.

Services check ``quality.read`` to list and ``quality.feedback`` (own department, or the bureau) to
change (add, replace, switch on or off, switch a derived binding off, delete), validate every binding against the lake table's schema before saving (custom SQL is bound
by DuckDB), and audit each change (``quality.rule_saved``). Raises ``InvalidInput`` (bad rule,
params, columns or SQL; ``govern.rules.not_blocking``; ``govern.rules.no_table``), ``Conflict``
(``govern.rules.duplicate``), ``NotFound`` (resource, binding, ``govern.rules.derived_not_found``) and
``PermissionDenied``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.catalog.models import Resource
from govdata.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govdata.govern.models import CodeTable, DataElement
from govdata.govern.quality.engine import RuleBinding, check_columns
from govdata.govern.quality.models import StoredBinding
from govdata.govern.quality.schemas import BindingIn, BindingOut
from govdata.govern.quality.suggest import suggest_bindings
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission


@dataclass(frozen=True)
class Effective:
    """One binding of a resource and where it comes from (``required``, ``key``, ``suggested``,
    ``element``, ``stored``); a stored one that replaces a derived binding names its origin in
    ``overrides`` (and keeps its ``element``)."""

    binding: RuleBinding
    origin: str
    element: str | None = None
    stored: StoredBinding | None = None
    overrides: str | None = None

    @property
    def enabled(self) -> bool:
        return self.stored is None or self.stored.enabled

    @property
    def blocking(self) -> bool:
        return self.stored is not None and self.stored.enabled and self.stored.blocking


def identity(rule: str, columns: Sequence[str], params: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
    """What makes two bindings the same: rule, columns and (custom SQL only) the rule's name."""
    return rule, tuple(columns), str(params.get("name") or "") if rule == "custom_sql" else ""


def _element_params(rule: str, element: DataElement) -> dict[str, Any] | None:
    """Parameters an element gives its rule; None when the rule needs ones the element cannot give."""
    if rule == "code_set":
        table: CodeTable | None = element.code_table
        if table is None or not table.values:
            return None
        spellings = [s for v in table.values for s in (v.code, v.label, *(v.synonyms or []))]
        return {"values": sorted(set(spellings))}
    if rule == "pattern":
        # an element with a normalizer describes the standard form, which raw values reach only
        # through standardization (std): its format is no defect check on the raw table
        if not element.format or element.normalizer not in (None, "", "trim"):
            return None
        from govdata.govern.library_format import parse_format

        return {"pattern": parse_format(element.format).pattern()}
    if rule == "length":
        return {"max": element.length} if element.length else None
    if rule in ("not_null", "uniqueness", "id_number", "uscc", "phone"):
        return {}
    return None


# cross-field rules an element brings to its column: they bind (identity number, the column)
_WITH_ID = ("id_birth_date", "id_gender")


def _id_partner(column: str, bound: dict[str, str], elements: dict[str, DataElement]) -> str | None:
    """The identity-number column that describes the same person as ``column``: the only other column
    of its group bound to an element with the ``id_number`` rule. A group is what a flattened header
    has before its last ``/`` (``母亲/身份证号`` and ``新生儿/性别`` are two people); None when no
    column or several (a husband's and a wife's) could be meant."""
    group = column.rpartition("/")[0]
    ids = [
        other
        for other, identifier in bound.items()
        if other != column
        and other.rpartition("/")[0] == group
        and identifier in elements
        and "id_number" in (elements[identifier].rules or [])
    ]
    return ids[0] if len(ids) == 1 else None


def _derived(session: Session | None, resource: Resource, schema: pa.Schema) -> list[Effective]:
    present = set(schema.names)
    out = [Effective(RuleBinding("not_null", (i.column,)), "required") for i in resource.items if i.required and i.column in present]  # fmt: skip
    if resource.key_column and resource.key_column in present:
        out.append(Effective(RuleBinding("uniqueness", (resource.key_column,)), "key"))
    out += [Effective(b, "suggested") for b in suggest_bindings(schema)]
    bound = {i.column: i.element for i in resource.items if i.element and i.column in present}
    if session is None or not bound:
        return out
    elements = {
        e.identifier: e
        for e in session.execute(
            select(DataElement)
            .where(DataElement.identifier.in_(set(bound.values())))
            .options(selectinload(DataElement.code_table).selectinload(CodeTable.values))
        ).scalars()
    }
    for column, identifier in bound.items():
        element = elements.get(identifier)
        for rule in element.rules if element is not None else []:
            if rule in _WITH_ID:
                partner = _id_partner(column, bound, elements)
                if partner is not None:
                    binding = RuleBinding(rule, (partner, column))
                    out.append(Effective(binding, "element", element=identifier))
                continue
            params = _element_params(rule, element)  # type: ignore[arg-type]  # not None in this loop
            if params is not None:
                out.append(Effective(RuleBinding(rule, (column,), params), "element", element=identifier))
    return out


def _stored(session: Session, resource: Resource) -> list[StoredBinding]:
    return list(
        session.execute(
            select(StoredBinding).where(StoredBinding.resource_id == resource.id).order_by(StoredBinding.id)
        ).scalars()
    )


def _with_cycle(row: StoredBinding, resource: Resource) -> dict[str, Any]:
    params = dict(row.params or {})
    if row.rule == "timeliness" and "max_age_days" not in params and "cycle" not in params:
        params["cycle"] = resource.update_cycle
    return params


def effective_bindings(session: Session | None, resource: Resource, schema: pa.Schema) -> list[Effective]:
    """Every binding of the resource's table, derived ones first, duplicates dropped, stored ones
    replacing the derived binding they match; disabled ones included (``enabled`` tells)."""
    unique: dict[tuple[str, tuple[str, ...], str], Effective] = {}
    for e in _derived(session, resource, schema):
        unique.setdefault(identity(e.binding.rule_name, e.binding.columns, dict(e.binding.params)), e)
    for row in _stored(session, resource) if session is not None and resource.id is not None else []:
        params = _with_cycle(row, resource)
        key = identity(row.rule, row.columns, params)
        derived = unique.get(key)
        unique[key] = Effective(
            RuleBinding(row.rule, tuple(row.columns), params),
            "stored",
            element=derived.element if derived is not None else None,
            stored=row,
            overrides=derived.origin if derived is not None else None,
        )
    return list(unique.values())


def blocking_bindings(session: Session, resource: Resource, schema: pa.Schema) -> list[RuleBinding]:
    """The enabled bindings marked blocking, for judging a staged batch before load."""
    return [e.binding for e in effective_bindings(session, resource, schema) if e.blocking]


# --- the API's services ------------------------------------------------------------------------------


def _resource(session: Session, code: str) -> Resource:
    from govdata.catalog.service import get_resource

    return get_resource(session, code)


def _schema(lake: Lake, resource: Resource) -> pa.Schema:
    if not resource.lake_table or not lake.exists(TableRef.parse(resource.lake_table)):
        raise InvalidInput("govern.rules.no_table", resource=resource.code)
    return lake.schema(TableRef.parse(resource.lake_table))


def _out(e: Effective) -> BindingOut:
    from govdata.govern.quality.rules import get_rule

    rule = get_rule(e.binding.rule_name)
    return BindingOut(
        id=e.stored.id if e.stored is not None else None,
        rule=e.binding.rule_name,
        columns=list(e.binding.columns),
        params=dict(e.binding.params),
        dimension=str(rule.dimension),
        label=rule.label,
        origin=e.origin,
        element=e.element,
        overrides=e.overrides,
        blocking=e.blocking,
        enabled=e.enabled,
    )


def list_bindings(session: Session, lake: Lake, actor: Actor, code: str) -> list[BindingOut]:
    """The resource's effective bindings (derived ones marked by origin, stored ones with their id)."""
    actor.require(Permission.QUALITY_READ)
    resource = _resource(session, code)
    return [_out(e) for e in effective_bindings(session, resource, _schema(lake, resource))]


def validate_binding(lake: Lake, resource: Resource, data: BindingIn) -> RuleBinding:
    """The binding as the engine will run it, checked against the table: rule, params, columns, custom
    SQL bound by DuckDB, a referenced table and column, blocking only for row-level rules."""
    binding = RuleBinding(data.rule, tuple(data.columns), data.params)
    rule = binding.rule()
    schema = _schema(lake, resource)
    ref = TableRef.parse(resource.lake_table or "")
    check_columns(binding.columns, schema, ref)
    rule.check_schema(schema, binding.columns)
    if data.rule == "referential":
        other = TableRef.parse(data.params["table"])
        check_columns([data.params["column"]], lake.schema(other), other)
    if data.blocking and not rule.row_level:
        raise InvalidInput("govern.rules.not_blocking", rule=data.rule)
    return binding


def check_binding(session: Session, lake: Lake, actor: Actor, code: str, data: BindingIn) -> BindingOut:
    """Validate without saving (the portal's "check" button and ``POST …/validate``)."""
    actor.require(Permission.QUALITY_READ)
    resource = _resource(session, code)
    binding = validate_binding(lake, resource, data)
    return _out(Effective(binding, "stored"))


def _require_editor(actor: Actor, resource: Resource) -> None:
    actor.require(Permission.QUALITY_FEEDBACK)
    if not actor.is_bureau:
        actor.require_department(resource.department_id)


def can_edit(actor: Actor, resource: Resource) -> bool:
    """Whether ``actor`` may change the resource's bindings (what the services below require)."""
    try:
        _require_editor(actor, resource)
    except PermissionDenied:
        return False
    return True


def _row(session: Session, resource: Resource, binding_id: int) -> StoredBinding:
    row = session.get(StoredBinding, binding_id)
    if row is None or row.resource_id != resource.id:
        raise NotFound("govern.rules.binding_not_found", resource=resource.code, binding=binding_id)
    return row


def _refuse_duplicate(
    session: Session, resource: Resource, data: BindingIn, besides: int | None = None
) -> None:
    """``Conflict`` if another stored binding of ``resource`` has ``data``'s rule, columns and params."""
    key = identity(data.rule, data.columns, data.params)
    if any(
        identity(r.rule, r.columns, r.params) == key for r in _stored(session, resource) if r.id != besides
    ):
        raise Conflict(
            "govern.rules.duplicate", resource=resource.code, rule=data.rule, columns=", ".join(data.columns)
        )


def _stored_out(row: StoredBinding, resource: Resource) -> BindingOut:
    return _out(
        Effective(RuleBinding(row.rule, tuple(row.columns), _with_cycle(row, resource)), "stored", stored=row)
    )


def add_binding(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str, data: BindingIn
) -> BindingOut:
    """Store a new binding (or an override of a derived one) after validating it."""
    resource = _resource(session, code)
    _require_editor(actor, resource)
    validate_binding(lake, resource, data)
    _refuse_duplicate(session, resource, data)
    row = StoredBinding(
        resource_id=resource.id,
        rule=data.rule,
        columns=list(data.columns),
        params=dict(data.params),
        blocking=data.blocking,
        enabled=data.enabled,
        created_by=actor.username,
        updated_by=actor.username,
    )
    session.add(row)
    session.flush()
    _audit(session, audit, actor, resource, row, "added")
    return _stored_out(row, resource)


def update_binding(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str, binding_id: int, data: BindingIn
) -> BindingOut:
    """Replace a stored binding's rule, columns, params and flags (``enabled=False`` disables it)."""
    resource = _resource(session, code)
    _require_editor(actor, resource)
    row = _row(session, resource, binding_id)
    validate_binding(lake, resource, data)
    _refuse_duplicate(session, resource, data, besides=row.id)
    row.rule, row.columns, row.params = data.rule, list(data.columns), dict(data.params)
    row.blocking, row.enabled, row.updated_by = data.blocking, data.enabled, actor.username
    session.flush()
    _audit(session, audit, actor, resource, row, "updated")
    return _stored_out(row, resource)


def set_enabled(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str, binding_id: int, enabled: bool
) -> BindingOut:
    """Switch a stored binding on or off, keeping its rule, columns, params and blocking."""
    resource = _resource(session, code)
    _require_editor(actor, resource)
    row = _row(session, resource, binding_id)
    data = BindingIn(
        rule=row.rule, columns=list(row.columns), params=dict(row.params or {}), blocking=row.blocking
    )
    return update_binding(
        session, lake, audit, actor, code, binding_id, data.model_copy(update={"enabled": enabled})
    )


def disable_derived(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, code: str, rule: str, columns: Sequence[str]
) -> BindingOut:
    """Switch a derived binding off: store a disabled override with the derived parameters (deleting
    the override brings the derived binding back)."""
    resource = _resource(session, code)
    _require_editor(actor, resource)
    key = identity(rule, columns, {})
    derived = next(
        (
            e
            for e in _derived(session, resource, _schema(lake, resource))
            if identity(e.binding.rule_name, e.binding.columns, {}) == key
        ),
        None,
    )
    if derived is None:
        raise NotFound("govern.rules.derived_not_found", resource=code, rule=rule, columns=", ".join(columns))
    data = BindingIn(rule=rule, columns=list(columns), params=dict(derived.binding.params), enabled=False)
    return add_binding(session, lake, audit, actor, code, data)


def delete_binding(session: Session, audit: AuditLog, actor: Actor, code: str, binding_id: int) -> None:
    """Remove a stored binding; a derived binding it replaced applies again."""
    resource = _resource(session, code)
    _require_editor(actor, resource)
    row = _row(session, resource, binding_id)
    _audit(session, audit, actor, resource, row, "deleted")
    session.delete(row)
    session.flush()


def _audit(
    session: Session, audit: AuditLog, actor: Actor, resource: Resource, row: StoredBinding, change: str
) -> None:
    audit.record(
        session,
        actor,
        "quality.rule_saved",
        target=f"resource:{resource.code}",
        detail={
            "change": change,
            "binding": row.id,
            "rule": row.rule,
            "columns": row.columns,
            "params": row.params,
            "blocking": row.blocking,
            "enabled": row.enabled,
        },
    )
