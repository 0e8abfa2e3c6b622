"""Checking a lake table against its bound quality rules in one scan, and scoring it.

``check_table`` compiles every binding into one DuckDB statement over the Delta table (a CTE that
evaluates each rule's reason expression per row, then one aggregate per binding: rows checked, rows
failed, failures by reason, the smallest N failing keys). ``failing_keys`` returns *all* failing keys
of one binding as an Arrow table. Raises ``InvalidInput`` for unknown rules or columns, a binding
with the wrong number of columns, missing key columns or unknown score weights; ``NotFound`` (from
the lake) for a missing table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from govdata.errors import InvalidInput
from govdata.govern.quality.rules import Dimension, Rule, get_rule
from govdata.govern.quality.sql import (
    ColumnRef,
    Params,
    SqlContext,
    is_blank,
    normalized,
    quote_ident,
    quote_literal,
)
from govdata.lake import Lake, TableRef
from govdata.lake.sql import cursor

DEFAULT_SAMPLE_SIZE = 10
REASON_COLUMN = "failure_reason"


@dataclass(frozen=True)
class RuleBinding:
    """A rule bound to one or more columns of a table, with the rule's parameters."""

    rule_name: str
    columns: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.columns, str):
            object.__setattr__(self, "columns", (self.columns,))
        else:
            object.__setattr__(self, "columns", tuple(self.columns))

    @property
    def key(self) -> str:
        """A readable identity, e.g. ``uniqueness(sfzh)``."""
        return f"{self.rule_name}({', '.join(self.columns)})"

    def rule(self) -> Rule:
        """The configured rule; raises ``InvalidInput`` for an unknown rule, bad params or arity."""
        rule = get_rule(self.rule_name)(self.params)
        count = len(self.columns)
        if count < rule.min_columns or (rule.max_columns is not None and count > rule.max_columns):
            expected = f"{rule.min_columns}–{rule.max_columns or 'n'}"
            raise InvalidInput(
                "govern.quality.bad_columns", rule=self.rule_name, expected=expected, got=count
            )
        return rule


@dataclass(frozen=True)
class BindingResult:
    """The outcome of one binding: counts, failures by reason and sample failing keys."""

    binding: RuleBinding
    dimension: Dimension
    label: str
    checked_rows: int
    failed_rows: int
    reasons: dict[str, int]
    samples: list[dict[str, Any]]

    @property
    def passed_rows(self) -> int:
        return self.checked_rows - self.failed_rows

    @property
    def pass_rate(self) -> float:
        """Percentage of checked rows that pass, 0–100 (100 when nothing was checked)."""
        return 100.0 if self.checked_rows == 0 else 100.0 * self.passed_rows / self.checked_rows


@dataclass(frozen=True)
class QualityReport:
    """One table's check: per-binding results, per-dimension pass rates and the weighted score."""

    table: str
    version: int
    rows: int
    key_columns: tuple[str, ...]
    results: list[BindingResult]
    dimension_scores: dict[str, float]
    score: float | None  # 0–100, one decimal; None when no rule was bound

    def result(self, rule_name: str, *columns: str) -> BindingResult:
        """The first result for ``rule_name`` (on ``columns`` when given)."""
        for res in self.results:
            if res.binding.rule_name == rule_name and (not columns or res.binding.columns == columns):
                return res
        raise KeyError(f"{rule_name}{columns}")


def check_columns(names: Sequence[str], schema: pa.Schema, ref: TableRef) -> None:
    known = schema.names
    for name in names:
        if name not in known:
            raise InvalidInput(
                "govern.quality.unknown_column", column=name, table=ref.key, known=", ".join(known)
            )


def _prepare(
    lake: Lake,
    ref: TableRef,
    bindings: Sequence[RuleBinding],
    key_columns: Sequence[str],
    version: int | None,
) -> tuple[Any, int, list[Rule]]:
    if not key_columns:
        raise InvalidInput("govern.quality.no_key_columns", table=ref.key)
    at = lake.version(ref) if version is None else version
    schema = lake.schema(ref, at)
    check_columns(key_columns, schema, ref)
    rules = [b.rule() for b in bindings]
    for b, rule in zip(bindings, rules, strict=True):
        check_columns(b.columns, schema, ref)
        rule.check_schema(schema, b.columns)
    return schema, at, rules


def _context(lake: Lake, ref: TableRef, version: int, keys: Sequence[str]) -> SqlContext:
    """A statement's context; ``loaded_at`` is the commit time of the checked version."""
    stamps = [h.get("timestamp") for h in lake.history(ref) if int(h.get("version", -1)) == version]
    loaded_at = dt.datetime.fromtimestamp(float(stamps[0]) / 1000, dt.UTC) if stamps and stamps[0] else None
    return SqlContext(Params(), ", ".join(quote_ident(k) for k in keys), loaded_at=loaded_at)


