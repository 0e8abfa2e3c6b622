"""Referential and timeliness rules through check_table: one scan of the checked table, exact keys."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from govdata.errors import InvalidInput, NotFound
from govdata.govern.quality import RuleBinding, check_table, failing_keys
from govdata.lake import Lake, TableRef

PEOPLE = TableRef("raw", "gaj", "hj_rk")
COMPANIES = TableRef("raw", "scjgj", "qy_jbxx")
REFERENCE = {"table": PEOPLE.key, "column": "sfzh"}


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    lake = Lake(str(tmp_path / "lake"))
    lake.write(
        PEOPLE, pa.table({"id": [1, 2, 3], "sfzh": ["11010519491231002X", "440524188001010014", None]})
    )
    lake.write(
        COMPANIES,
        pa.table(
            {
                "qydm": ["a", "b", "c", "d", "e"],
                # b: lower-case x and full-width digits still match; d dangles; e is blank (not checked)
                "fddbrsfzh": [
                    "440524188001010014",
                    "１１０１０５１９４９１２３１００２x",
                    "x",
                    "310115199512310023",
                    " ",
                ],
            }
        ),
    )
    return lake


def test_referential_finds_dangling_keys(lake: Lake) -> None:
    binding = RuleBinding("referential", ("fddbrsfzh",), REFERENCE)
    report = check_table(lake, COMPANIES, [binding, RuleBinding("not_null", ("fddbrsfzh",))], ["qydm"])
    result = report.result("referential")
    assert (result.checked_rows, result.failed_rows, result.reasons) == (4, 2, {"dangling": 2})
    assert failing_keys(lake, COMPANIES, binding, ["qydm"]).to_pylist() == [
        {"qydm": "c", "failure_reason": "dangling"},
        {"qydm": "d", "failure_reason": "dangling"},
    ]


def test_referential_names_a_missing_table_or_column(lake: Lake) -> None:
    with pytest.raises(NotFound):
        check_table(
            lake,
            COMPANIES,
            [RuleBinding("referential", ("fddbrsfzh",), {**REFERENCE, "table": "raw.gaj.nope"})],
            ["qydm"],
        )
    with pytest.raises(InvalidInput) as info:
        check_table(
            lake,
            COMPANIES,
            [RuleBinding("referential", ("fddbrsfzh",), {**REFERENCE, "column": "gmsfhm"})],
            ["qydm"],
        )
    assert info.value.code == "govern.quality.unknown_column" and "raw.gaj.hj_rk" in info.value.message("en")
    with pytest.raises(InvalidInput) as info:
        RuleBinding("referential", ("fddbrsfzh",), {"table": "people", "column": "x"}).rule()
    assert info.value.code == "govern.quality.bad_params"


def test_timeliness_uses_the_commit_time(lake: Lake) -> None:
    fresh = RuleBinding("timeliness", (), {"max_age_days": 1})
    report = check_table(lake, PEOPLE, [fresh], ["id"])
    assert (report.result("timeliness").failed_rows, report.dimension_scores) == (0, {"timeliness": 100.0})
    # a sub-second cycle: the table committed a moment ago is already late
    stale = RuleBinding("timeliness", (), {"max_age_days": 1e-9})
    assert check_table(lake, PEOPLE, [stale], ["id"]).result("timeliness").failed_rows == 3


def test_custom_sql_is_bound_before_running(lake: Lake) -> None:
    good = RuleBinding("custom_sql", (), {"expression": "length(sfzh) = 18", "name": "长度18"})
    assert check_table(lake, PEOPLE, [good], ["id"]).result("custom_sql").failed_rows == 0
    bad = RuleBinding("custom_sql", (), {"expression": "length(gmsfhm) = 18", "name": "长度18"})
    with pytest.raises(InvalidInput) as info:
        check_table(lake, PEOPLE, [bad], ["id"])
    assert info.value.code == "govern.quality.bad_sql" and "gmsfhm" in info.value.message("en")
