"""The consistency, range, length, custom SQL and timeliness rules over in-memory Arrow data.

ID numbers are STANDARDS.md vectors: 11010519491231002X (born 1949-12-31, female),
440524188001010014 (1880-01-01, male), 110105491231002 (old 15-digit form of the first).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.govern.quality import get_rule, quote_ident
from govdata.govern.quality.sql import Params, SqlContext, date_digits, normalized

FEMALE_ID, MALE_ID, OLD_ID = "11010519491231002X", "440524188001010014", "110105491231002"


def evaluate(
    rule_name: str, columns: dict[str, list[Any]], params: dict[str, Any] | None = None
) -> list[Any]:
    """The rule's reason per row, in input order, for a table of ``columns`` (all bound, in order)."""
    rule = get_rule(rule_name)(params)
    ctx = SqlContext(Params(), quote_ident("k"), loaded_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    names = list(columns)
    expr = rule.reason([quote_ident(n) for n in names], ctx)
    n = len(next(iter(columns.values()))) if columns else 1
    con = duckdb.connect()
    con.register("source", pa.table({"k": list(range(n)), **columns}))
    rows = con.execute(f"SELECT {expr} FROM source ORDER BY k", ctx.params.values).fetchall()  # noqa: S608
    con.close()
    return [r[0] for r in rows]


def test_date_digits_reads_the_common_formats() -> None:
    values = ["19491231", "1949-12-31", "1949/12/31", "1949.12.31", "1949年12月31日", "1949年1月5日",
              "1949-12-31 08:00:00", "1949-1-5", "31/12/1949", "abc", None, "１９４９１２３１"]  # fmt: skip
    con = duckdb.connect()
    con.register("t", pa.table({"k": range(len(values)), "d": values}))
    got = [r[0] for r in con.execute(f"SELECT {date_digits(normalized('d'))} FROM t ORDER BY k").fetchall()]  # noqa: S608
    assert got == ["19491231", "19491231", "19491231", "19491231", "19491231", "19490105",
                   "19491231", "19490105", None, None, None, "19491231"]  # fmt: skip


def test_id_birth_date() -> None:
    ids = [FEMALE_ID, FEMALE_ID, FEMALE_ID, MALE_ID, OLD_ID, FEMALE_ID, "12345", None, FEMALE_ID]
    dates = ["1949年12月31日", "1949-12-30", "19491231", "1880/1/1", "1949.12.31", "not a date", "19491231",
             "19491231", None]  # fmt: skip
    assert evaluate("id_birth_date", {"id": ids, "born": dates}) == [
        None, "mismatch", None, None, None, "bad_date", None, None, None,
    ]  # fmt: skip
    dated = pa.array([dt.date(1949, 12, 31), dt.date(1950, 1, 1)], pa.date32())
    assert evaluate("id_birth_date", {"id": [FEMALE_ID, FEMALE_ID], "born": dated}) == [None, "mismatch"]


def test_id_gender() -> None:
    ids = [FEMALE_ID, FEMALE_ID, FEMALE_ID, MALE_ID, MALE_ID, MALE_ID, OLD_ID, FEMALE_ID, FEMALE_ID, "x"]
    genders = ["2", "女", "1", "男", "M", "F", "2", "9", None, "1"]
    assert evaluate("id_gender", {"id": ids, "xb": genders}) == [
        None, None, "mismatch", None, None, "mismatch", None, None, None, None,
    ]  # fmt: skip
    custom = {"male": ["b"], "female": ["g"]}
    assert evaluate("id_gender", {"id": [FEMALE_ID, FEMALE_ID], "xb": ["g", "b"]}, custom) == [
        None,
        "mismatch",
    ]
    with pytest.raises(InvalidInput):
        get_rule("id_gender")({"male": ["x'; DROP"]})


def test_range_numbers_and_dates() -> None:
    values = ["5", "0", "10", "10.5", "-1", "abc", None, "１０"]
    assert evaluate("range", {"v": values}, {"min": 0, "max": 10}) == [
        None, None, None, "above_max", "below_min", "not_number", None, None,
    ]  # fmt: skip
    exclusive = {"min": 0, "max": 10, "min_inclusive": False, "max_inclusive": False}
    assert evaluate("range", {"v": ["0", "10", "5"]}, exclusive) == ["below_min", "above_max", None]
    numbers = pa.array([1.5, 20.0, None], pa.float64())
    assert evaluate("range", {"v": numbers}, {"max": 10}) == [None, "above_max", None]
    dates = ["2020年1月1日", "1899-12-31", "2030/1/1", "20200230"]
    bounds = {"type": "date", "min": "1900-01-01", "max": "2025-12-31"}
    assert evaluate("range", {"v": dates}, bounds) == [None, "below_min", "above_max", "not_date"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"min": "x"},
        {"min": 5, "max": 1},
        {"type": "date", "min": "2020-13-01"},
        {"type": "time", "min": 1},
    ],
)
def test_range_bad_params(params: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as info:
        get_rule("range")(params)
    assert info.value.code == "govern.quality.bad_params"


def test_length() -> None:
    values = ["张三", "欧阳娜娜娜娜", "a", " 张三 ", None, "\u3000王\u3000"]
    assert evaluate("length", {"v": values}, {"min": 2, "max": 4}) == [
        None, "too_long", "too_short", None, None, "too_short",
    ]  # fmt: skip
    for bad in ({}, {"min": -1}, {"min": 3, "max": 2}, {"max": "4"}):
        with pytest.raises(InvalidInput):
            get_rule("length")(bad)


# letters, digits, CJK, symbols and the two spaces the platform trims (other Unicode spaces and
# control characters are beyond this property: DuckDB's trim treats some of them as spaces)
TEXT = st.one_of(st.characters(exclude_categories=("Z", "C")), st.sampled_from([" ", "\u3000"]))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(TEXT, max_size=8), min_size=1, max_size=20), st.integers(0, 4), st.integers(4, 8))
def test_length_agrees_with_python(values: list[str], low: int, high: int) -> None:
    def expected(v: str) -> str | None:
        size = len(v.replace("\u3000", " ").strip(" "))
        if size == 0:
            return None
        return "too_short" if size < low else "too_long" if size > high else None

    assert evaluate("length", {"v": values}, {"min": low, "max": high}) == [expected(v) for v in values]