def flagged_cte(
    bindings: Sequence[RuleBinding],
    rules: Sequence[Rule],
    key_columns: Sequence[str],
    ctx: SqlContext,
    *,
    with_references: bool = True,
) -> str:
    """CTEs over ``source``: ``normalised`` adds each bound column's normalised text once (``_qn0``,
    ``_qn1`` …) to the row, ``prepared`` its blankness (``_qn0_blank`` …) and the rules' derived
    values (``_qd0`` …, see ``SqlContext.derive``), ``flagged`` keeps the key columns and, per
    binding i, its reason ``r{i}`` and scope ``s{i}``; before them, per referenced column of another
    table, ``ref{j}`` (its
    distinct normalised values ``k``, read from the view ``ref_src{j}``) — unless
    ``with_references`` is false and the caller provides tables ``ref{j}`` itself.
    """
    norm_names: dict[str, str] = {}
    for binding in bindings:
        for column in binding.columns:
            norm_names.setdefault(column, f"_qn{len(norm_names)}")
    if ctx.derived is None:
        ctx.derived = {}
    select = [quote_ident(k) for k in key_columns]
    for i, (binding, rule) in enumerate(zip(bindings, rules, strict=True)):
        cols = [ColumnRef(quote_ident(c), norm_names[c], f"{norm_names[c]}_blank") for c in binding.columns]
        select.append(f"({rule.reason(cols, ctx)}) AS r{i}")
        scope = rule.scope(cols)
        select.append(f"coalesce({scope}, false) AS s{i}" if scope else f"true AS s{i}")
    # A column some rule reads normalised is blank exactly when its normalised text is empty (the
    # normal form trims the same spaces); deriving it from there saves a second trim per row. A
    # column only ever asked whether it is blank is never normalised.
    rules_sql = " ".join([*select, *ctx.derived])
    prepared, blanks = ["*"], ["*", *(f"{expr} AS {name}" for expr, name in ctx.derived.items())]
    for c, n in norm_names.items():
        if re.search(rf"\b{n}\b", rules_sql):
            prepared.append(f"{normalized(quote_ident(c))} AS {n}")
            blanks.append(f"({n} IS NULL OR {n} = '') AS {n}_blank")
        else:
            prepared.append(f"{is_blank(quote_ident(c))} AS {n}_blank")
    references = [
        f"{name} AS (SELECT DISTINCT k FROM (SELECT {normalized(quote_ident(column))} AS k "  # noqa: S608 - identifiers quoted
        f"FROM ref_src{name.removeprefix('ref')}) WHERE k IS NOT NULL AND k <> '')"
        for (_, column), name in ctx.references.items()
        if with_references
    ]
    helpers = [f"{name} AS ({body})" for body, name in ctx.ctes.items()]
    return ", ".join(
        [
            *references,
            *helpers,
            f"normalised AS (SELECT {', '.join(prepared)} FROM source)",  # noqa: S608 - identifiers quoted
            f"prepared AS (SELECT {', '.join(blanks)} FROM normalised)",  # noqa: S608 - own names
            f"flagged AS (SELECT {', '.join(select)} FROM prepared)",  # noqa: S608 - identifiers quoted
        ]
    )


def _connect(lake: Lake, ref: TableRef, version: int, ctx: SqlContext) -> Any:
    """A DuckDB connection with ``source`` (the checked version) and every referenced table."""
    con = cursor()
    try:
        lake.register(con, "source", ref, version)
        for (table, column), name in ctx.references.items():
            other = TableRef.parse(table)
            check_columns([column], lake.schema(other), other)
            lake.register(con, f"ref_src{name.removeprefix('ref')}", other)
    except BaseException:
        con.close()
        raise
    return con


def _scores(
    results: Sequence[BindingResult], weights: Mapping[str, float] | None
) -> tuple[dict[str, float], float | None]:
    known = [d.value for d in Dimension]
    for name in weights or {}:
        if name not in known:
            raise InvalidInput("govern.quality.bad_weight", dimension=name, known=", ".join(known))
    rates: dict[str, float] = {}
    for dim in known:
        mine = [r for r in results if r.dimension == dim]
        if mine:
            checked = sum(r.checked_rows for r in mine)
            failed = sum(r.failed_rows for r in mine)
            rates[dim] = 100.0 if checked == 0 else 100.0 * (checked - failed) / checked
    weight = {d: float((weights or {}).get(d, 1.0)) for d in rates}
    total = sum(weight.values())
    score = None if not rates or total <= 0 else sum(rates[d] * weight[d] for d in rates) / total
    return {d: round(r, 1) for d, r in rates.items()}, None if score is None else round(score, 1)


