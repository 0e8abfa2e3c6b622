"""A suggested spec for a raw table, from what the platform already knows about its columns.

Each column (the platform's ``_`` columns aside) becomes one step. Its normalizer and code table
come, in this order, from the element the catalog item binds (``Item.element``), from the element
its name suggests (``govern.library.element_for_column``: aliases, pinyin abbreviations such as
``sfzh``, ``xm``, ``xb``), or from its values, sampled (``SAMPLE_ROWS`` rows, one DuckDB query):
nine in ten identity-number-shaped → ``id_number_18``, dates → ``date``, mobile numbers →
``phone``, and every distinct value a spelling of one code table (not only bare digits, which
many tables share) → ``code_table``. The target keeps the column's name when it is a valid std
name (else the element's identifier, else ``column_<n>``). The resource's key column becomes the
dedup key. Raises ``NotFound`` when the raw table does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.errors import NotFound
from govdata.govern.library import code_lookup, element_for_column, find_element
from govdata.govern.library_validate import fold
from govdata.govern.models import CodeTable, DataElement
from govdata.govern.quality.sql import Params
from govdata.govern.standardize.expressions import ToNormalize, normalized_select
from govdata.govern.standardize.spec import ColumnStep, Dedup, StdSpec
from govdata.lake import Lake, TableRef
from govdata.lake.sql import duck

SAMPLE_ROWS = 1000
SHARE = 0.9  # the share of sampled values a pattern must fit
MAX_CODES = 50  # more distinct values than this is no coded column
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_ID = r"[0-9]{17}[0-9X]|[0-9]{15}"


def suggest_spec(
    session: Session,
    lake: Lake,
    ref: TableRef,
    bound: dict[str, str] | None = None,
    key_column: str | None = None,
) -> StdSpec:
    """The suggested spec of raw table ``ref``; ``bound`` maps columns to element identifiers (the
    catalog items' bindings), ``key_column`` is the resource's key."""
    schema = lake.schema(ref)
    columns = [f for f in schema if not f.name.startswith("_")]
    stats = _sample(lake, ref, [f.name for f in columns])
    steps: list[ColumnStep] = []
    taken: set[str] = set()
    for n, field in enumerate(columns, start=1):
        element = _element(session, field.name, (bound or {}).get(field.name))
        step = _from_element(element) if element is not None else _from_values(session, stats[field.name])
        target = _target(field.name, element, n, taken)
        taken.add(target)
        type_name = "string" if step.normalizer else _type_of(field.type)
        steps.append(step.model_copy(update={"target": target, "source": field.name, "type": type_name}))
    dedup = None
    if key_column:
        key = next((s.target for s in steps if s.source == key_column), None)
        dedup = Dedup(keys=[key]) if key else None
    return StdSpec(columns=steps, dedup=dedup)


def _element(session: Session, column: str, identifier: str | None) -> DataElement | None:
    if identifier:
        found = session.execute(
            select(DataElement).where(DataElement.identifier == identifier)
        ).scalar_one_or_none()
        if found is not None:
            return found
    return element_for_column(session, column)


def _from_element(element: DataElement) -> ColumnStep:
    table = element.code_table.code if element.code_table is not None else None
    normalizer = element.normalizer or ("code_table" if table else None)
    return ColumnStep(
        target="_", source="_", normalizer=normalizer, code_table=table, element=element.identifier
    )


def _from_values(session: Session, stats: dict[str, Any]) -> ColumnStep:
    count = stats["n"] or 0
    if count:
        for normalizer, element in (("id_number_18", "id_number"), ("date", "date"), ("phone", "mobile")):
            if stats[normalizer] >= SHARE * count:
                return ColumnStep(
                    target="_", source="_", normalizer=normalizer, element=_known(session, element)
                )
        table = _code_table(session, stats["values"])
        if table is not None:
            return ColumnStep(target="_", source="_", normalizer="code_table", code_table=table)
    return ColumnStep(target="_", source="_")


def _known(session: Session, identifier: str) -> str | None:
    try:
        return find_element(session, identifier).identifier
    except NotFound:  # a library without the element: the step just names none
        return None


def _code_table(session: Session, values: Sequence[str] | None) -> str | None:
    """The first code table (by code) that spells every distinct sampled value, unless all are digits."""
    if not values or len(values) > MAX_CODES or all(v.isdigit() for v in values):
        return None
    folded = {fold(v) for v in values}
    for code in session.execute(select(CodeTable.code).order_by(CodeTable.code)).scalars():
        if folded <= set(code_lookup(session, code)):
            return code
    return None


def _target(column: str, element: DataElement | None, n: int, taken: set[str]) -> str:
    for name in (column, column.lower(), element.identifier if element else None, f"column_{n}"):
        if name and _NAME.match(name) and name not in taken:
            return name
    return f"column_{n}_{len(taken)}"


def _type_of(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "decimal"
    if pa.types.is_date(kind):
        return "date"
    if pa.types.is_timestamp(kind):
        return "timestamp"
    if pa.types.is_boolean(kind):
        return "boolean"
    return "string"


def _sample(lake: Lake, ref: TableRef, columns: list[str]) -> dict[str, dict[str, Any]]:
    """Per column over the first ``SAMPLE_ROWS`` rows: non-blank values, how many fit each pattern,
    and up to ``MAX_CODES`` + 1 distinct values — one query."""
    if not columns:
        return {}
    params = Params()
    inputs, parts = [], []
    for i, name in enumerate(columns):
        inputs += [ToNormalize(name, None), ToNormalize(name, "date"), ToNormalize(name, "phone")]
        v = f"nullif(__t{3 * i}, '')"
        parts += [
            f"count({v}) AS n{i}",
            f"count(*) FILTER (WHERE regexp_full_match(upper({v}), '{_ID}')) AS id{i}",
            f"count(__n{3 * i + 1}) AS date{i}",
            f"count(*) FILTER (WHERE regexp_full_match(__n{3 * i + 2}, '1[3-9][0-9]{{9}}')) AS ph{i}",
            # list() keeps NULLs: a column with blanks would offer None as a code
            f"list_slice(list(DISTINCT {v}) FILTER (WHERE {v} IS NOT NULL), 1, {MAX_CODES + 1}) AS v{i}",
        ]
    sample = f"(SELECT * FROM raw LIMIT {SAMPLE_ROWS})"  # noqa: S608 - a constant
    with duck() as con:
        lake.register(con, "raw", ref)
        sql = f"SELECT {', '.join(parts)} FROM ({normalized_select(inputs, params, sample)})"  # noqa: S608
        row = con.execute(sql, params.values).fetchone()
    assert row is not None  # an aggregate always returns one row
    return {
        name: {
            "n": row[5 * i],
            "id_number_18": row[5 * i + 1],
            "date": row[5 * i + 2],
            "phone": row[5 * i + 3],
            "values": row[5 * i + 4],
        }
        for i, name in enumerate(columns)
    }
