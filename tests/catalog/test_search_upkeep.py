"""Catalog search index upkeep: a phrase needs its bigrams adjacent, and an index kept by small writes
answers like one built afresh — on PostgreSQL its inverted lists hold the same ids and places.

Runs on SQLite and, with ``GOVDATA_TEST_DATABASE_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import delete, text
from tests.catalog.test_search import _everything, _file, _names, catalog  # noqa: F401 - a fixture

from govdata.catalog import Item, Resource, get_resource, publish_resource
from govdata.catalog.search_index import index_resource, is_postgres, rebuild_index
from govdata.catalog.search_postings import POSTINGS_TABLE
from govdata.runtime import Platform
from govdata.security.actor import Actor

__all__ = ["catalog"]


def test_a_phrase_needs_its_bigrams_adjacent(catalog: Platform) -> None:  # noqa: F811
    # 空气, 气质 and 质量 all in one summary, but apart: not 空气质量
    _file(catalog, "sjj-7", "sjj", "环境指标说明", "空气、气质与质量的说明", ["质量等级"],
          "主题", "无条件共享", "无条件开放", "每年", "电子文件")  # fmt: skip
    assert _names(catalog, "空气质量") == ["空气质量监测数据"]
    assert _names(catalog, "气质") == ["空气质量监测数据", "环境指标说明"]  # a name hit, then a summary hit
    assert _names(catalog, "与质量") == ["环境指标说明"]
    assert _names(catalog, "质量等") == ["环境指标说明"]  # an item
    assert _names(catalog, "量的说") == ["环境指标说明"]
    assert _names(catalog, "气质量") == ["空气质量监测数据"]  # 气质 and 质量 apart again
    assert _names(catalog, "空气质") == ["空气质量监测数据"]  # 空气 and 气质 in two runs


def _lists(platform: Platform) -> object:
    """The inverted lists (PostgreSQL) as sets, leaving out lists a write emptied; ``None`` on SQLite."""
    with platform.unit() as s:
        if not is_postgres(s):
            return None
        rows = s.execute(text(f"SELECT token, field, ids, places FROM {POSTINGS_TABLE}"))  # noqa: S608
        return {(t, f): (sorted(set(i)), sorted(set(p))) for t, f, i, p in rows if i}


def test_small_writes_leave_the_index_as_a_rebuild_would(catalog: Platform) -> None:  # noqa: F811
    system = Actor.system("test")
    with catalog.unit() as s:
        air = get_resource(s, "330100/sjj-1")
        air.name = "空气质量小时数据"  # 监测 leaves the name, 小时 comes in
        index_resource(s, air)
        card = get_resource(s, "330100/gaj-2")
        card.items[0].name = "居民身份证号码"  # 身份证号 twice in one field now
        card.items.append(Item(position=9, column="c9", name="签发日期", data_type="字符"))
        card.tags = ["证照", "身份证"]
        index_resource(s, card)
        index_resource(s, get_resource(s, "330100/gaj-1"))  # unchanged: nothing to change
        publish_resource(s, catalog.audit, system, "330100/mzj-9")
    with catalog.unit() as s:
        rid = get_resource(s, "330100/mzj-1").id
        s.expunge_all()
        s.execute(delete(Item).where(Item.resource_id == rid))
        s.execute(delete(Resource).where(Resource.id == rid))
    assert _names(catalog, "小时")[0] == "空气质量小时数据"
    assert "居民身份证签发信息" in _names(catalog, "证号码")
    kept = (_everything(catalog), _lists(catalog))
    with catalog.unit() as s:
        assert rebuild_index(s) == 6
    assert (_everything(catalog), _lists(catalog)) == kept
