"""Column profiles of a lake table in one DuckDB statement, one scan of its Parquet files.

The statement groups the table by every column at once (GROUPING SETS: one scan, one hash table
per column), turns the groups into long form — (column, value as text, value as number, count) —
and aggregates them per column: null, empty and blank counts, the exact distinct count, min/max,
mean and standard deviation (numbers), min/max length (text), the top ten values, and the top ten
value patterns, which are computed once per distinct value rather than once per row. Nothing loops
over rows in Python; the answer is one short row per column.

Top values and min/max of a column with a masker are masked before they leave this module
(``masks``: column → masker name, see ``govdata.security.masking``): a profile never carries a raw
sensitive value. Columns whose name starts with ``_`` are the platform's own and are not profiled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from govdata.govern.profiling.schemas import ColumnProfile, Count, PatternCount, Scalar
from govdata.lake import Lake, TableRef
from govdata.lake.sql import quote_ident
from govdata.security.masking import mask_table

TOP = 10
PATTERN_CHARS = 40  # longer values are profiled by the pattern of their first 40 characters
BLANK = r"^[\s\x{3000}]+$"  # whitespace only, the ideographic space included


def pattern_sql(expr: str) -> str:
    """The value pattern of text ``expr``: digits → 9, Chinese characters → 汉, other letters → A
    (full-width and non-Latin ones too, so no letter of a value survives), anything else kept.
    Values longer than ``PATTERN_CHARS`` characters get the pattern of their start and ``…``.

    Values of one class only (all digits, all letters, all Chinese) take a fast path: the regular
    expression replacements cost about 3 µs per value, the full-match tests a tenth of that.
    """
    head = f"left({expr}, {PATTERN_CHARS})"
    digits = f"regexp_replace({head}, '\\p{{Nd}}', '9', 'g')"
    letters = f"regexp_replace({digits}, '[^\\P{{L}}\\p{{Han}}]', 'A', 'g')"
    mixed = f"regexp_replace({letters}, '\\p{{Han}}', '汉', 'g')"
    size = f"length({head})"
    pattern = (
        f"CASE WHEN regexp_full_match({head}, '[0-9]+') THEN repeat('9', {size}) "
        f"WHEN regexp_full_match({head}, '[A-Za-z]+') THEN repeat('A', {size}) "
        f"WHEN regexp_full_match({head}, '\\p{{Han}}+') THEN repeat('汉', {size}) ELSE {mixed} END"
    )
    return f"{pattern} || CASE WHEN length({expr}) > {PATTERN_CHARS} THEN '…' ELSE '' END"


def kind_of(dtype: pa.DataType) -> str:
    """How a column is profiled: ``text``, ``number``, ``temporal``, ``boolean`` or ``other``."""
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return "text"
    if pa.types.is_integer(dtype) or pa.types.is_floating(dtype) or pa.types.is_decimal(dtype):
        return "number"
    if pa.types.is_temporal(dtype):
        return "temporal"
    if pa.types.is_boolean(dtype):
        return "boolean"
    return "other"


@dataclass(frozen=True)
class _Col:
    name: str
    kind: str
    dtype: pa.DataType


def profile_sql(schema: pa.Schema, view: str = "t") -> tuple[str, list[_Col]]:
    """The one statement profiling every user column of ``view`` (schema ``schema``).

    Only quoted identifiers and constants are put into the SQL text — no value from the data.
    ``gid`` is the column's position; ``-1`` is the grand total (the row count, present even for an
    empty table). One result row per ``gid``.
    """
    cols = [_Col(f.name, kind_of(f.type), f.type) for f in schema if not f.name.startswith("_")]
    keys = [f"k{i}" for i in range(len(cols))]
    inner = ", ".join(
        ["1 AS one", *(f"{quote_ident(c.name)} AS {k}" for c, k in zip(cols, keys, strict=True))]
    )
    whens = "".join(f"WHEN grouping({k}) = 0 THEN {i} " for i, k in enumerate(keys))
    gid = f"CASE {whens}ELSE -1 END" if keys else "-1"
    sets = ", ".join([*(f"({k})" for k in keys), "()"])
    text = "".join(f"WHEN {i} THEN CAST({k} AS VARCHAR) " for i, k in enumerate(keys))
    nums = "".join(f"WHEN {i} THEN CAST(k{i} AS DOUBLE) " for i, c in enumerate(cols) if c.kind == "number")
    texts = ", ".join(str(i) for i, c in enumerate(cols) if c.kind == "text") or "NULL"
    present = "v IS NOT NULL"
    sql = (
        f"WITH g AS (SELECT {gid} AS gid, {''.join(k + ', ' for k in keys)}count(*) AS n "  # noqa: S608 - see docstring
        f"FROM (SELECT {inner} FROM {quote_ident(view)}) GROUP BY GROUPING SETS ({sets})), "
        f"l AS MATERIALIZED (SELECT gid, n, {f'CASE gid {text}END' if keys else 'NULL'} AS v, "
        f"{f'CASE gid {nums}END' if nums else 'CAST(NULL AS DOUBLE)'} AS x FROM g), "
        "m AS (SELECT gid, sum(n * x) / sum(n) FILTER (WHERE x IS NOT NULL) AS mean FROM l GROUP BY gid), "
        "s AS (SELECT l.gid, sum(n) AS rows, "
        f"coalesce(sum(n) FILTER (WHERE v IS NULL), 0) AS nulls, count(v) AS distinct_values, "
        f"max_by(v, n, {TOP}) FILTER (WHERE {present}) AS top, max(n, {TOP}) FILTER (WHERE {present}) AS counts, "
        "min(v) AS lo, max(v) AS hi, min(x) AS xlo, max(x) AS xhi, any_value(m.mean) AS mean, "
        "sum(n * (x - m.mean) * (x - m.mean)) AS squares, "
        f"coalesce(sum(n) FILTER (WHERE v = ''), 0) AS empty, "
        f"coalesce(sum(n) FILTER (WHERE regexp_matches(v, '{BLANK}')), 0) AS blank, "
        "min(length(v)) AS min_len, max(length(v)) AS max_len "
        "FROM l JOIN m ON l.gid = m.gid GROUP BY l.gid), "
        f"p AS (SELECT gid, {pattern_sql('v')} AS pattern, sum(n) AS n FROM l "
        f"WHERE gid IN ({texts}) AND {present} GROUP BY ALL), "
        f"pt AS (SELECT gid, count(*) AS patterns, max_by(pattern, n, {TOP}) AS top, max(n, {TOP}) AS counts "
        "FROM p GROUP BY gid) "
        "SELECT s.*, pt.patterns, pt.top AS top_patterns, pt.counts AS pattern_counts "
        "FROM s LEFT JOIN pt ON s.gid = pt.gid ORDER BY s.gid"
    )
    return sql, cols


@dataclass(frozen=True)
class Profiled:
    """The profile of one table version: its rows and one ``ColumnProfile`` per user column."""

    rows: int
    columns: list[ColumnProfile]


def profile_table(
    lake: Lake, ref: TableRef, version: int | None = None, masks: dict[str, str] | None = None
) -> Profiled:
    """Profile ``ref`` (at ``version``, default the latest) in one DuckDB statement; mask per ``masks``."""
    with lake.connect() as con:
        lake.register(con, "t", ref, version)
        schema = con.sql('SELECT * FROM "t" LIMIT 0').to_arrow_table().schema
        sql, cols = profile_sql(schema)
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        found = {int(r[0]): dict(zip(names, r, strict=True)) for r in cursor.fetchall()}
    rows = int(found[-1]["rows"])
    return Profiled(
        rows=rows, columns=[_column(c, found.get(i), rows, masks or {}) for i, c in enumerate(cols)]
    )


def _column(col: _Col, r: dict[str, Any] | None, rows: int, masks: dict[str, str]) -> ColumnProfile:
    """One column's profile from its result row (``None``: an empty table has no groups)."""
    r = r or {"nulls": 0, "distinct_values": 0, "empty": 0, "blank": 0}
    text = col.kind == "text"
    nulls, empty, blank = int(r["nulls"]), int(r["empty"]), int(r["blank"])
    present = rows - nulls
    top = [
        Count(value=_typed(col, v), count=int(n))
        for v, n in sorted(
            zip(r.get("top") or [], r.get("counts") or [], strict=True), key=lambda p: (-p[1], p[0])
        )
    ]
    lo, hi = (r.get("xlo"), r.get("xhi")) if col.kind == "number" else (r.get("lo"), r.get("hi"))
    lo, hi = (None, None) if col.kind == "other" else (_typed(col, lo), _typed(col, hi))
    patterns = sorted(
        zip(r.get("top_patterns") or [], r.get("pattern_counts") or [], strict=True),
        key=lambda p: (-p[1], p[0]),
    )
    squares = r.get("squares")
    masker = masks.get(col.name)
    if masker:
        top, lo, hi = _masked(masker, top, lo, hi)
    return ColumnProfile(
        name=col.name,
        kind=col.kind,
        data_type=str(col.dtype),
        rows=rows,
        nulls=nulls,
        empty=empty if text else None,
        blank=blank if text else None,
        null_share=_share(nulls, rows),
        missing_share=_share(nulls + (empty + blank if text else 0), rows),
        distinct=int(r["distinct_values"]),
        distinct_exact=True,
        min=lo,
        max=hi,
        mean=r.get("mean") if col.kind == "number" else None,
        stddev=(squares / (present - 1)) ** 0.5
        if col.kind == "number" and present > 1 and squares is not None
        else None,
        min_length=r.get("min_len") if text else None,
        max_length=r.get("max_len") if text else None,
        top_values=top,
        patterns=[PatternCount(pattern=p, count=int(n), share=_share(int(n), present)) for p, n in patterns],
        pattern_count=int(r.get("patterns") or 0) if text else None,
        masked=bool(masker),
    )


def _typed(col: _Col, value: Any) -> Scalar:
    """A value as the profile keeps it: numbers as numbers (integers exact), booleans as booleans,
    text, dates and times as DuckDB writes them (``1949-12-31``, ``2024-05-01 08:00:00``)."""
    if value is None:
        return None
    if col.kind == "boolean":
        return str(value) == "true"
    if col.kind == "number":
        if pa.types.is_integer(col.dtype):
            return int(value) if isinstance(value, str) else int(float(value))
        return float(value)
    return str(value)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


def _masked(masker: str, top: list[Count], lo: Scalar, hi: Scalar) -> tuple[list[Count], Scalar, Scalar]:
    """Top values and min/max through the column's masker, as text (ten values and two: Arrow kernels)."""
    values = [None if v is None else str(v) for v in [*(t.value for t in top), lo, hi]]
    masked = mask_table(pa.table({"v": pa.array(values, pa.string())}), {"v": masker}).column("v").to_pylist()
    return [Count(value=masked[i], count=t.count) for i, t in enumerate(top)], masked[-2], masked[-1]
