"""Column profiles from one DuckDB statement: counts, typed ranges, top values, value patterns,
masking of sensitive columns, an empty table and an all-null column."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata.govern.profiling import ColumnProfile, pattern_sql, profile_table
from govdata.govern.profiling.engine import PATTERN_CHARS
from govdata.lake import Lake, TableRef

REF = TableRef("raw", "gaj", "profiled")


def _pattern(values: list[str | None]) -> list[str | None]:
    con = duckdb.connect()
    con.register("v", pa.table({"s": pa.array(values, pa.string())}))
    return [r[0] for r in con.execute(f"SELECT {pattern_sql('s')} FROM v").fetchall()]  # noqa: S608


def _profile(
    tmp_path: Path, table: pa.Table, masks: dict[str, str] | None = None
) -> dict[str, ColumnProfile]:
    lake = Lake(str(tmp_path / "lake"))
    lake.write(REF, table)
    return {c.name: c for c in profile_table(lake, REF, masks=masks).columns}


def test_patterns_of_standard_identifiers() -> None:
    # STANDARDS.md vectors: an ID number, an old 15-digit one, a credit code, a plate-like code
    values = [
        "11010519491231002X",
        "110105491231002",
        "91350100M000100Y43",
        "浙A-12345",
        "ＡＢ１２",
        "Иван·张",  # letters of every script become A: a pattern never spells a name
        "",
        None,
    ]
    assert _pattern(values) == [
        "99999999999999999A",
        "999999999999999",
        "99999999A999999A99",
        "汉A-99999",
        "AA99",
        "AAAA·汉",
        "",
        None,
    ]


def test_long_values_get_the_pattern_of_their_start() -> None:
    long = "a" * (PATTERN_CHARS + 5)
    assert _pattern([long]) == ["A" * PATTERN_CHARS + "…"]


ALPHABET = (
    "".join(chr(c) for c in range(32, 127))
    + "０１２３４５６７８９ＡＢＣＸＹＺａｂｚ"  # full width
    + "张王李赵欧阳浙京沪龘"  # Chinese
    + "ИванЖжΑβγ٣"  # Cyrillic, Greek, an Arabic-Indic digit
    + "·—，。、（）\u3000\t"
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=PATTERN_CHARS), min_size=1, max_size=20))
def test_a_pattern_keeps_length_and_no_letter_or_digit(values: list[str]) -> None:
    for value, pattern in zip(values, _pattern(list(values)), strict=True):
        assert pattern is not None and len(pattern) == len(value)
        for ch, p in zip(value, pattern, strict=True):
            kind = unicodedata.category(ch)
            if kind == "Nd":
                assert p == "9"
            elif kind.startswith("L"):
                assert p == ("汉" if "\u4e00" <= ch <= "\u9fff" else "A")
            else:
                assert p == ch


def _sample() -> pa.Table:
    return pa.table(
        {
            "_source_row": pa.array([1, 2, 3, 4, 5, 6], pa.int64()),
            "xm": pa.array(["张三", "李四", "张三", None, "  ", ""], pa.string()),
            "sfzh": pa.array(
                ["11010519491231002X", "440524188001010014", "11010519491231002X", None, None, "x"],
                pa.string(),
            ),
            "age": pa.array([30, 40, 30, None, 50, 30], pa.int64()),
            "score": pa.array([1.5, 2.5, None, None, 3.5, 4.5], pa.float64()),
            "born": pa.array(
                [dt.date(1949, 12, 31), None, dt.date(1880, 1, 1), None, None, None], pa.date32()
            ),
            "seen": pa.array([dt.datetime(2024, 5, 1, 8, 0)] * 2 + [None] * 4, pa.timestamp("us")),
            "ok": pa.array([True, True, False, None, True, None], pa.bool_()),
            "nothing": pa.array([None] * 6, pa.string()),
        }
    )


def test_counts_ranges_and_top_values_by_type(tmp_path: Path) -> None:
    cols = _profile(tmp_path, _sample())
    assert "_source_row" not in cols  # the platform's own columns are not profiled
    xm = cols["xm"]
    assert (xm.kind, xm.rows, xm.nulls, xm.empty, xm.blank, xm.distinct) == ("text", 6, 1, 1, 1, 4)
    assert (xm.null_share, xm.missing_share) == (round(1 / 6, 6), 0.5)
    assert (xm.min_length, xm.max_length) == (0, 2)
    assert xm.top_values[0].model_dump() == {"value": "张三", "count": 2}
    assert xm.patterns[0].model_dump() == {"pattern": "汉汉", "count": 3, "share": 0.6}
    age = cols["age"]
    assert (age.kind, age.min, age.max, age.distinct, age.nulls) == ("number", 30, 50, 3, 1)
    assert age.mean == pytest.approx(36.0)
    assert age.stddev == pytest.approx(8.944272, rel=1e-6)  # sample stddev of 30 40 30 50 30
    assert age.top_values[0].model_dump() == {"value": 30, "count": 3}
    score = cols["score"]
    assert (score.min, score.max, score.mean) == (1.5, 4.5, 3.0)
    born = cols["born"]
    assert (born.kind, born.min, born.max, born.nulls) == ("temporal", "1880-01-01", "1949-12-31", 4)
    assert born.mean is None and born.patterns == []
    assert cols["seen"].min == "2024-05-01 08:00:00"
    ok = cols["ok"]
    assert (ok.kind, ok.min, ok.max) == ("boolean", False, True)
    assert [(t.value, t.count) for t in ok.top_values] == [(True, 3), (False, 1)]


def test_an_all_null_column(tmp_path: Path) -> None:
    col = _profile(tmp_path, _sample())["nothing"]
    assert (col.nulls, col.null_share, col.distinct, col.min, col.max) == (6, 1.0, 0, None, None)
    assert col.top_values == [] and col.patterns == [] and col.pattern_count == 0


def test_an_empty_table(tmp_path: Path) -> None:
    cols = _profile(tmp_path, _sample().slice(0, 0))
    assert set(cols) == {"xm", "sfzh", "age", "score", "born", "seen", "ok", "nothing"}
    for col in cols.values():
        assert (col.rows, col.nulls, col.null_share, col.distinct, col.top_values) == (0, 0, 0.0, 0, [])


def test_sensitive_top_values_and_ranges_are_masked(tmp_path: Path) -> None:
    cols = _profile(tmp_path, _sample(), masks={"xm": "name", "sfzh": "id_number", "age": "full"})
    sfzh = cols["sfzh"]
    assert sfzh.masked
    assert [(t.value, t.count) for t in sfzh.top_values] == [
        ("110105********002X", 2),
        ("440524********0014", 1),
        ("*", 1),
    ]
    assert (sfzh.min, sfzh.max) == ("110105********002X", "*")
    assert sfzh.patterns[0].pattern == "99999999999999999A"  # patterns carry no value
    assert {t.value for t in cols["xm"].top_values} == {"张*", "李*", ""}
    assert cols["age"].min == "****" and {t.value for t in cols["age"].top_values} == {"****"}
    raw = str([c.model_dump() for c in cols.values()])
    for secret in ("11010519491231002X", "440524188001010014", "张三", "李四"):
        assert secret not in raw
    assert not cols["born"].masked


def test_an_earlier_version_is_profiled_as_it_was(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / "lake"))
    lake.write(REF, _sample())
    lake.write(REF, _sample().slice(0, 2))
    assert profile_table(lake, REF).rows == 2
    assert profile_table(lake, REF, version=0).rows == 6


def test_tables_without_numbers_or_user_columns_count_their_rows(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / "lake"))
    lake.write(REF, pa.table({"_source_row": [1, 2, 3], "code": ["a", "b", "b"]}))
    assert profile_table(lake, REF).rows == 3
    lake.write(REF, pa.table({"_source_row": [1, 2, 3, 4]}))
    assert profile_table(lake, REF).columns == [] and profile_table(lake, REF).rows == 4


def test_odd_column_names_and_nested_values(tmp_path: Path) -> None:
    table = pa.table(
        {
            "姓名": ["张三", "张三", None],
            'a"b': pa.array([1.5, None, 1.5], pa.float64()),
            "tags": pa.array([["x"], ["x", "y"], None], pa.list_(pa.string())),
        }
    )
    cols = _profile(tmp_path, table)
    assert (cols["姓名"].distinct, cols["姓名"].top_values[0].count) == (1, 2)
    assert (cols['a"b'].nulls, cols['a"b'].mean, cols['a"b'].stddev) == (1, 1.5, 0.0)
    tags = cols["tags"]
    assert (tags.kind, tags.distinct, tags.nulls, tags.min, tags.patterns) == ("other", 2, 1, None, [])
