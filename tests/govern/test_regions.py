"""The packaged GB/T 2260 region table."""

from __future__ import annotations

import datetime as dt

from govdata.govern.standards import is_known, level, parent_code, region, regions
from govdata.govern.standards.idnumber import PROVINCES


def test_all_34_province_level_units() -> None:
    provinces = {r.code[:2] for r in regions().values() if r.level == "province"}
    assert len(provinces) == 34
    assert provinces == PROVINCES - {"83"}  # 83 is a residence-permit prefix, not a region


def test_every_parent_is_in_the_table() -> None:
    table = regions()
    for r in table.values():
        assert r.code.isdigit() and len(r.code) == 6
        assert r.parent is None or r.parent in table
        assert (r.parent is None) == (r.level == "province")


def test_demo_city_and_abolished_districts() -> None:
    hz = region("330100")
    assert hz is not None and hz.name == "杭州市" and hz.level == "prefecture" and hz.parent == "330000"
    counties = {r.code for r in regions().values() if r.parent == "330100"}
    assert {"330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112"} <= counties
    assert {"330113", "330114", "330122", "330127", "330182", "330103", "330104"} <= counties
    old = region("330103")
    assert old is not None and old.name == "下城区" and old.valid_to is not None
    assert not old.in_force() and old.in_force(dt.date(2020, 1, 1))
    new = region("330113")
    assert new is not None and new.in_force() and not new.in_force(dt.date(2020, 1, 1))


def test_vector_codes_known() -> None:
    for code in ("110105", "440524", "310115", "440304", "130503", "350100", "110108"):
        assert is_known(code), code
    assert region("110105").name == "朝阳区"  # type: ignore[union-attr]


def test_level_and_parent_by_structure() -> None:
    assert level("330000") == "province" and parent_code("330000") is None
    assert level("110105") == "county" and parent_code("110105") == "110100"
    # not in the table: derived from the code
    assert level("320500") == "prefecture" and parent_code("320500") == "320000"
    assert level("320506") == "county" and parent_code("320506") == "320500"
    assert parent_code("419001") == "410000"  # CC 90: county-level unit directly under the province
    assert level("12345") is None and parent_code("abcdef") is None
    assert not is_known("999999")
    assert region("999999") is None
