"""Quality rules as SQL: each rule writes a DuckDB expression over quoted column identifiers.

A rule's ``reason`` expression gives a short reason code (VARCHAR) for a row that FAILS and NULL for
a row that passes; ``failure`` is the matching boolean predicate. The engine puts every bound rule's
expression into one SELECT, so all rules bound to a table run in one scan; the expressions use only
plain SQL (substr, CAST, regexp, window functions), which Spark SQL can run too.

Validity rules leave blank values to ``not_null`` (a blank value neither passes nor fails them: it
is outside their ``scope``). Owns the built-in rule classes and ``RULES`` (a plug-in registry over
the ``register_quality_rules`` hook), ``register_rule`` and ``get_rule``; raises ``InvalidInput`` for
an unknown rule (``govern.quality.unknown_rule``) or bad parameters (``govern.quality.bad_params``),
``Conflict`` (``govern.quality.rule_name_taken``) when two classes claim one name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any, ClassVar

from govdata.errors import InvalidInput
from govdata.govern.quality.sql import ColumnRef, SqlContext, as_text, blank, quote_literal
from govdata.govern.standards.idnumber import CHECK_CHARS, PROVINCES
from govdata.govern.standards.idnumber import WEIGHTS as ID_WEIGHTS
from govdata.govern.standards.phone import MOBILE_PATTERN
from govdata.govern.standards.uscc import ALPHABET as USCC_ALPHABET
from govdata.govern.standards.uscc import WEIGHTS as USCC_WEIGHTS
from govdata.plugins import Registry

Columns = Sequence[ColumnRef | str]


def refs(columns: Columns) -> list[ColumnRef]:
    """Column references; a plain string is taken as a quoted column identifier."""
    return [c if isinstance(c, ColumnRef) else ColumnRef.of(c) for c in columns]


class Dimension(StrEnum):
    COMPLETENESS = "completeness"
    VALIDITY = "validity"
    UNIQUENESS = "uniqueness"
    CONSISTENCY = "consistency"
    TIMELINESS = "timeliness"


class Rule:
    """Base of all rules: stable ``name``, ``dimension``, ``label`` i18n key, SQL for a failing row."""

    name: ClassVar[str] = ""
    dimension: ClassVar[Dimension] = Dimension.VALIDITY
    label: ClassVar[str] = ""
    min_columns: ClassVar[int] = 1
    max_columns: ClassVar[int | None] = 1

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = dict(params or {})
        self.validate_params()

    def validate_params(self) -> None:
        """Raise ``InvalidInput`` when ``self.params`` cannot be used; none are needed by default."""

    def bad_params(self, detail: str) -> InvalidInput:
        return InvalidInput("govern.quality.bad_params", rule=self.name, detail=detail)

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        """VARCHAR SQL: a reason code when the row fails, NULL when it passes."""
        return f"CASE WHEN {self.failure(columns, ctx)} THEN {quote_literal(self.name)} END"

    def failure(self, columns: Columns, ctx: SqlContext) -> str:
        """Boolean SQL, TRUE exactly when the row fails (never NULL)."""
        return f"(({self.reason(columns, ctx)}) IS NOT NULL)"

    def scope(self, columns: Columns) -> str | None:
        """Boolean SQL for the rows this rule checks; None = every row."""
        return None


class ValueRule(Rule):
    """A validity rule over one column's non-blank values; subclasses give ``cases`` (condition, reason)."""

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        raise NotImplementedError

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        column = refs(columns)[0]
        whens = " ".join(f"WHEN {cond} THEN {quote_literal(code)}" for cond, code in self.cases(column, ctx))
        return f"CASE WHEN {blank(column)} THEN NULL {whens} END"

    def scope(self, columns: Columns) -> str | None:
        return f"NOT {blank(refs(columns)[0])}"


class NotNullRule(Rule):
    """Completeness: NULL, empty or blank in any of the bound columns fails."""

    name = "not_null"
    dimension = Dimension.COMPLETENESS
    label = "quality.rule.not_null"
    max_columns = None

    def failure(self, columns: Columns, ctx: SqlContext) -> str:
        return "(" + " OR ".join(blank(c) for c in refs(columns)) + ")"

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        return f"CASE WHEN {self.failure(columns, ctx)} THEN 'blank' END"


class UniquenessRule(Rule):
    """Uniqueness over one column or a set: every row of a duplicated group but the first fails.

    Values compare in normalised form (trimmed, half-width, upper-case), so ``…002x`` duplicates
    ``…002X``; rows with a blank in any bound column are left to ``not_null``. "First" follows the
    table's key columns.
    """

    name = "uniqueness"
    dimension = Dimension.UNIQUENESS
    label = "quality.rule.uniqueness"
    max_columns = None

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        filled = " AND ".join(f"NOT {blank(c)}" for c in refs(columns))
        partition = ", ".join(c.norm for c in refs(columns))
        rank = f"row_number() OVER (PARTITION BY {partition} ORDER BY {ctx.order_by})"
        return f"CASE WHEN {filled} AND {rank} > 1 THEN 'duplicate' END"