def _reason_counts(rule: Rule, column: str) -> str:
    """A MAP reason → failing rows: one ``count_if`` per reason the rule declares, else a histogram.

    A rule with one reason needs no count of its own: its failures are ``count(r{i})``.
    """
    if not rule.reasons:
        return f"histogram({column}) FILTER (WHERE {column} IS NOT NULL)"
    if len(rule.reasons) == 1:
        return f"map([{quote_literal(rule.reasons[0])}], [count({column})])"
    keys = ", ".join(quote_literal(r) for r in rule.reasons)
    counts = ", ".join(f"count_if({column} = {quote_literal(r)})" for r in rule.reasons)
    return f"map([{keys}], [{counts}])"


def check_table(
    lake: Lake,
    ref: TableRef,
    bindings: Sequence[RuleBinding],
    key_columns: Sequence[str],
    *,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    weights: Mapping[str, float] | None = None,
    version: int | None = None,
) -> QualityReport:
    """Run every binding over the table in ONE query and score it.

    ``key_columns`` identify rows in samples and decide which duplicate counts as "first".
    ``weights`` maps a dimension to its weight in the overall score (default: equal weights over
    the dimensions that have rules). ``version`` checks an earlier Delta version.
    """
    keys = tuple(key_columns)
    _, at, rules = _prepare(lake, ref, bindings, keys, version)
    ctx = _context(lake, ref, at, keys)
    row_key = f"row({', '.join(quote_ident(k) for k in keys)})"
    limit = max(int(sample_size), 1)  # an int we computed, safe to inline
    aggregates = ["count(*) AS n"]
    for i, rule in enumerate(rules):
        aggregates += [
            f"count_if(s{i}) AS c{i}",
            f"count(r{i}) AS f{i}",
            _reason_counts(rule, f"r{i}") + f" AS h{i}",
            f"min({row_key}, {limit}) FILTER (WHERE r{i} IS NOT NULL) AS x{i}",
        ]
    cte = flagged_cte(bindings, rules, keys, ctx)
    sql = f"WITH {cte} SELECT {', '.join(aggregates)} FROM flagged"  # noqa: S608 - identifiers quoted, values bound
    con = _connect(lake, ref, at, ctx)
    try:
        row = con.execute(sql, ctx.params.values).fetchone()
    finally:
        con.close()
    assert row is not None  # an aggregate without GROUP BY always yields one row
    results = []
    for i, (binding, rule) in enumerate(zip(bindings, rules, strict=True)):
        checked, failed, hist, sample = row[1 + 4 * i : 5 + 4 * i]
        samples = [dict(zip(keys, s, strict=True)) for s in (sample or [])[:sample_size]]
        results.append(
            BindingResult(
                binding=binding,
                dimension=rule.dimension,
                label=rule.label,
                checked_rows=int(checked),
                failed_rows=int(failed),
                reasons={str(k): int(v) for k, v in (hist or {}).items() if v},
                samples=samples,
            )
        )
    dimension_scores, score = _scores(results, weights)
    return QualityReport(
        table=ref.key,
        version=at,
        rows=int(row[0]),
        key_columns=keys,
        results=results,
        dimension_scores=dimension_scores,
        score=score,
    )


def failing_keys(
    lake: Lake,
    ref: TableRef,
    binding: RuleBinding,
    key_columns: Sequence[str],
    *,
    reason: str | None = None,
    version: int | None = None,
) -> pa.Table:
    """Every failing row's key columns plus ``failure_reason``, ordered by key; no cap.

    ``reason`` keeps only one reason (e.g. ``id15``); ``version`` reads an earlier Delta version
    (pass ``report.version`` to get exactly the rows a report counted).
    """
    keys = tuple(key_columns)
    _, at, rules = _prepare(lake, ref, [binding], keys, version)
    ctx = _context(lake, ref, at, keys)
    cte = flagged_cte([binding], rules, keys, ctx)
    where = "r0 IS NOT NULL"
    if reason is not None:
        where += f" AND r0 = {ctx.params.bind(reason)}"
    key_list = ", ".join(quote_ident(k) for k in keys)
    sql = (
        f"WITH {cte} SELECT {key_list}, r0 AS {quote_ident(REASON_COLUMN)} "  # noqa: S608 - identifiers quoted, values bound
        f"FROM flagged WHERE {where} ORDER BY {ctx.order_by}"
    )
    con = _connect(lake, ref, at, ctx)
    try:
        return con.sql(sql, params=ctx.params.values).to_arrow_table()
    finally:
        con.close()
