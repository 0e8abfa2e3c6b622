"""Validity rules with bounds: ``range`` (numbers or dates, inclusive or not) and ``length``.

Both leave blank values to ``not_null``. Raises ``InvalidInput`` (``govern.quality.bad_params``)
for missing, mistyped or crossed bounds.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from govdata.govern.quality.rules import ValueRule
from govdata.govern.quality.sql import ColumnRef, SqlContext, date_digits


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


class RangeRule(ValueRule):
    """The value lies between ``params["min"]`` and ``params["max"]`` (either may be left out).

    ``params["type"]`` is ``number`` (default) or ``date`` (bounds as ``YYYY-MM-DD``; values in any
    common date format); ``min_inclusive`` / ``max_inclusive`` default to true. Reasons:
    ``below_min``, ``above_max``, ``not_number`` / ``not_date``.
    """

    name = "range"
    reasons = ("not_number", "not_date", "below_min", "above_max")
    label = "quality.rule.range"

    def validate_params(self) -> None:
        kind = self.params.get("type", "number")
        if kind not in ("number", "date"):
            raise self.bad_params("type: number or date")
        parse = _number if kind == "number" else _date
        bounds = {}
        for side in ("min", "max"):
            if self.params.get(side) is not None:
                bounds[side] = parse(self.params[side])
                if bounds[side] is None:
                    wanted = "a number" if kind == "number" else "a date YYYY-MM-DD"
                    raise self.bad_params(f"{side}: {wanted} is required")
        if not bounds:
            raise self.bad_params("min or max is required")
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:  # type: ignore[operator]
            raise self.bad_params("min is greater than max")
        self.bounds = bounds
        self.kind = kind

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        if self.kind == "number":
            value = ctx.derive(f"TRY_CAST({column.norm} AS DOUBLE)")
            cases = [(f"{value} IS NULL", "not_number")]
        else:
            value = ctx.derive(f"CAST(try_strptime({date_digits(column.norm)}, '%Y%m%d') AS DATE)")
            cases = [(f"{value} IS NULL", "not_date")]
        if "min" in self.bounds:
            low = ctx.params.bind(self.bounds["min"])
            op = "<" if self.params.get("min_inclusive", True) else "<="
            cases.append((f"{value} {op} {low}", "below_min"))
        if "max" in self.bounds:
            high = ctx.params.bind(self.bounds["max"])
            op = ">" if self.params.get("max_inclusive", True) else ">="
            cases.append((f"{value} {op} {high}", "above_max"))
        return cases


class LengthRule(ValueRule):
    """The trimmed value (full-width spaces too) has between ``params["min"]`` and ``params["max"]`` characters (not bytes).

    Reasons: ``too_short``, ``too_long``.
    """

    name = "length"
    reasons = ("too_short", "too_long")
    label = "quality.rule.length"

    def validate_params(self) -> None:
        bounds = {}
        for side in ("min", "max"):
            value = self.params.get(side)
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise self.bad_params(f"{side}: a whole number ≥ 0 is required")
                bounds[side] = value
        if not bounds:
            raise self.bad_params("min or max is required")
        if "min" in bounds and "max" in bounds and bounds["min"] > bounds["max"]:
            raise self.bad_params("min is greater than max")
        self.bounds = bounds

    def cases(self, column: ColumnRef, ctx: SqlContext) -> list[tuple[str, str]]:
        size = f"length({column.norm})"  # trimmed, ideographic spaces too
        cases = []
        if "min" in self.bounds:
            cases.append((f"{size} < {int(self.bounds['min'])}", "too_short"))
        if "max" in self.bounds:
            cases.append((f"{size} > {int(self.bounds['max'])}", "too_long"))
        return cases
