"""Timeliness: the table is as fresh as its resource's update cycle promises (table-level).

All rows pass or fail together, so the rule weighs in the score like any other rule: a stale table's
timeliness rate is 0 %, a fresh one's 100 %. Without a bound column the age is that of the checked
Delta version's commit (the last load); with a bound date column it is the age of the column's
latest date (any common format), read by a scalar subquery over that one column. Raises
``InvalidInput`` (``govern.quality.bad_params``) for an unknown cycle or a bad age.
"""

from __future__ import annotations

import datetime as dt

from govdata.govern.quality.rules import Columns, Dimension, Rule, refs
from govdata.govern.quality.sql import SqlContext, date_digits, normalized

# update cycle (catalog ``UpdateCycle`` values and English words) → the largest acceptable age in
# days; a day of slack for loads that run late in the day. 实时 tables load at least daily.
CYCLE_DAYS: dict[str, float] = {
    "实时": 1, "realtime": 1, "每日": 2, "daily": 2, "每周": 8, "weekly": 8, "每月": 32, "monthly": 32,
    "每季度": 93, "quarterly": 93, "每半年": 184, "semiannual": 184, "每年": 367, "yearly": 367,
}  # fmt: skip


def cycle_days(cycle: str | None) -> float | None:
    """The largest acceptable age for ``cycle``; None for cycles without a period (其他, 不定期)."""
    return CYCLE_DAYS.get((cycle or "").strip().lower())


class TimelinessRule(Rule):
    """Fails every row when the table (or its date column) is older than ``params["max_age_days"]``
    (or the age ``params["cycle"]`` allows). Reason: ``stale``.
    """

    name = "timeliness"
    reasons = ("stale",)
    dimension = Dimension.TIMELINESS
    label = "quality.rule.timeliness"
    min_columns = 0
    max_columns = 1
    row_level = False

    def validate_params(self) -> None:
        days = self.params.get("max_age_days")
        if days is None and "cycle" in self.params:
            days = cycle_days(self.params["cycle"])
            if days is None:
                known = ", ".join(CYCLE_DAYS)
                raise self.bad_params(f"cycle: {self.params['cycle']!r} has no period (known: {known})")
        if isinstance(days, bool) or not isinstance(days, int | float) or days <= 0:
            raise self.bad_params("max_age_days (a positive number) or cycle is required")
        self.max_age = dt.timedelta(days=float(days))

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        now = dt.datetime.now(dt.UTC)
        if not columns:
            if ctx.loaded_at is None:
                return "CAST(NULL AS VARCHAR)"
            return "'stale'" if now - ctx.loaded_at > self.max_age else "CAST(NULL AS VARCHAR)"
        column = refs(columns)[0]
        # the raw column, from the source: the bound column's ``norm`` lives in the row's CTE
        day = f"try_strptime({date_digits(normalized(column.raw))}, '%Y%m%d')"
        latest = f"(SELECT max({day}) FROM source)"  # noqa: S608 - identifiers quoted
        oldest = ctx.params.bind((now - self.max_age).replace(tzinfo=None))
        return f"CASE WHEN coalesce({latest} < {oldest}, true) THEN 'stale' END"
