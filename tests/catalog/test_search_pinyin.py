"""Catalog search by pinyin initials: letters find a name through the first letters of its readings.

Runs on SQLite and, with ``GOVDATA_TEST_DATABASE_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

from tests.catalog.test_search import _file, _names, catalog  # noqa: F401 - a fixture

from govdata.catalog.search_text import atoms, initials, spelled
from govdata.runtime import Platform

__all__ = ["catalog"]


def test_initials_are_every_suffix_of_a_run_s_first_letters() -> None:
    assert initials("婚姻登记信息") == ["hydjxx", "ydjxx", "djxx", "jxx", "xx"]
    assert initials("银行行长")[0] == "yhhz"  # 行 read in context: yin hang, hang zhang
    assert initials("PM2.5浓度，户") == ["nd"]  # letters and digits are words already; one character, no pair
    assert spelled(atoms("ＨＹＤＪ")) and not spelled(atoms("pm2")) and not spelled(atoms("婚姻"))


def test_initials_find_a_name_from_any_of_its_characters(catalog: Platform) -> None:  # noqa: F811
    assert _names(catalog, "hydj") == ["婚姻登记信息"]
    assert _names(catalog, "hyd") == ["婚姻登记信息"]  # the draft 婚姻档案草稿 (hydacg) is not listed
    assert _names(catalog, "ＨＹＤＪ") == ["婚姻登记信息"]
    assert _names(catalog, "djxx") == ["婚姻登记信息"]
    assert _names(catalog, "sfz") == ["居民身份证签发信息"]
    assert _names(catalog, "hydj 男方") == ["婚姻登记信息"]  # ANDed with an item word
    assert _names(catalog, "hydj 救助") == []


def test_a_literal_name_hit_ranks_above_initials_above_items(catalog: Platform) -> None:  # noqa: F811
    _file(catalog, "sjj-8", "sjj", "KQZL指数说明", "指数的算法", ["指数"], "主题", "无条件共享", "无条件开放", "每年", "电子文件")  # fmt: skip
    _file(catalog, "sjj-9", "sjj", "环境编号表", "编号", ["KQZL编号"], "主题", "无条件共享", "无条件开放", "每年", "电子表格")  # fmt: skip
    assert _names(catalog, "kqzl") == ["KQZL指数说明", "空气质量监测数据", "环境编号表"]
