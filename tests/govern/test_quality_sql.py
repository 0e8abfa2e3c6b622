"""Each rule's SQL over in-memory Arrow data, and the SQL checksums against the Python checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.govern.quality import RULES, get_rule, quote_ident
from govdata.govern.quality.sql import _FULL, _HALF, Params, SqlContext, normalized, quote_literal
from govdata.govern.standards import check_id_number, check_mobile, check_uscc, id_check_char, uscc_check_char
from govdata.govern.standards.idnumber import PROVINCES
from govdata.govern.standards.uscc import ALPHABET


def reasons(rule_name: str, values: list[Any], params: dict[str, Any] | None = None) -> list[str | None]:
    """The rule's reason per value, in input order (key column ``k`` orders the rows)."""
    rule = get_rule(rule_name)(params)
    ctx = SqlContext(Params(), quote_ident("k"))
    column = quote_ident('值 "v"')  # a Chinese name with a quote in it, to exercise quoting
    expr = rule.reason([column], ctx)
    con = duckdb.connect()
    con.register("source", pa.table({"k": list(range(len(values))), '值 "v"': values}))
    helpers = ", ".join(f"{name} AS ({body})" for body, name in ctx.ctes.items())
    with_ = f"WITH {helpers} " if helpers else ""
    rows = con.execute(f"{with_}SELECT {expr} FROM source ORDER BY k", ctx.params.values).fetchall()  # noqa: S608
    con.close()
    return [r[0] for r in rows]


def test_id_number_vectors_in_sql() -> None:
    values = [
        "11010519491231002X",
        "11010519491231002x",
        "440524188001010014",
        "440304200002290030",
        "110105194912310021",
        "440304199902290030",
        "110105200013010013",
        "990105194912310023",
        "11010519491231002",
        "1101051949123100X2",
        "110105491231002",
        None,
        "  ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105000012310012",
        "110105" + (dt.date.today() + dt.timedelta(days=2)).strftime("%Y%m%d") + "001",
    ]
    # fix the last one's check char so only the future date is wrong
    values[-1] = values[-1] + id_check_char(values[-1])
    assert reasons("id_number", values) == [
        None,
        None,
        None,
        None,
        "check_char",
        "birth_date",
        "birth_date",
        "province",
        "length",
        "pattern",
        "id15",
        None,
        None,
        None,
        "birth_date",
        "birth_date",
    ]


@st.composite
def id_candidates(draw: st.DrawFn) -> str:
    """Valid IDs, and IDs corrupted in one way: check char, date, province, length, stray chars."""
    province = draw(st.sampled_from([*sorted(PROVINCES), "99", "00", "20"]))
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(2099, 12, 31)))
    born = f"{day.year:04d}{day.month:02d}{day.day:02d}"  # strftime drops leading zeros of years < 1000
    if draw(st.booleans()):
        born = draw(st.text("0123456789", min_size=8, max_size=8))
    body = province + draw(st.text("0123456789", min_size=4, max_size=4)) + born
    body += draw(st.text("0123456789", min_size=3, max_size=3))
    check = id_check_char(body)
    value = body + draw(st.sampled_from([check, check, check, *"0123456789X"]))
    mutation = draw(st.sampled_from(["none", "none", "drop", "add", "letter", "lower", "id15"]))
    if mutation == "drop":
        value = value[: draw(st.integers(0, 17))]
    elif mutation == "add":
        value += draw(st.sampled_from("0X"))
    elif mutation == "letter":
        i = draw(st.integers(0, 16))
        value = value[:i] + draw(st.sampled_from("XAx ")) + value[i + 1 :]
    elif mutation == "lower":
        value = value.lower()
    elif mutation == "id15":
        value = draw(st.text("0123456789", min_size=15, max_size=15))
    return value


@settings(max_examples=25, deadline=None)
@given(st.lists(id_candidates(), min_size=1, max_size=50))
def test_sql_id_check_agrees_with_python(values: list[str]) -> None:
    sql = reasons("id_number", values)
    for value, got in zip(values, sql, strict=True):
        if value.strip() == "":
            assert got is None
            continue
        expected = check_id_number(value).reason
        if len(value.strip()) == 15 and value.strip().isdigit():
            expected = "id15"
        assert got == expected, value


