"""Identifier checks against the STANDARDS.md test vectors, plus hypothesis properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdata.govern.standards import (
    check_bank_card,
    check_id_number,
    check_mobile,
    check_org_code,
    check_uscc,
    format_org_code,
    halfwidth,
    id_birth_date,
    id_check_char,
    id_gender,
    luhn_check_digit,
    luhn_valid,
    national_mobile,
    org_check_char,
    upgrade_id15,
    uscc_check_char,
)
from govdata.govern.standards.idnumber import PROVINCES
from govdata.govern.standards.uscc import ALPHABET

ID_VECTORS = [
    ("11010519491231002X", True, None, "2"),
    ("11010519491231002x", True, None, "2"),
    ("440524188001010014", True, None, "1"),
    ("440304200002290030", True, None, "1"),
    ("310115199512310023", True, None, "2"),
    ("110105194912310021", False, "check_char", None),
    ("440304199902290030", False, "birth_date", None),
    ("110105200013010013", False, "birth_date", None),
    ("990105194912310023", False, "province", None),
    ("11010519491231002", False, "length", None),
    ("1101051949123100X2", False, "pattern", None),
]


@pytest.mark.parametrize(("value", "valid", "reason", "gender"), ID_VECTORS)
def test_id_vectors(value: str, valid: bool, reason: str | None, gender: str | None) -> None:
    result = check_id_number(value)
    assert (result.valid, result.reason, result.gender) == (valid, reason, gender)


def test_id_expected_check_char_and_helpers() -> None:
    assert check_id_number("110105194912310021").expected_check == "X"
    assert upgrade_id15("110105491231002") == "11010519491231002X"
    assert upgrade_id15("130503670401001") == "130503196704010016"
    assert id_gender("110105491231002") == "2"
    assert id_gender("440524188001010014") == "1"
    assert id_gender("110105194912310021") is None
    assert id_birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert id_birth_date("110105491231002") == dt.date(1949, 12, 31)
    assert id_birth_date("garbage") is None


def test_full_width_input_is_normalised() -> None:
    assert check_id_number("１１０１０５１９４９１２３１００２Ｘ").valid
    assert halfwidth("１３８\u3000ＡＢ") == "138 AB"
    assert check_uscc(" ９１３５０１００Ｍ０００１００Ｙ４３ ").valid


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())


@st.composite
def id_bodies(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCES)))
    rest = draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(dates).strftime("%Y%m%d")
    seq = draw(st.text("0123456789", min_size=3, max_size=3))
    return province + rest + born + seq


@given(id_bodies())
def test_generated_ids_validate(body: str) -> None:
    value = body + id_check_char(body)
    result = check_id_number(value)
    assert result.valid
    assert result.gender == ("1" if int(body[16]) % 2 else "2")


@given(id_bodies(), st.sampled_from("0123456789X"))
def test_changing_check_char_invalidates(body: str, other: str) -> None:
    good = id_check_char(body)
    if other != good:
        assert check_id_number(body + other).reason == "check_char"


@given(
    st.sampled_from(sorted(PROVINCES)),
    st.text("0123456789", min_size=4, max_size=4),
    dates,
    st.text("0123456789", min_size=3, max_size=3),
)
def test_id15_upgrade_round_trips(province: str, rest: str, born: dt.date, seq: str) -> None:
    if not 1900 <= born.year <= 1999:
        return
    old = province + rest + born.strftime("%y%m%d") + seq
    new = upgrade_id15(old)
    assert check_id_number(new).valid
    assert new[:6] + new[8:17] == old  # dropping "19" and the check char gives the old number back


USCC_VECTORS = [
    ("91350100M000100Y43", True, None, None),
    ("91110108MA01B2C344", True, None, None),
    ("12330100470000AB9A", True, None, None),
    ("91110108MA01B2C30P", True, None, "org_code_check"),
    ("91350100M000100Y44", False, "check_char", None),
    ("91350100M000100Y4", False, "length", None),
    ("91350100M0001O0Y43", False, "alphabet", None),
]


@pytest.mark.parametrize(("value", "valid", "reason", "warning"), USCC_VECTORS)
def test_uscc_vectors(value: str, valid: bool, reason: str | None, warning: str | None) -> None:
    result = check_uscc(value)
    assert (result.valid, result.reason, result.warning) == (valid, reason, warning)


def test_uscc_expected_check() -> None:
    assert check_uscc("91350100M000100Y44").expected_check == "3"


@given(st.text(ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_uscc_generated(body: str, other: str) -> None:
    good = uscc_check_char(body)
    assert check_uscc(body + good).valid
    if other != good:
        assert check_uscc(body + other).reason == "check_char"


@pytest.mark.parametrize("value", ["D2143569-X", "D2143569X", "d2143569-x", "Ｄ２１４３５６９－Ｘ"])
def test_org_code_valid(value: str) -> None:
    assert check_org_code(value).valid


def test_org_code_invalid() -> None:
    bad = check_org_code("D2143569-1")
    assert (bad.valid, bad.reason, bad.expected_check) == (False, "check_char", "X")
    assert check_org_code("D2143569").reason == "pattern"
    assert check_org_code("D2143-569X").reason == "pattern"
    assert format_org_code("d2143569x") == "D2143569-X"


@given(st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_org_code_generated(body: str) -> None:
    check = org_check_char(body)
    assert check_org_code(body + check).valid
    assert check_org_code(f"{body}-{check}").valid
    wrong = "0" if check != "0" else "1"
    assert not check_org_code(body + wrong).valid


def test_bank_card_vectors() -> None:
    assert check_bank_card("6217000000000000004")
    assert not check_bank_card("6217000000000000005")
    assert check_bank_card("6217 0000 0000 0000 004")
    assert not check_bank_card("621700000000004")  # 15 digits
    assert not luhn_valid("62170000000000000a4")


@given(st.text("0123456789", min_size=15, max_size=18))
def test_luhn_check_digit_completes(partial: str) -> None:
    digit = luhn_check_digit(partial)
    assert luhn_valid(partial + digit)
    assert not luhn_valid(partial + str((int(digit) + 1) % 10))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("13812345678", True),
        ("+8613812345678", True),
        ("8613812345678", True),
        ("138 1234 5678", True),
        ("１３８１２３４５６７８", True),
        ("12812345678", False),
        ("1381234567", False),
        ("138123456789", False),
        ("010-12345678", False),
    ],
)
def test_mobile(value: str, valid: bool) -> None:
    assert check_mobile(value) is valid


def test_national_mobile() -> None:
    assert national_mobile("+86 138-1234-5678") == "13812345678"
    assert national_mobile("12345") is None