def test_custom_sql_boolean_and_reason() -> None:
    columns = {"age": [30, -1, None, 200], "name": ["a", "b", "c", "d"]}
    assert evaluate("custom_sql", columns, {"expression": "age BETWEEN 0 AND 150"}) == [
        None, "custom", None, "custom",
    ]  # fmt: skip
    reason = "CASE WHEN age < 0 THEN 'negative' WHEN age > 150 THEN 'too_old' END"
    assert evaluate("custom_sql", columns, {"reason": reason}) == [None, "negative", None, "too_old"]


SCHEMA = pa.schema([("age", pa.int64()), ("name", pa.string())])


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"expression": "age >"}, "syntax"),
        ({"expression": "age > 1; DROP TABLE t"}, "';'"),
        ({"expression": "age > 1 -- comment"}, "'--'"),
        ({"expression": "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0"}, "subquery"),
        ({"expression": "age IN (SELECT 1)"}, "subquery"),
        ({"expression": "sum(age) OVER () > 1"}, "window"),
        ({"expression": "getenv('HOME') = 'x'"}, "getenv"),
        ({"expression": "age > 1) AS v, (1"}, "single scalar"),
        ({"expression": "age > 1", "reason": "'x'"}, "exactly one"),
    ],
)
def test_custom_sql_refused_before_binding(params: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InvalidInput) as info:
        get_rule("custom_sql")({**params, "name": "年龄合理"})
    assert fragment in str(info.value.params) or fragment in info.value.message("en")
    if info.value.code == "govern.quality.bad_sql":
        assert "年龄合理" in info.value.message("zh")


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"expression": "agee > 1"}, "agee"),
        ({"expression": "sum(age) > 1"}, "GROUP BY"),
        ({"expression": "name + 1 > 0"}, "name"),
        ({"expression": "age + 1"}, "expected BOOLEAN"),
        ({"reason": "age > 1"}, "expected VARCHAR"),
    ],
)
def test_custom_sql_bound_against_the_schema(params: dict[str, Any], fragment: str) -> None:
    rule = get_rule("custom_sql")({**params, "name": "年龄合理"})
    with pytest.raises(InvalidInput) as info:
        rule.check_schema(SCHEMA, [])
    assert info.value.code == "govern.quality.bad_sql"
    assert fragment.lower() in info.value.message("en").lower()
    get_rule("custom_sql")({"expression": "age > 1 AND name <> '--x'".replace("--", "")}).check_schema(
        SCHEMA, []
    )


def test_timeliness_whole_table_and_date_column() -> None:
    # the table was loaded 3 days ago (see ``evaluate``)
    assert evaluate("timeliness", {}, {"max_age_days": 7}) == [None]
    assert evaluate("timeliness", {}, {"cycle": "每日"}) == ["stale"]
    today = dt.date.today()
    fresh = [(today - dt.timedelta(days=d)).strftime("%Y年%m月%d日") for d in (40, 10, 400)]
    assert evaluate("timeliness", {"d": fresh}, {"cycle": "每月"}) == [None, None, None]
    old = [(today - dt.timedelta(days=d)).isoformat() for d in (40, 400)]
    assert evaluate("timeliness", {"d": old}, {"cycle": "monthly"}) == ["stale", "stale"]
    for bad in ({}, {"cycle": "其他"}, {"max_age_days": 0}, {"max_age_days": True}):
        with pytest.raises(InvalidInput):
            get_rule("timeliness")(bad)
