"""The normalizers of ``govern.standards.normalizers`` as DuckDB SQL, layer by layer.

``normalized_select(columns, params)`` wraps a source relation in a few ``SELECT *, …`` layers that
add, per column ``i``: ``__r{i}`` (the value as text), ``__t{i}`` (half-width and trimmed) and
``__n{i}`` — what the Python normalizer of the same name returns for the value (text or NULL). Each
intermediate is computed once in its own layer rather than repeated inside one big expression, and
the costly ``translate`` (full-width → half-width) runs only on values that hold a full-width
character, one character class at a time. Everything is plain SQL (substr, translate, regexp, CASE)
that Spark SQL can run too. A ``code_table`` lookup is a ``MAP`` bound as parameters: no code-table
value is spliced into SQL text. ``target_sql`` casts normalized text to a target type with
``TRY_CAST`` (a value that does not fit becomes NULL). Raises ``InvalidInput``
(``govern.library.unknown_normalizer``, ``govern.std.unknown_type``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from govdata.errors import InvalidInput
from govdata.govern.quality.sql import Params, quote_ident, quote_literal
from govdata.govern.standards.normalizers import get_normalizer


def _block(first: int, last: int) -> tuple[str, str]:
    return "".join(chr(c) for c in range(first, last + 1)), "".join(
        chr(c - 0xFEE0) for c in range(first, last + 1)
    )


# Full-width → half-width (the SQL twin of standards.normalize.halfwidth), by character class.
_DIGITS = _block(0xFF10, 0xFF19)
_LETTERS = tuple(a + b for a, b in zip(_block(0xFF21, 0xFF3A), _block(0xFF41, 0xFF5A), strict=True))
_PUNCT = tuple(
    a + b + c + d + e
    for a, b, c, d, e in zip(
        _block(0xFF01, 0xFF0F),
        _block(0xFF1A, 0xFF20),
        _block(0xFF3B, 0xFF40),
        _block(0xFF5B, 0xFF5E),
        ("\u3000", " "),
        strict=True,
    )
)
_ANY_FULL = "[\uff01-\uff5e\u3000]"
# What Python's str.strip()/split() treat as blank among the characters raw data carries.
_BLANKS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f"
_BLANK_CLASS = "[" + _BLANKS + "]"
# a value that may need half-width characters or a trim: a full-width character, or a blank at an end
_DIRTY = f"{_ANY_FULL}|^{_BLANK_CLASS}|{_BLANK_CLASS}$"
_ENDS = f"^{_BLANK_CLASS}+|{_BLANK_CLASS}+$"  # the blanks a trim removes
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MOBILE = r"^(?:\+?86)?1[3-9][0-9]{9}$"
_B = _BLANK_CLASS
_DATE = (
    r"^([0-9]{4})(?:([0-9]{2})([0-9]{2})"
    rf"|{_B}*[-/.]{_B}*([0-9]{{1,2}}){_B}*[-/.]{_B}*([0-9]{{1,2}})(?:[ T].*)?"
    rf"|{_B}*年{_B}*([0-9]{{1,2}}){_B}*月{_B}*([0-9]{{1,2}}){_B}*日?)$"
)

TYPES: dict[str, str] = {  # target type name → DuckDB type
    "string": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class ToNormalize:
    """One column to normalize: its source column, the normalizer (None: text as is), the code lookup."""

    source: str
    normalizer: str | None
    codes: Mapping[str, str] | None = None


def _digit(text: str, pos: int) -> str:
    return f"(ascii(substr({text}, {pos}, 1)) - 48)"


def id15_upgrade(v: str) -> str:
    """A 15-digit number → 18 (``19`` inserted after the address, MOD 11-2 check char appended).

    Positions 7 and 8 of the new body are always ``1`` and ``9``: 1×2 + 9×1 = 11 ≡ 0 (mod 11),
    so the sum needs only the 15 original digits.
    """
    terms = [f"{_digit(v, i)} * {_ID_WEIGHTS[i - 1]}" for i in range(1, 7)]
    terms += [f"{_digit(v, j)} * {_ID_WEIGHTS[j + 1]}" for j in range(7, 16)]
    check = f"substr('10X98765432', (({' + '.join(terms)}) % 11) + 1, 1)"
    return f"substr({v}, 1, 6) || '19' || substr({v}, 7, 9) || {check}"


_OTHER_BLANKS = "[" + _BLANKS[1:] + "]"  # every blank but the space


def _compact(h: str) -> str:
    """Half-width text with blanks and hyphens removed (phones, bank cards); the regexp only when a
    blank other than the space is there."""
    return (
        f"CASE WHEN regexp_matches({h}, {quote_literal(_OTHER_BLANKS)}) "
        f"THEN regexp_replace({h}, {quote_literal(_BLANK_CLASS[:-1] + '-]')}, '', 'g') "
        f"ELSE replace(replace({h}, ' ', ''), '-', '') END"
    )


def _date_match(t: str) -> str:
    """The year, month and day texts of a date: the fixed-width spellings (``20230501``,
    ``2023-05-01…``) by position after a plain match, the others by the capturing regexp (slower)."""

    def fixed(m: int, d: int) -> str:
        return (
            f"struct_pack(y := substr({t}, 1, 4), m1 := substr({t}, {m}, 2), d1 := substr({t}, {d}, 2), "
            "m2 := '', d2 := '', m3 := '', d3 := '')"
        )

    general = f"regexp_extract({t}, {quote_literal(_DATE)}, ['y', 'm1', 'd1', 'm2', 'd2', 'm3', 'd3'])"
    # the plain byte-length and separator tests keep each regular expression to the rows it can match
    # (a CASE runs a branch's condition only on the rows no earlier branch took)
    return (
        f"CASE WHEN strlen({t}) = 8 AND regexp_full_match({t}, '[0-9]{{8}}') THEN {fixed(5, 7)} "
        f"WHEN strlen({t}) >= 10 AND substr({t}, 5, 1) IN ('-', '/', '.') "
        f"AND regexp_full_match({t}, '[0-9]{{4}}[-/.][0-9]{{2}}[-/.][0-9]{{2}}(?:[ T].*)?') THEN {fixed(6, 9)} "
        f"ELSE {general} END"
    )


def _date_parts(p: str) -> str:
    def cat(*names: str) -> str:
        return " || ".join(f"struct_extract({p}, '{n}')" for n in names)

    return (
        f"struct_pack(ys := struct_extract({p}, 'y'), y := TRY_CAST(struct_extract({p}, 'y') AS INTEGER), "
        f"m := TRY_CAST({cat('m1', 'm2', 'm3')} AS INTEGER), d := TRY_CAST({cat('d1', 'd2', 'd3')} AS INTEGER))"
    )


def _date_final(q: str) -> str:
    """``YYYYMMDD`` of a real calendar date (years 1–9999, leap years by the Gregorian rule), else NULL."""
    y, m, d = (f"struct_extract({q}, '{n}')" for n in ("y", "m", "d"))
    leap = f"({y} % 4 = 0 AND ({y} % 100 <> 0 OR {y} % 400 = 0))::INTEGER"
    days = f"CASE WHEN {m} = 2 THEN 28 + {leap} ELSE 30 + (({m} + {m} // 8) % 2) END"
    text = f"struct_extract({q}, 'ys') || lpad(CAST({m} AS VARCHAR), 2, '0') || lpad(CAST({d} AS VARCHAR), 2, '0')"
    return f"CASE WHEN {y} >= 1 AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days} THEN {text} END"


Prep = Callable[
    [str, str, str], str
]  # (half-width, stripped, previous prep) → an intermediate, computed once
Final = Callable[[str, str, str], str]  # (half-width, stripped, last intermediate) → the normalized text
_PREP_LAYERS = 2

_SQL: dict[str, tuple[list[Prep], Final]] = {
    "trim": ([], lambda h, t, p: f"nullif({t}, '')"),
    "identifier": ([], lambda h, t, p: f"nullif(upper({t}), '')"),
    "uscc": ([], lambda h, t, p: f"nullif(upper({t}), '')"),
    "id_number_18": (
        [lambda h, t, _: f"upper({t})"],
        lambda h, t, p: (
            f"CASE WHEN length({p}) = 15 AND regexp_full_match({p}, '[0-9]{{15}}') THEN {id15_upgrade(p)} ELSE nullif({p}, '') END"
        ),
    ),
    "org_code": (
        [lambda h, t, _: f"replace(upper({t}), '-', '')"],
        lambda h, t, p: (
            f"CASE WHEN length({p}) = 9 THEN substr({p}, 1, 8) || '-' || substr({p}, 9) ELSE nullif(upper({t}), '') END"
        ),
    ),
    "phone": (
        [lambda h, t, _: _compact(h)],
        lambda h, t, p: (
            f"CASE WHEN regexp_matches({p}, {quote_literal(_MOBILE)}) THEN right({p}, 11) ELSE nullif({t}, '') END"
        ),
    ),
    "bank_card": ([lambda h, t, _: _compact(h)], lambda h, t, p: f"nullif({p}, '')"),
    "date": (
        [
            lambda h, t, _: _date_match(t),
            lambda h, t, p: _date_parts(p),
        ],
        lambda h, t, q: _date_final(q),
    ),
    "region_code": (
        [],
        lambda h, t, p: (
            f"CASE WHEN regexp_full_match({t}, '[0-9]{{6}}(?:[0-9]{{3}}){{0,2}}') THEN substr({t}, 1, 6) END"
        ),
    ),
    "person_name": (
        [
            lambda h, t, _: (
                f"CASE WHEN contains({t}, '  ') OR regexp_matches({t}, {quote_literal(_OTHER_BLANKS)}) "
                f"THEN regexp_replace({t}, {quote_literal(_BLANK_CLASS + '+')}, ' ', 'g') ELSE {t} END"
            )
        ],
        lambda h, t, p: (
            f"CASE WHEN {p} = '' THEN NULL WHEN regexp_matches({p}, '[A-Za-z]') THEN {p} ELSE replace({p}, ' ', '') END"
        ),
    ),
}


def _translate(guard: str, text: str, chars: tuple[str, ...]) -> str:
    """``text`` with one class of full-width characters made half-width, on rows that hold one."""
    full, half = chars
    return f"CASE WHEN {guard} AND regexp_matches({text}, '[{full}]') THEN translate({text}, {quote_literal(full)}, {quote_literal(half)}) ELSE {text} END"


def normalized_select(columns: Sequence[ToNormalize], params: Params, source: str = "raw") -> str:
    """``SELECT *`` from ``source`` plus ``__r{i}``, ``__t{i}`` and ``__n{i}`` for each column ``i``."""
    layers: list[list[str]] = [[] for _ in range(7 + _PREP_LAYERS)]
    for i, col in enumerate(columns):
        r, x, w, d, lt, h, t = (f"__{n}{i}" for n in ("r", "x", "w", "d", "l", "h", "t"))
        last = len(layers) - 1
        text = f"CAST({quote_ident(col.source)} AS VARCHAR)"
        layers[0].append(f"{text} AS {r}")
        # most values hold no full-width character and no blank at either end: for them one regular
        # expression stands in for the width check, the three translations and the trim check
        # (an ASCII value is judged by its end characters alone, which saves the expression: every
        # ASCII blank is at most U+0020, and a control character there only takes the full path)
        dirty = f"regexp_matches({text}, {quote_literal(_DIRTY)})"
        layers[0].append(
            f"CASE WHEN strlen({text}) = length({text}) THEN ascii({text}) <= 32 OR ascii(right({text}, 1)) <= 32 "
            f"ELSE {dirty} END AS {x}"
        )
        layers[1].append(
            f"CASE WHEN {x} THEN strlen({r}) <> length({r}) AND regexp_matches({r}, '{_ANY_FULL}') "
            f"ELSE false END AS {w}"
        )
        layers[2].append(f"{_translate(w, r, _DIGITS)} AS {d}")
        layers[3].append(f"{_translate(w, d, _LETTERS)} AS {lt}")
        layers[4].append(f"{_translate(w, lt, _PUNCT)} AS {h}")
        blanks = quote_literal(_BLANKS)
        layers[5].append(
            f"CASE WHEN NOT {x} THEN {h} "
            # trim() with a set of characters costs ~0.8 µs a value; the same cut by regexp ~0.3
            f"WHEN contains({blanks}, left({h}, 1)) OR contains({blanks}, right({h}, 1)) "
            f"THEN regexp_replace({h}, {quote_literal(_ENDS)}, '', 'g') "
            f"ELSE {h} END AS {t}"
        )
        if col.normalizer is None:
            layers[last].append(f"{r} AS __n{i}")
            continue
        if col.normalizer == "code_table":
            lookup = dict(col.codes or {})
            keys, values = params.bind(list(lookup)), params.bind(list(lookup.values()))
            layers[last].append(
                f"map_extract_value(MAP({keys}::VARCHAR[], {values}::VARCHAR[]), lower({t})) AS __n{i}"
            )
            continue
        if col.normalizer not in _SQL:
            get_normalizer(col.normalizer)  # raises, listing the known names
        preps, final = _SQL[col.normalizer]
        p = ""
        for k, prep in enumerate(preps):
            layers[6 + k].append(f"{prep(h, t, p)} AS __p{k}_{i}")
            p = f"__p{k}_{i}"
        layers[last].append(f"{final(h, t, p)} AS __n{i}")
    sql = f"SELECT * FROM {source}"  # noqa: S608 - a relation name of the caller's, not user input
    for layer in layers:
        if layer:
            sql = f"SELECT *, {', '.join(layer)} FROM ({sql})"  # noqa: S608 - quoted names, bound values
    return sql


def target_sql(expression: str, type_name: str) -> str:
    """``expression`` cast to target type ``type_name`` (a key of ``TYPES``); NULL where it does not fit.

    A ``date`` target reads the normalized ``YYYYMMDD`` text as well as ISO dates.
    """
    if type_name not in TYPES:
        raise InvalidInput("govern.std.unknown_type", field="type", name=type_name, known=", ".join(TYPES))
    if type_name == "string":
        return expression
    if type_name == "date":
        return f"coalesce(try_strptime({expression}, '%Y%m%d')::DATE, TRY_CAST({expression} AS DATE))"
    return f"TRY_CAST({expression} AS {TYPES[type_name]})"
