"""A ``StdSpec`` compiled to one DuckDB statement over the raw table (registered as ``raw``).

The statement yields the std columns (each step's normalizer, then its cast), the columns carried
unchanged, and two flags per step that the run sums batch by batch: ``changed`` (the std value
differs from the raw text) and ``unparseable`` (a non-blank raw value that has no std form: the std
column holds NULL, the row is kept). Dedup keeps one row per key — the greatest ``order_by``, then
the latest loaded (``_ingested_at``, ``_source_row``) — and never merges rows whose key is NULL.
Raises what ``expressions`` raises for an unknown normalizer or type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from govdata.govern.quality.sql import Params, quote_ident
from govdata.govern.standardize.expressions import ToNormalize, normalized_select, target_sql
from govdata.govern.standardize.spec import StdSpec

LOAD_ORDER = ("_ingested_at", "_source_row")  # the platform's columns that say which row came last


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: dict[str, Any]
    output: list[str]  # the std table's columns, in order
    flags: list[tuple[str, str]]  # per step: (changed flag column, unparseable flag column)


def compile_spec(spec: StdSpec, columns: Sequence[str], lookups: Mapping[str, Mapping[str, str]]) -> Compiled:
    """The statement for ``spec`` over a raw table with ``columns``; ``lookups`` maps each code table a
    step names to its folded spelling → code lookup."""
    params = Params()
    inputs = [
        ToNormalize(s.source, s.normalizer, lookups.get(s.code_table) if s.code_table else None)
        for s in spec.columns
    ]
    select: list[str] = []
    flags: list[tuple[str, str]] = []
    for i, step in enumerate(spec.columns):
        value = target_sql(f"__n{i}", step.type)
        changed, bad = f"__changed_{i}", f"__bad_{i}"
        select.append(f"{value} AS {quote_ident(step.target)}")
        select.append(
            f"coalesce({value} IS NOT NULL AND CAST({value} AS VARCHAR) <> __r{i}, false) AS {changed}"
        )
        select.append(f"coalesce({value} IS NULL AND __t{i} <> '', false) AS {bad}")
        flags.append((changed, bad))
    carried = spec.unmapped(columns)
    select.extend(quote_ident(c) for c in carried)
    output = [s.target for s in spec.columns] + carried
    dedup = spec.dedup
    order_col = None
    if dedup is not None and dedup.order_by is not None:
        targets = {s.target for s in spec.columns}
        order_col = (
            quote_ident(dedup.order_by) if dedup.order_by in targets or dedup.order_by in carried else None
        )
        if order_col is None:
            select.append(f"{quote_ident(dedup.order_by)} AS __order")
            order_col = "__order"
    inner = normalized_select(inputs, params)
    sql = f"SELECT {', '.join(select)} FROM ({inner})"  # noqa: S608 - quoted identifiers, bound values
    if dedup is not None:
        keys = [quote_ident(k) for k in dedup.keys]
        order = [f"{order_col} DESC NULLS LAST"] if order_col else []
        order += [f"{quote_ident(c)} DESC NULLS LAST" for c in LOAD_ORDER if c in carried]
        window = f"PARTITION BY {', '.join(keys)}" + (f" ORDER BY {', '.join(order)}" if order else "")
        any_null = " OR ".join(f"{k} IS NULL" for k in keys)
        columns_out = "* EXCLUDE (__order)" if order_col == "__order" else "*"
        sql = f"SELECT {columns_out} FROM ({sql}) QUALIFY row_number() OVER ({window}) = 1 OR {any_null}"  # noqa: S608
    return Compiled(sql=sql, params=params.values, output=output, flags=flags)
