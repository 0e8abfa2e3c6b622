"""SQL building blocks of the quality engine: identifier quoting, parameter binding, normalised text.

Owns the one identifier-quoting helper (column names may be Chinese or pinyin, or hold quotes) and
``Params``, which binds literal values as named DuckDB parameters so no user value is ever spliced
into SQL text. Raises nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Full-width digits and letters → ASCII, U+3000 → space: the SQL twin of standards.halfwidth for the
# characters identifiers use.
_FULL = "".join(chr(0xFF10 + i) for i in range(10)) + "".join(chr(0xFF21 + i) for i in range(26))
_FULL += "".join(chr(0xFF41 + i) for i in range(26)) + "\u3000"
_HALF = "0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz" + " "


def quote_ident(name: str) -> str:
    """``name`` as a quoted SQL identifier (embedded double quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """A constant string literal; only for text the code itself owns (patterns, alphabets)."""
    return "'" + value.replace("'", "''") + "'"


def as_text(column: str) -> str:
    """The column cast to text, unnormalised."""
    return f"CAST({column} AS VARCHAR)"


def normalized(column: str) -> str:
    """Identifier form of a column: text, full-width → half-width, trimmed, upper-cased.

    ``translate`` is costly, so it runs only on values with multi-byte characters.
    """
    text = as_text(column)
    wide = f"translate({text}, {quote_literal(_FULL)}, {quote_literal(_HALF)})"
    return f"upper(trim(CASE WHEN strlen({text}) <> length({text}) THEN {wide} ELSE {text} END))"


@dataclass(frozen=True)
class ColumnRef:
    """One bound column as rules see it: the stored value and its normalised text, as SQL.

    The engine computes ``norm`` once per row in a CTE, so rules can use it many times cheaply.
    """

    raw: str
    norm: str

    @classmethod
    def of(cls, column: str) -> ColumnRef:
        """A reference to a quoted column identifier, normalising inline."""
        return cls(column, normalized(column))


def blank(column: ColumnRef) -> str:
    """TRUE when the value is NULL or only spaces (ASCII or ideographic)."""
    return f"({column.norm} IS NULL OR {column.norm} = '')"


@dataclass
class Params:
    """Named parameters for one statement: ``bind(value)`` returns the placeholder to put in SQL."""

    values: dict[str, Any] = field(default_factory=dict)

    def bind(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"


@dataclass
class SqlContext:
    """What a rule may use while writing its SQL: parameters and the table's key order."""

    params: Params
    order_by: str  # quoted key columns, comma-separated: the order that decides "first" rows
