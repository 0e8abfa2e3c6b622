"""The SQL normalizers equal the Python ones: STANDARDS.md vectors and generated values."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.govern.quality.sql import Params
from govdata.govern.standardize.expressions import ToNormalize, normalized_select, target_sql
from govdata.govern.standards.normalizers import normalize, normalizer_names

CODES = {
    "1": "1",
    "男": "1",
    "男性": "1",
    "m": "1",
    "male": "1",
    "2": "2",
    "女": "2",
    "f": "2",
    "0": "0",
    "9": "9",
}
_CON = duckdb.connect()


def sql_normalize(
    name: str, values: list[str | None], codes: dict[str, str] | None = None
) -> list[str | None]:
    """The layered SQL the standardization runs, over ``values``."""
    params = Params()
    query = normalized_select([ToNormalize("v", name, codes)], params, "vals")
    table = pa.table({"v": pa.array(values, pa.string()), "i": pa.array(range(len(values)), pa.int64())})
    _CON.register("vals", table)
    rows = _CON.execute(f"SELECT __n0 FROM ({query}) ORDER BY i", params.values).fetchall()  # noqa: S608
    _CON.unregister("vals")
    return [r[0] for r in rows]


def py_normalize(
    name: str, values: list[str | None], codes: dict[str, str] | None = None
) -> list[str | None]:
    return [normalize(name, v, codes) for v in values]


VECTORS = {
    "id_number_18": [
        ("110105491231002", "11010519491231002X"),
        ("130503670401001", "130503196704010016"),
        ("11010519491231002x", "11010519491231002X"),
        (" １１０１０５４９１２３１００２ ", "11010519491231002X"),
        ("440524188001010014", "440524188001010014"),
        ("", None),
        (None, None),
    ],
    "date": [
        ("2023年5月1日", "20230501"),
        ("2023/5/1", "20230501"),
        ("2023-5-1", "20230501"),
        ("2023.05.01", "20230501"),
        ("20230501", "20230501"),
        ("2023-05-01 12:00:00", "20230501"),
        ("２０２３年５月１日", "20230501"),
        ("2023 年 05 月 01", "20230501"),
        ("2000-02-29", "20000229"),
        ("1999-02-29", None),
        ("2023-13-01", None),
        ("0000-01-01", None),
        ("May 1", None),
    ],
    "phone": [
        ("+86 138-1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("010-12345678", "010-12345678"),
    ],
    "uscc": [(" 91350100m000100y43 ", "91350100M000100Y43")],
    "org_code": [("d2143569x", "D2143569-X"), ("D2143569-X", "D2143569-X"), ("abc", "ABC")],
    "bank_card": [("6217 0000 0000 0000 004", "6217000000000000004")],
    "region_code": [("110105", "110105"), ("110105001001", "110105"), ("11010", None)],
    "person_name": [("张 三", "张三"), (" John  Smith ", "John Smith"), ("　", None)],
    "trim": [("　ａ ", "a"), ("  ", None)],
    "identifier": [(" ab ", "AB")],
    "code_table": [("男", "1"), ("M", "1"), (" Female ", None), ("２", "2"), ("x", None)],
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_standards_vectors_in_sql_and_python(name: str) -> None:
    values = [v for v, _ in VECTORS[name]]
    expected = [e for _, e in VECTORS[name]]
    assert sql_normalize(name, values, CODES) == expected
    assert py_normalize(name, values, CODES) == expected


def test_every_python_normalizer_has_a_sql_twin() -> None:
    for name in normalizer_names():
        assert sql_normalize(name, ["x"], CODES) is not None


def test_unknown_normalizer_and_type_list_the_known_names() -> None:
    with pytest.raises(InvalidInput) as caught:
        normalized_select([ToNormalize("v", "soundex")], Params())
    assert caught.value.code == "govern.library.unknown_normalizer"
    assert "id_number_18" in caught.value.params["known"]
    with pytest.raises(InvalidInput) as caught:
        target_sql('"v"', "money")
    assert "date" in caught.value.params["known"]


_ALPHABET = "0123456789０１２３４５６７８９xXａＢaAbZ张三-－/.．: T年月日+　\t\xa0"
_text = st.text(alphabet=_ALPHABET, max_size=24)
_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=3)


@st.composite
def dateish(draw: st.DrawFn) -> str:
    year = draw(st.integers(1000, 2999))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    sep = draw(st.sampled_from(["-", "/", ".", "年", ""]))
    pad = draw(st.booleans())
    m, d = (f"{month:02d}", f"{day:02d}") if pad or sep == "" else (str(month), str(day))
    tail = "日" if sep == "年" and draw(st.booleans()) else draw(st.sampled_from(["", " 12:00:00", "T08:00"]))
    second = "月" if sep == "年" else sep
    return f"{draw(st.sampled_from(['', ' ', '　']))}{year}{sep}{m}{second}{d}{tail}"


@st.composite
def idish(draw: st.DrawFn) -> str:
    body = draw(st.text(alphabet="0123456789", min_size=14, max_size=18))
    return draw(st.sampled_from(["", " "])) + body + draw(st.sampled_from(["", "x", "X", "０"]))


_GENERATED = {
    "date": st.one_of(dateish(), _text),
    "id_number_18": st.one_of(idish(), _text),
    "phone": st.one_of(
        st.from_regex(r"(\+?86)?[ -]?1[0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{4}", fullmatch=True), _text
    ),
}


@pytest.mark.parametrize("name", normalizer_names())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_sql_equals_python_on_generated_values(name: str, data: st.DataObject) -> None:
    strategy = _GENERATED.get(name, _text)
    values = data.draw(st.lists(st.one_of(st.none(), strategy), max_size=30))
    assert sql_normalize(name, values, CODES) == py_normalize(name, values, CODES)


def test_target_types_cast_or_give_null() -> None:
    table = pa.table({"v": ["20230501", "x", "2023-05-01"]})
    _CON.register("vals", table)
    query = f"SELECT {target_sql('v', 'date')}, {target_sql('v', 'integer')} FROM vals"  # noqa: S608
    rows = _CON.execute(query).fetchall()
    _CON.unregister("vals")
    import datetime as dt

    assert rows == [(dt.date(2023, 5, 1), 20230501), (None, None), (dt.date(2023, 5, 1), None)]
