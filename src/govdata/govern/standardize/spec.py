"""The standardization spec of one table: which std column comes from which raw column, and how.

A ``StdSpec`` lists ``ColumnStep``s (target column, source column, target type, normalizer, code
table) and the table options: ``dedup`` (keep one row per key — the latest by a chosen column, or
the latest loaded) and ``keep_unmapped`` (carry raw columns no step names, as they are). The
platform's own ``_``-prefixed columns (``_source_row``, ``_ingested_at``) always pass through.
``check_spec`` refuses a spec with every problem at once: the first is the raised ``InvalidInput``,
all of them are in ``details.problems`` (field, code, zh and en text). Codes: ``govern.std.*``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NoReturn

from pydantic import BaseModel, Field

from govdata.errors import InvalidInput
from govdata.govern.standardize.expressions import TYPES
from govdata.govern.standards.normalizers import NORMALIZERS, normalizer_names

_TARGET = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class ColumnStep(BaseModel):
    """One std column: ``source`` raw column → normalizer (and code table) → cast to ``type``."""

    target: str = Field(max_length=63)
    source: str = Field(max_length=200)
    type: str = "string"
    normalizer: str | None = None
    code_table: str | None = None  # for the ``code_table`` normalizer
    element: str | None = None  # the data element the step was taken from, if any


class Dedup(BaseModel):
    """Keep one row per ``keys`` (std columns): the greatest ``order_by`` (a std or raw column), ties
    and ``order_by=None`` broken by load order (the latest loaded row wins)."""

    keys: list[str] = Field(min_length=1)
    order_by: str | None = None


class StdSpec(BaseModel):
    columns: list[ColumnStep] = Field(default_factory=list)
    dedup: Dedup | None = None
    keep_unmapped: bool = False

    def unmapped(self, columns: Sequence[str]) -> list[str]:
        """Raw columns carried as they are: the platform's, plus every unnamed one with ``keep_unmapped``."""
        used = {s.source for s in self.columns} | {s.target for s in self.columns}
        return [c for c in columns if c.startswith("_") or (self.keep_unmapped and c not in used)]


def _problem(code: str, **params: object) -> InvalidInput:
    return InvalidInput(code, **params)


def check_spec(spec: StdSpec, table: str, columns: Sequence[str], code_tables: Collection[str]) -> None:
    """Refuse ``spec`` for raw table ``table`` (with ``columns``) naming every problem at once."""
    problems: list[InvalidInput] = []
    listed = ", ".join(c for c in columns if not c.startswith("_"))
    if not spec.columns:
        problems.append(_problem("govern.std.no_columns", field="columns", table=table))
    seen: dict[str, int] = {}
    for row, step in enumerate(spec.columns, start=1):
        where = f"columns.{row - 1}"
        if step.source not in columns:
            problems.append(
                _problem(
                    "govern.std.missing_column",
                    field=f"{where}.source",
                    row=row,
                    column=step.source,
                    table=table,
                    columns=listed,
                )
            )
        if not _TARGET.match(step.target):
            problems.append(
                _problem("govern.std.bad_target", field=f"{where}.target", row=row, name=step.target)
            )
        elif step.target in seen:
            problems.append(
                _problem(
                    "govern.std.duplicate_target",
                    field=f"{where}.target",
                    row=row,
                    name=step.target,
                    first=seen[step.target],
                )
            )
        else:
            seen[step.target] = row
        if step.type not in TYPES:
            problems.append(
                _problem(
                    "govern.std.unknown_type",
                    field=f"{where}.type",
                    row=row,
                    name=step.type,
                    known=", ".join(TYPES),
                )
            )
        if step.normalizer is not None and step.normalizer not in NORMALIZERS:
            problems.append(
                _problem(
                    "govern.std.unknown_normalizer",
                    field=f"{where}.normalizer",
                    row=row,
                    name=step.normalizer,
                    known=", ".join(normalizer_names()),
                )
            )
        if step.normalizer == "code_table" and not step.code_table:
            problems.append(_problem("govern.std.code_table_required", field=f"{where}.code_table", row=row))
        if step.code_table and step.code_table not in code_tables:
            problems.append(
                _problem(
                    "govern.std.unknown_code_table",
                    field=f"{where}.code_table",
                    row=row,
                    name=step.code_table,
                    known=", ".join(sorted(code_tables)),
                )
            )
    problems.extend(_check_dedup(spec, columns, set(seen)))
    if problems:
        _refuse(problems)


def _check_dedup(spec: StdSpec, columns: Sequence[str], targets: set[str]) -> list[InvalidInput]:
    if spec.dedup is None:
        return []
    found = [
        _problem(
            "govern.std.unknown_dedup_column", field="dedup.keys", name=k, known=", ".join(sorted(targets))
        )
        for k in spec.dedup.keys
        if k not in targets
    ]
    order = spec.dedup.order_by
    if order is not None and order not in targets and order not in columns:
        found.append(
            _problem(
                "govern.std.unknown_dedup_column",
                field="dedup.order_by",
                name=order,
                known=", ".join(sorted(targets)),
            )
        )
    return found


def _refuse(problems: list[InvalidInput]) -> NoReturn:
    first = problems[0]
    first.params["problems"] = [
        {
            "field": p.params.get("field"),
            "code": p.code,
            "message": p.message("zh"),
            "message_en": p.message("en"),
        }
        for p in problems
    ]
    raise first
