"""check_table / failing_keys over Delta tables with planted defects: exact counts and keys."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from govdata.errors import InvalidInput, NotFound
from govdata.govern.quality import RuleBinding, check_table, failing_keys, suggest_bindings
from govdata.lake import Lake, TableRef

PEOPLE = TableRef("raw", "gaj", "people")
COMPANIES = TableRef("raw", "scjgj", "companies")

# id → (身份证号, 姓名, 手机号码, 性别)
ROWS = [
    (1, "11010519491231002X", "张三", "13812345678", "2"),
    (2, "110105194912310021", "李四", "12345", "1"),  # bad check char, bad phone
    (3, "110105491231002", None, None, "2"),  # 15-digit ID, null name
    (4, "11010519491231002x", "王五", "+8613812345678", "1"),  # duplicate of 1 after normalising
    (5, None, " ", "13912345678", "9"),  # null ID, blank name
    (6, "440304199902290030", "赵六", "", "3"),  # 1999-02-29, blank phone; gender 3 not in set
    (7, "990105194912310023", "欧阳娜娜", "13912345678", "1"),  # province 99
    (8, "440524188001010014", "钱七", "13612345678", "1"),
    (9, "440524188001010014", "孙八", "13612345678", "1"),  # duplicate of 8
    (10, "440524188001010014", "周九", "13612345678", "2"),  # duplicate of 8
    (11, "11010519491231002", "吴十", "13712345678", "0"),  # length 17
]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    lake = Lake(str(tmp_path / "lake"))
    cols = list(zip(*ROWS, strict=True))
    lake.write(
        PEOPLE,
        pa.table(
            {
                "id": pa.array(cols[0], pa.int64()),
                "身份证号": pa.array(cols[1], pa.string()),
                "姓名": pa.array(cols[2], pa.string()),
                "手机号码": pa.array(cols[3], pa.string()),
                "xb": pa.array(cols[4], pa.string()),
            }
        ),
    )
    lake.write(
        COMPANIES,
        pa.table(
            {
                "qydm": ["a", "b", "c", "d"],
                "shxydm": ["91350100M000100Y43", "91350100M000100Y44", "91110108MA01B2C30P", None],
            }
        ),
    )
    return lake


BINDINGS = [
    RuleBinding("id_number", ("身份证号",)),
    RuleBinding("uniqueness", ("身份证号",)),
    RuleBinding("not_null", ("姓名",)),
    RuleBinding("phone", ("手机号码",)),
    RuleBinding("code_set", ("xb",), {"values": ["0", "1", "2", "9"]}),
]


def test_check_table_counts_reasons_and_samples(lake: Lake) -> None:
    report = check_table(lake, PEOPLE, BINDINGS, ["id"], sample_size=3)
    assert report.rows == 11 and report.table == "raw.gaj.people" and report.version == 0

    ids = report.result("id_number")
    assert (ids.checked_rows, ids.failed_rows) == (10, 5)
    assert ids.reasons == {"check_char": 1, "id15": 1, "birth_date": 1, "province": 1, "length": 1}
    assert ids.samples == [{"id": 2}, {"id": 3}, {"id": 6}]

    dup = report.result("uniqueness")
    assert (dup.checked_rows, dup.failed_rows, dup.reasons) == (11, 3, {"duplicate": 3})
    assert dup.samples == [{"id": 4}, {"id": 9}, {"id": 10}]

    names = report.result("not_null", "姓名")
    assert (names.checked_rows, names.failed_rows) == (11, 2)
    assert names.samples == [{"id": 3}, {"id": 5}]

    phones = report.result("phone")
    assert (phones.checked_rows, phones.failed_rows) == (9, 1)
    assert phones.samples == [{"id": 2}]

    codes = report.result("code_set")
    assert (codes.failed_rows, codes.samples) == (1, [{"id": 6}])


def test_scores(lake: Lake) -> None:
    report = check_table(lake, PEOPLE, BINDINGS, ["id"])
    # validity: (10 - 5) + (9 - 1) + (11 - 1) passed of 10 + 9 + 11 checked = 23/30
    assert report.dimension_scores == {"completeness": 81.8, "validity": 76.7, "uniqueness": 72.7}
    equal = (900 / 11 + 2300 / 30 + 800 / 11) / 3
    assert report.score == round(equal, 1)
    weighted = check_table(lake, PEOPLE, BINDINGS, ["id"], weights={"validity": 2, "uniqueness": 0})
    assert weighted.score == round((900 / 11 + 2 * 2300 / 30) / 3, 1)
    with pytest.raises(InvalidInput) as info:
        check_table(lake, PEOPLE, BINDINGS, ["id"], weights={"beauty": 1})
    assert info.value.code == "govern.quality.bad_weight"
    empty = check_table(lake, PEOPLE, [], ["id"])
    assert (empty.results, empty.dimension_scores, empty.score, empty.rows) == ([], {}, None, 11)


def test_failing_keys_are_complete_and_filterable(lake: Lake) -> None:
    keys = failing_keys(lake, PEOPLE, BINDINGS[0], ["id"])
    assert keys.column_names == ["id", "failure_reason"]
    assert keys.to_pylist() == [
        {"id": 2, "failure_reason": "check_char"},
        {"id": 3, "failure_reason": "id15"},
        {"id": 6, "failure_reason": "birth_date"},
        {"id": 7, "failure_reason": "province"},
        {"id": 11, "failure_reason": "length"},
    ]  # row 4 ('…002x') is valid: upper-cased before checking
    only15 = failing_keys(lake, PEOPLE, BINDINGS[0], ["id"], reason="id15")
    assert only15.column("id").to_pylist() == [3]
    dups = failing_keys(lake, PEOPLE, BINDINGS[1], ["id", "姓名"])
    assert dups.select(["id", "姓名"]).to_pylist() == [
        {"id": 4, "姓名": "王五"},
        {"id": 9, "姓名": "孙八"},
        {"id": 10, "姓名": "周九"},
    ]


def test_multi_column_uniqueness_and_versions(lake: Lake) -> None:
    binding = RuleBinding("uniqueness", ("身份证号", "手机号码"))
    report = check_table(lake, PEOPLE, [binding], ["id"])
    assert report.results[0].failed_rows == 2  # rows 9 and 10 repeat row 8 on both columns
    # append a fixed table as version 1; the report of version 0 can still be reproduced
    lake.write(
        PEOPLE, pa.table({"id": [1], "身份证号": ["x"], "姓名": ["a"], "手机号码": ["1"], "xb": ["1"]})
    )
    assert check_table(lake, PEOPLE, [binding], ["id"]).results[0].failed_rows == 0
    old = check_table(lake, PEOPLE, [binding], ["id"], version=0)
    assert old.version == 0 and old.results[0].failed_rows == 2
    assert len(failing_keys(lake, PEOPLE, binding, ["id"], version=0)) == 2


def test_uscc_table(lake: Lake) -> None:
    report = check_table(
        lake, COMPANIES, [RuleBinding("uscc", ("shxydm",)), RuleBinding("not_null", ("shxydm",))], ["qydm"]
    )
    uscc = report.results[0]
    assert (uscc.checked_rows, uscc.failed_rows, uscc.reasons, uscc.samples) == (
        3,
        1,
        {"check_char": 1},
        [{"qydm": "b"}],
    )
    assert report.results[1].samples == [{"qydm": "d"}]


@pytest.mark.parametrize(
    ("bindings", "keys", "code"),
    [
        ([RuleBinding("nope", ("id",))], ["id"], "govern.quality.unknown_rule"),
        ([RuleBinding("not_null", ("missing",))], ["id"], "govern.quality.unknown_column"),
        ([RuleBinding("not_null", ("id",))], ["missing"], "govern.quality.unknown_column"),
        ([RuleBinding("not_null", ("id",))], [], "govern.quality.no_key_columns"),
        ([RuleBinding("id_number", ("身份证号", "姓名"))], ["id"], "govern.quality.bad_columns"),
        ([RuleBinding("pattern", ("姓名",))], ["id"], "govern.quality.bad_params"),
    ],
)
def test_bad_input(lake: Lake, bindings: list[RuleBinding], keys: list[str], code: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_table(lake, PEOPLE, bindings, keys)
    assert info.value.code == code
    assert info.value.message("zh") != code and info.value.hint("en")


def test_missing_table(lake: Lake) -> None:
    with pytest.raises(NotFound):
        check_table(lake, TableRef("raw", "gaj", "nothing"), BINDINGS, ["id"])


def test_suggest_bindings() -> None:
    schema = pa.schema(
        [
            (n, pa.string())
            for n in ("sfzh", "XM", "统一社会信用代码", "联系手机", "phone", "dz", "公民身份号码")
        ]
    )
    got = [(b.rule_name, b.columns) for b in suggest_bindings(schema)]
    assert got == [
        ("id_number", ("sfzh",)),
        ("uniqueness", ("sfzh",)),
        ("not_null", ("XM",)),
        ("uscc", ("统一社会信用代码",)),
        ("phone", ("联系手机",)),
        ("phone", ("phone",)),
        ("id_number", ("公民身份号码",)),
        ("uniqueness", ("公民身份号码",)),
    ]