def _digit(value: str, pos: int) -> str:
    return f"CAST(substr({value}, {pos}, 1) AS INTEGER)"


class IdNumberRule(ValueRule):
    """Resident identity number (GB 11643): pattern, province, calendar date, MOD 11-2 check char.

    Reasons: ``id15`` (old 15-digit form, reported apart from real defects), ``length``, ``pattern``,
    ``province``, ``birth_date``, ``check_char`` — the same codes as ``check_id_number``.
    """

    name = "id_number"
    label = "quality.rule.id_number"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        v = column.norm
        provinces = ", ".join(quote_literal(p) for p in sorted(PROVINCES))
        born = f"try_strptime(substr({v}, 7, 8), '%Y%m%d')"
        total = " + ".join(f"{_digit(v, i + 1)} * {w}" for i, w in enumerate(ID_WEIGHTS))
        expected = f"substr({quote_literal(CHECK_CHARS)}, (({total}) % 11) + 1, 1)"
        return [
            (f"regexp_full_match({v}, '[0-9]{{15}}')", "id15"),
            (f"length({v}) <> 18", "length"),
            (f"NOT regexp_full_match({v}, '[0-9]{{17}}[0-9X]')", "pattern"),
            (f"substr({v}, 1, 2) NOT IN ({provinces})", "province"),
            (
                f"substr({v}, 7, 4) = '0000' OR {born} IS NULL OR CAST({born} AS DATE) > current_date",
                "birth_date",
            ),
            (f"{expected} <> substr({v}, 18, 1)", "check_char"),
        ]


class UsccRule(ValueRule):
    """Unified social credit code (GB 32100): 18 chars of the 31-char alphabet and the pos-18 check.

    Reasons: ``length``, ``alphabet``, ``check_char`` (as ``check_uscc``). The embedded org-code check
    is only a warning in the standard, so it is not a failure here.
    """

    name = "uscc"
    label = "quality.rule.uscc"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        v = column.norm
        alphabet = quote_literal(USCC_ALPHABET)
        total = " + ".join(
            f"(instr({alphabet}, substr({v}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(USCC_WEIGHTS)
        )
        expected = f"substr({alphabet}, ((31 - ({total}) % 31) % 31) + 1, 1)"
        return [
            (f"length({v}) <> 18", "length"),
            (f"NOT regexp_full_match({v}, '[0-9A-HJ-NP-RTUW-Y]{{18}}')", "alphabet"),
            (f"{expected} <> substr({v}, 18, 1)", "check_char"),
        ]


class PhoneRule(ValueRule):
    """Mainland mobile number (STANDARDS.md §3 pattern), after dropping spaces and hyphens."""

    name = "phone"
    label = "quality.rule.phone"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        compact = f"regexp_replace({column.norm}, '[\\s-]', '', 'g')"
        pattern = quote_literal(MOBILE_PATTERN.removeprefix("^").removesuffix("$"))
        return [(f"NOT regexp_full_match({compact}, {pattern})", "pattern")]


class PatternRule(ValueRule):
    """The whole (trimmed) value must match ``params["pattern"]`` (RE2 syntax)."""

    name = "pattern"
    label = "quality.rule.pattern"

    def validate_params(self) -> None:
        pattern = self.params.get("pattern")
        if not isinstance(pattern, str) or not pattern:
            raise self.bad_params("pattern: a non-empty regular expression is required")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise self.bad_params(f"pattern: {exc}") from exc

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        pattern = ctx.params.bind(self.params["pattern"])
        return [(f"NOT regexp_full_match(trim({as_text(column.raw)}), {pattern})", "pattern")]


class CodeSetRule(ValueRule):
    """The (trimmed) value must be one of ``params["values"]`` (compared as text)."""

    name = "code_set"
    label = "quality.rule.code_set"

    def validate_params(self) -> None:
        values = self.params.get("values")
        if not isinstance(values, list | tuple | set | frozenset) or not values:
            raise self.bad_params("values: a non-empty list of allowed codes is required")

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        allowed = ctx.params.bind(sorted(str(v) for v in self.params["values"]))
        return [(f"NOT list_contains({allowed}, trim({as_text(column.raw)}))", "not_in_set")]


BUILTIN_RULES: tuple[type[Rule], ...] = (
    NotNullRule,
    UniquenessRule,
    IdNumberRule,
    UsccRule,
    PhoneRule,
    PatternRule,
    CodeSetRule,
)

# Filled from the plugin manager's ``register_quality_rules`` hook on first lookup
# (built-ins through ``govdata.govern.quality.builtin``, exactly like outside packages).
RULES: Registry[type[Rule]] = Registry(
    "register_quality_rules", unknown="govern.quality.unknown_rule", taken="govern.quality.rule_name_taken"
)


def register_rule(rule: type[Rule]) -> type[Rule]:
    """Add a rule class under its ``name`` directly; usable as a decorator. Plug-ins use the hook."""
    return RULES.register(rule)


def get_rule(name: str) -> type[Rule]:
    """The rule class called ``name``; raises ``InvalidInput`` listing the known names."""
    return RULES.lookup(name)
