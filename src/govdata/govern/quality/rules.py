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

import pyarrow as pa

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
    # a row's verdict depends on that row alone (and fixed reference data): it can judge a staged
    # batch before load, so it may be bound as blocking
    row_level: ClassVar[bool] = True
    # every reason code ``reason`` can give, when known: the engine then counts each with a plain
    # ``count_if`` instead of a ``histogram`` (which costs a grouped aggregate per rule)
    reasons: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Mapping[str, Any] | None = None) -> None:
        self.params = dict(params or {})
        self.validate_params()

    def validate_params(self) -> None:
        """Raise ``InvalidInput`` when ``self.params`` cannot be used; none are needed by default."""

    def check_schema(self, schema: pa.Schema, columns: Sequence[str]) -> None:
        """Raise ``InvalidInput`` when the rule cannot run on a table of ``schema``; any fits by default."""

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
    reasons = ("blank",)
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
    reasons = ("duplicate",)
    dimension = Dimension.UNIQUENESS
    label = "quality.rule.uniqueness"
    max_columns = None
    row_level = False

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        # A GROUP BY of the bound columns (read again from ``source``: only those and the keys) finds
        # the duplicated values and each one's first key; rows join it by a hash join. A window
        # function would hold the whole table in one partitioned sort.
        cols = refs(columns)
        filled = " AND ".join(f"NOT {blank(c)}" for c in cols)
        fresh = [ColumnRef.of(c.raw) for c in cols]
        values = ", ".join(f"{c.norm} AS v{i}" for i, c in enumerate(fresh))
        where = " AND ".join(f"NOT {blank(c)}" for c in fresh)
        group = ", ".join(str(i + 1) for i in range(len(cols)))
        key = _tuple(ctx.order_by.split(", "))
        dups = ctx.cte(
            f"SELECT {values}, min({key}) AS first FROM source "  # noqa: S608 - identifiers quoted
            f"WHERE {where} GROUP BY {group} HAVING count(*) > 1"
        )
        # keys are unique, so a row that is some group's first is its own group's first: two
        # uncorrelated semi-joins against the (small) set of duplicated values suffice
        value = _tuple([c.norm for c in cols])
        listed = _tuple([f"v{i}" for i in range(len(cols))])
        duplicated = f"{value} IN (SELECT {listed} FROM {dups})"  # noqa: S608 - own names
        first = f"{key} IN (SELECT first FROM {dups})"  # noqa: S608 - own names
        return f"CASE WHEN {filled} AND {duplicated} AND NOT {first} THEN 'duplicate' END"


def _tuple(items: Sequence[str]) -> str:
    """One SQL value of ``items``: the item itself, or a row of several (compared field by field)."""
    return items[0] if len(items) == 1 else f"row({', '.join(items)})"


def id_shape(v: str) -> str:
    """TRUE when the normalised ID ``v`` looks like an 18- or 15-digit identity number.

    The ID rules ask this of the same column; derived once (``SqlContext.derive``), the two
    regular expressions run once per row for all of them.
    """
    return (
        f"(CASE length({v}) WHEN 18 THEN regexp_full_match({v}, '[0-9]{{17}}[0-9X]') "
        f"WHEN 15 THEN regexp_full_match({v}, '[0-9]{{15}}') ELSE false END)"
    )


def _check_sum(number: str) -> str:
    """The MOD 11-2 weighted digit sum of an ID's first 17 digits, given as one BIGINT.

    The digits are parsed once and taken apart with ``//`` and ``%``: 17 substrings each cast to
    INTEGER cost DuckDB about three times as much (measured on 1M IDs).
    """
    last = len(ID_WEIGHTS) - 1
    return " + ".join(f"(({number} // {10 ** (last - i)}) % 10) * {w}" for i, w in enumerate(ID_WEIGHTS))


class IdNumberRule(ValueRule):
    """Resident identity number (GB 11643): pattern, province, calendar date, MOD 11-2 check char.

    Reasons: ``id15`` (old 15-digit form, reported apart from real defects), ``length``, ``pattern``,
    ``province``, ``birth_date``, ``check_char`` — the same codes as ``check_id_number``.
    """

    name = "id_number"
    reasons = ("id15", "length", "pattern", "province", "birth_date", "check_char")
    label = "quality.rule.id_number"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        v = column.norm
        provinces = quote_literal(",".join(sorted(PROVINCES)))
        born = f"CAST(try_strptime(substr({v}, 7, 8), '%Y%m%d') AS DATE)"
        number = ctx.derive(f"TRY_CAST(substr({v}, 1, 17) AS BIGINT)")
        expected = f"substr({quote_literal(CHECK_CHARS)}, (({_check_sum(number)}) % 11) + 1, 1)"
        shape = ctx.derive(id_shape(v))
        return [
            (f"length({v}) = 15 AND {shape}", "id15"),
            (f"length({v}) <> 18", "length"),
            (f"NOT {shape}", "pattern"),  # 18 characters by now: the shape is the 18-digit pattern
            # digits only by now, so a two-digit needle can only match a whole code of the list
            (f"instr({provinces}, substr({v}, 1, 2)) = 0", "province"),
            # no date (NULL) or a future one: one parse, not two
            (f"substr({v}, 7, 4) = '0000' OR coalesce({born} > current_date, true)", "birth_date"),
            (f"{expected} <> substr({v}, 18, 1)", "check_char"),
        ]


class UsccRule(ValueRule):
    """Unified social credit code (GB 32100): 18 chars of the 31-char alphabet and the pos-18 check.

    Reasons: ``length``, ``alphabet``, ``check_char`` (as ``check_uscc``). The embedded org-code check
    is only a warning in the standard, so it is not a failure here.
    """

    name = "uscc"
    reasons = ("length", "alphabet", "check_char")
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
    reasons = ("pattern",)
    label = "quality.rule.phone"

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        compact = f"regexp_replace({column.norm}, '[\\s-]', '', 'g')"
        pattern = quote_literal(MOBILE_PATTERN.removeprefix("^").removesuffix("$"))
        # most numbers are already compact: only the rest pay for the replace
        plain = f"regexp_full_match({column.norm}, {pattern})"
        return [(f"NOT {plain} AND NOT regexp_full_match({compact}, {pattern})", "pattern")]


class PatternRule(ValueRule):
    """The whole (trimmed) value must match ``params["pattern"]`` (RE2 syntax)."""

    name = "pattern"
    reasons = ("pattern",)
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
    reasons = ("not_in_set",)
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