@st.composite
def uscc_candidates(draw: st.DrawFn) -> str:
    body = draw(st.text(ALPHABET, min_size=17, max_size=17))
    value = body + draw(st.sampled_from([uscc_check_char(body), *ALPHABET]))
    mutation = draw(st.sampled_from(["none", "none", "drop", "letter"]))
    if mutation == "drop":
        value = value[: draw(st.integers(1, 17))]
    elif mutation == "letter":
        i = draw(st.integers(0, 17))
        value = value[:i] + draw(st.sampled_from("IOSVZ")) + value[i + 1 :]
    return value


@settings(max_examples=20, deadline=None)
@given(st.lists(uscc_candidates(), min_size=1, max_size=50))
def test_sql_uscc_check_agrees_with_python(values: list[str]) -> None:
    for value, got in zip(values, reasons("uscc", values), strict=True):
        assert got == check_uscc(value).reason, value


def test_uscc_vectors_in_sql() -> None:
    values = [
        "91350100M000100Y43",
        "91110108MA01B2C30P",
        "91350100M000100Y44",
        "91350100M000100Y4",
        "91350100M0001O0Y43",
    ]
    assert reasons("uscc", values) == [None, None, "check_char", "length", "alphabet"]


def test_phone_in_sql_agrees_with_python() -> None:
    values = [
        "13812345678",
        "+8613812345678",
        "138 1234-5678",
        "12812345678",
        "1381234567",
        "abc",
        "１３８１２３４５６７８",
    ]
    got = reasons("phone", values)
    assert got == [None if check_mobile(v) else "pattern" for v in values]
    assert got == [None, None, None, "pattern", "pattern", "pattern", None]


def test_not_null_pattern_code_set() -> None:
    assert reasons("not_null", ["a", None, "", " ", "\u3000", "0"]) == [
        None,
        "blank",
        "blank",
        "blank",
        "blank",
        None,
    ]
    assert reasons("pattern", ["A12", "a12", "A1", None], {"pattern": "[A-Z][0-9]{2}"}) == [
        None,
        "pattern",
        "pattern",
        None,
    ]
    # a pattern with a quote is bound, not spliced into the SQL
    assert reasons("pattern", ["it's", "its"], {"pattern": "it's"}) == [None, "pattern"]
    assert reasons("code_set", ["1", "2", "3", " 9 ", None], {"values": ["1", "2", 9]}) == [
        None,
        None,
        "not_in_set",
        None,
        None,
    ]
    assert reasons("code_set", [1, 2, 3], {"values": [1, 2]}) == [None, None, "not_in_set"]


def test_uniqueness_marks_all_but_first() -> None:
    assert reasons("uniqueness", ["a", "b", "a", "A ", None, None, "c", "b"]) == [
        None,
        None,
        "duplicate",
        "duplicate",
        None,
        None,
        None,
        "duplicate",
    ]


def test_registry() -> None:
    assert set(RULES) >= {"not_null", "id_number", "uniqueness", "pattern", "code_set", "uscc", "phone"}
    with pytest.raises(InvalidInput) as info:
        get_rule("nope")
    assert info.value.code == "govern.quality.unknown_rule"
    assert "id_number" in info.value.message("en")


@pytest.mark.parametrize(
    ("rule", "params"),
    [("pattern", {}), ("pattern", {"pattern": "("}), ("code_set", {}), ("code_set", {"values": []})],
)
def test_bad_params(rule: str, params: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as info:
        get_rule(rule)(params)
    assert info.value.code == "govern.quality.bad_params"


def test_quote_ident() -> None:
    assert quote_ident("sfzh") == '"sfzh"'
    assert quote_ident('a"b') == '"a""b"'
    assert quote_ident("身份证号") == '"身份证号"'


_SPACES_AND_WIDE = " \u3000\u00a0\t\nxX９Ａａ1a-年"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(_SPACES_AND_WIDE, max_size=8), st.text(max_size=8)), max_size=40)
)
def test_normal_form_equals_the_plain_chain(values: list[str | None]) -> None:
    """The normal form skips translate and trim where they cannot change the value; it must give
    exactly what translating, trimming and upper-casing every value gives."""
    plain = f"upper(trim(translate(v, {quote_literal(_FULL)}, {quote_literal(_HALF)})))"
    con = duckdb.connect()
    con.register("t", pa.table({"k": list(range(len(values))), "v": pa.array(values, pa.string())}))
    rows = con.execute(f"SELECT {normalized('v')}, {plain} FROM t ORDER BY k").fetchall()  # noqa: S608
    con.close()
    for value, (fast, slow) in zip(values, rows, strict=True):
        assert fast == slow, repr(value)
