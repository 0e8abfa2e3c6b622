"""Consistency rules across fields: a birth date or a gender column agrees with the identity number.

Both bind two columns, the identity number first. They check only rows where the ID has the shape of
an 18-digit (or old 15-digit) number and the other value can be compared; a malformed ID is
``id_number``'s business and a blank is ``not_null``'s. Raises ``InvalidInput``
(``govern.quality.bad_params``) for a gender mapping that is not two lists of spellings.
"""

from __future__ import annotations

import re

from govdata.govern.quality.rules import Columns, Dimension, Rule, id_shape, refs
from govdata.govern.quality.sql import ColumnRef, SqlContext, blank, date_digits, quote_literal

# gender spellings (normalised: trimmed, half-width, upper-case) → ID parity; GB/T 2261.1 codes 1/2
MALE = ("1", "男", "男性", "M", "MALE")
FEMALE = ("2", "女", "女性", "F", "FEMALE")
# spellings go into the SQL as literals (scope() has no parameter context): words only, no quotes
_SPELLING = re.compile(r"\w{1,20}")


def _id_birth(v: str) -> str:
    """The ID's embedded birth date as ``YYYYMMDD`` (the 15-digit form's year gets its ``19``)."""
    return f"CASE WHEN length({v}) = 18 THEN substr({v}, 7, 8) ELSE '19' || substr({v}, 7, 6) END"


def _id_parity(v: str) -> str:
    """1 for an odd (male) sequence digit, 0 for even (female): the 17th digit, the 15th of old IDs."""
    return f"(CAST(substr({v}, CASE WHEN length({v}) = 18 THEN 17 ELSE 15 END, 1) AS INTEGER) % 2)"


class IdBirthDateRule(Rule):
    """The birth-date column (any common format) equals the date embedded in the identity number.

    Reasons: ``mismatch`` (a real date that differs), ``bad_date`` (the birth date is no date).
    """

    name = "id_birth_date"
    reasons = ("mismatch", "bad_date")
    dimension = Dimension.CONSISTENCY
    label = "quality.rule.id_birth_date"
    min_columns = 2
    max_columns = 2

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        id_col, date_col = refs(columns)
        digits = ctx.derive(date_digits(date_col.norm))
        return (
            f"CASE WHEN NOT ({self._scope(id_col, date_col, ctx)}) THEN NULL "
            f"WHEN try_strptime({digits}, '%Y%m%d') IS NULL THEN 'bad_date' "
            f"WHEN {digits} <> {_id_birth(id_col.norm)} THEN 'mismatch' END"
        )

    @staticmethod
    def _scope(id_col: ColumnRef, date_col: ColumnRef, ctx: SqlContext | None = None) -> str:
        shape = id_shape(id_col.norm) if ctx is None else ctx.derive(id_shape(id_col.norm))
        return f"NOT {blank(id_col)} AND NOT {blank(date_col)} AND {shape}"

    def scope(self, columns: Columns) -> str | None:
        return self._scope(*refs(columns))


class IdGenderRule(Rule):
    """The gender column (1/2, 男/女, M/F, male/female) agrees with the parity of the ID's 17th digit.

    Other values (0 unknown, 9 unstated, anything else) are not compared. ``params["male"]`` and
    ``params["female"]`` replace the spellings. Reason: ``mismatch``.
    """

    name = "id_gender"
    reasons = ("mismatch",)
    dimension = Dimension.CONSISTENCY
    label = "quality.rule.id_gender"
    min_columns = 2
    max_columns = 2

    def validate_params(self) -> None:
        for side in ("male", "female"):
            values = self.params.get(side)
            if values is not None and (
                not isinstance(values, list | tuple)
                or not values
                or not all(isinstance(v, str) and _SPELLING.fullmatch(v.strip()) for v in values)
            ):
                raise self.bad_params(f"{side}: a non-empty list of spellings (letters, digits) is required")

    def _spelled(self, gender: ColumnRef, side: str, default: tuple[str, ...]) -> str:
        # an OR chain: DuckDB turns a longer IN list into a hash join, which costs more here
        values = self.params.get(side) or default
        return " OR ".join(f"{gender.norm} = {quote_literal(str(v).strip().upper())}" for v in values)

    def _parity(self, gender: ColumnRef) -> str:
        male, female = self._spelled(gender, "male", MALE), self._spelled(gender, "female", FEMALE)
        return f"CASE WHEN {male} THEN 1 WHEN {female} THEN 0 END"

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        id_col, gender = refs(columns)
        parity = ctx.derive(self._parity(gender))
        return (
            f"CASE WHEN NOT ({self._scope(id_col, gender, ctx)}) THEN NULL "
            f"WHEN {parity} <> {_id_parity(id_col.norm)} THEN 'mismatch' END"
        )

    def _scope(self, id_col: ColumnRef, gender: ColumnRef, ctx: SqlContext | None = None) -> str:
        shape, parity = id_shape(id_col.norm), self._parity(gender)
        if ctx is not None:
            shape, parity = ctx.derive(shape), ctx.derive(parity)
        return f"NOT {blank(id_col)} AND {shape} AND {parity} IS NOT NULL"

    def scope(self, columns: Columns) -> str | None:
        return self._scope(*refs(columns))
