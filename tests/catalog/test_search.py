"""Catalog search: Chinese relevance, multi-word AND, ranking, facets, paging, index upkeep, API and page.

Runs on SQLite and, with ``GOVDATA_TEST_DATABASE_URL`` set, on PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import delete, select, text

from govdata.catalog import (
    Item,
    ItemIn,
    Resource,
    ResourceIn,
    create_resource,
    get_resource,
    publish_resource,
)
from govdata.catalog.search import SearchFilters, search
from govdata.catalog.search_index import (
    FACTS_TABLE,
    INDEX_TABLE,
    INDEX_VERSION,
    META_TABLE,
    index_resource,
    index_tables,
    index_version,
    is_postgres,
    rebuild_index,
)
from govdata.catalog.search_postings import POSTINGS_TABLE
from govdata.catalog.search_text import atoms, tokens
from govdata.errors import InvalidInput, PermissionDenied
from govdata.runtime import Platform
from govdata.security.actor import Actor

# code, dept, name, summary, items, category, share, open, cycle, format
CATALOG = [
    ("mzj-1", "mzj", "婚姻登记信息", "民政部门办理的结婚、离婚登记记录",
     ["男方姓名", "女方姓名", "男方身份证号", "登记日期"], "基础", "有条件共享", "不予开放", "每日", "数据库"),
    ("gaj-1", "gaj", "户籍人口基本信息", "示例市户籍人口的基本信息",
     ["姓名", "公民身份号码", "户籍地址"], "基础", "有条件共享", "不予开放", "每日", "数据库"),
    ("gaj-2", "gaj", "居民身份证签发信息", "居民身份证的签发与换领记录",
     ["身份证号", "签发机关", "有效期限"], "基础", "有条件共享", "不予开放", "每日", "数据库"),
    ("sjj-1", "sjj", "空气质量监测数据", "全市空气质量自动监测站的小时数据",
     ["监测站点", "PM2.5浓度", "空气质量指数"], "主题", "无条件共享", "无条件开放", "实时", "电子表格"),
    ("mzj-2", "mzj", "低保救助对象信息", "城乡最低生活保障对象名册",
     ["姓名", "身份证号码", "婚姻状况", "救助金额"], "主题", "有条件共享", "不予开放", "每月", "数据库"),
    ("mzj-3", "mzj", "殡葬服务信息", "火化记录，含逝者婚姻状况",
     ["逝者姓名", "火化日期"], "部门", "无条件共享", "不予开放", "每季度", "电子表格"),
]  # fmt: skip


def _file(platform: Platform, code: str, dept: str, name: str, summary: str, items: list[str],
          category: str, share: str, open_type: str, cycle: str, fmt: str, publish: bool = True) -> None:  # fmt: skip
    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=f"330100/{code}",
                name=name,
                department=dept,
                summary=summary,
                category=category,
                format=fmt,
                share_type=share,
                share_condition="仅限履行法定职责" if share == "有条件共享" else None,
                open_type=open_type,
                update_cycle=cycle,
                items=[ItemIn(column=f"c{i}", name=n) for i, n in enumerate(items)],
            ),
        )
        if publish:
            publish_resource(s, platform.audit, system, f"330100/{code}")


@pytest.fixture
def catalog(platform: Platform, org: object) -> Platform:
    for row in CATALOG:
        _file(platform, *row)
    _file(platform, "mzj-9", "mzj", "婚姻档案草稿", "未发布", ["档案号"], "部门", "无条件共享", "不予开放", "每年", "数据库",
          publish=False)  # fmt: skip
    return platform


def _names(platform: Platform, q: str, **kw: object) -> list[str]:
    user = Actor(username="reader", role="data_user", department_id=None)
    with platform.unit() as s:
        return [r.name for r in search(s, user, q, **kw).items]  # type: ignore[arg-type]


def _reader() -> Actor:
    return Actor(username="reader", role="data_user", department_id=None)


def test_tokens_are_bigrams_then_the_last_character_and_whole_words() -> None:
    assert tokens("婚姻登记") == ["婚姻", "姻登", "登记", "记"]
    assert tokens("PM2.5浓度，户") == ["pm2", "5", "浓度", "度", "户"]
    assert [a.tokens for a in atoms("婚姻登记")] == [("婚姻", "姻登", "登记")]
    assert [(a.tokens, a.prefix) for a in atoms("婚")] == [(("婚",), True)]
    assert [(a.tokens, a.prefix) for a in atoms("ＰＭ")] == [(("pm",), True)]  # full-width → half-width


def test_two_character_query_ranks_name_over_item_over_summary(catalog: Platform) -> None:
    # 婚姻 is in one name, one item (婚姻状况) and one summary; the draft is never listed
    assert _names(catalog, "婚姻") == ["婚姻登记信息", "低保救助对象信息", "殡葬服务信息"]


def test_huji_finds_household_registration_first(catalog: Platform) -> None:
    assert _names(catalog, "户籍") == ["户籍人口基本信息"]


def test_id_card_name_hit_before_item_hits(catalog: Platform) -> None:
    names = _names(catalog, "身份证")
    assert names[0] == "居民身份证签发信息"
    assert set(names) == {"居民身份证签发信息", "婚姻登记信息", "低保救助对象信息"}  # not 公民身份号码


def test_longer_query_is_an_exact_substring(catalog: Platform) -> None:
    assert _names(catalog, "空气质量") == ["空气质量监测数据"]
    assert _names(catalog, "空气质检") == []  # every bigram exists nowhere in this order
    assert _names(catalog, "量监测站") == []
    assert _names(catalog, "自动监测站") == ["空气质量监测数据"]  # summary hit


def test_single_character_matches_anywhere_in_a_run_including_its_end(catalog: Platform) -> None:
    assert "空气质量监测数据" in _names(catalog, "据")  # 据 only ends runs
    assert set(_names(catalog, "婚")) == {"婚姻登记信息", "低保救助对象信息", "殡葬服务信息"}


def test_several_words_are_anded(catalog: Platform) -> None:
    assert _names(catalog, "婚姻 救助") == ["低保救助对象信息"]
    assert _names(catalog, "身份证　签发") == ["居民身份证签发信息"]  # full-width space
    assert _names(catalog, "婚姻 空气") == []


def test_latin_and_full_width_text_match(catalog: Platform) -> None:
    assert _names(catalog, "ｐｍ２．５") == ["空气质量监测数据"]
    assert _names(catalog, "pm") == ["空气质量监测数据"]  # prefix of a word
    assert _names(catalog, "sjj") == ["空气质量监测数据"]  # the resource code is indexed


def test_facet_counts_cover_the_filtered_set(catalog: Platform) -> None:
    with catalog.unit() as s:
        found = search(s, _reader(), "婚姻", limit=1)
    assert found.total == 3 and len(found.items) == 1
    counts = {f: {c.value: c.count for c in cs} for f, cs in found.facets.items()}
    assert counts["department"] == {"mzj": 3}
    assert counts["share_type"] == {"conditional": 2, "unconditional": 1}
    assert counts["category"] == {"base": 1, "topic": 1, "department": 1}
    assert counts["update_cycle"] == {"daily": 1, "monthly": 1, "quarterly": 1}
    assert counts["format"] == {"数据库": 2, "电子表格": 1}
    labels = {c.value: c.label for c in found.facets["share_type"]}
    assert labels["conditional"] == "有条件共享"
    assert found.facets["department"][0].label == "示例市民政局"
    with catalog.unit() as s:
        everything = search(s, _reader(), None, with_items=False)
    assert everything.total == 6 and everything.items == []
    assert {c.value: c.count for c in everything.facets["department"]} == {"mzj": 3, "gaj": 2, "sjj": 1}


def test_filters_take_values_or_labels_and_refuse_others(catalog: Platform) -> None:
    assert _names(catalog, "身份证", filters=SearchFilters(department="gaj")) == ["居民身份证签发信息"]
    assert _names(catalog, "", filters=SearchFilters(open_type="无条件开放")) == ["空气质量监测数据"]
    assert _names(catalog, "婚姻", filters=SearchFilters(update_cycle="monthly", format="数据库")) == [
        "低保救助对象信息"
    ]
    with catalog.unit() as s, pytest.raises(InvalidInput):
        search(s, _reader(), "婚姻", SearchFilters(share_type="随便共享"))


def test_paging_keeps_the_order_and_the_total(catalog: Platform) -> None:
    pages = []
    for offset in range(4):
        with catalog.unit() as s:
            found = search(s, _reader(), "婚姻", limit=1, offset=offset)
        assert found.total == 3
        pages.extend(r.name for r in found.items)
    assert pages == ["婚姻登记信息", "低保救助对象信息", "殡葬服务信息"]


def test_query_limits_and_permission(catalog: Platform) -> None:
    with catalog.unit() as s, pytest.raises(InvalidInput) as err:
        search(s, _reader(), "婚" * 101)
    assert err.value.code == "catalog.search.query_too_long"
    with catalog.unit() as s, pytest.raises(InvalidInput):
        search(s, _reader(), " ".join("婚姻" for _ in range(9)))
    assert _names(catalog, "，。！") == _names(catalog, "")  # no searchable text: every resource
    with catalog.unit() as s, pytest.raises(PermissionDenied):
        search(s, Actor(username="auditor", role="auditor", department_id=None), "婚姻")


def test_index_follows_changes_and_deletions(catalog: Platform) -> None:
    with catalog.unit() as s:
        res = get_resource(s, "330100/sjj-1")
        res.name = "环境监测小时数据"
        index_resource(s, res)
    assert _names(catalog, "空气质量") == ["环境监测小时数据"]  # a summary hit now
    assert _names(catalog, "环境") == ["环境监测小时数据"]
    with catalog.unit() as s:
        rid = get_resource(s, "330100/sjj-1").id
        s.expunge_all()
        s.execute(delete(Item).where(Item.resource_id == rid))
        s.execute(delete(Resource).where(Resource.id == rid))
    with catalog.unit() as s:
        for table, _ in index_tables(s):
            indexed = s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            assert indexed == len(s.execute(select(Resource.id)).all())
    assert _names(catalog, "环境") == []


def test_rebuild_and_back_fill(catalog: Platform) -> None:
    with catalog.unit() as s:
        assert rebuild_index(s) == 7
        newest = s.execute(select(Resource.id).order_by(Resource.id.desc())).scalars().first()
        for table, col in (*index_tables(s), (FACTS_TABLE, "resource_id")):
            s.execute(text(f"DELETE FROM {table} WHERE {col} = :id"), {"id": newest})  # noqa: S608
    assert _names(catalog, "户籍") == ["户籍人口基本信息"]  # the lost newest row is back-filled
    with catalog.unit() as s:
        assert s.execute(text(f"SELECT count(*) FROM {FACTS_TABLE}")).scalar_one() == 7  # noqa: S608


def _everything(platform: Platform) -> dict[str, object]:
    """What a few searches answer, to compare before and after a rebuild."""
    out: dict[str, object] = {}
    with platform.unit() as s:
        for q in ("婚姻", "身份证", "婚", "pm", "姓名 身份证", ""):
            found = search(s, _reader(), q)
            out[q] = (found.total, [r.code for r in found.items], found.model_dump()["facets"])
    return out


def test_an_index_of_another_version_is_rebuilt_with_identical_results(catalog: Platform) -> None:
    before = _everything(catalog)
    with catalog.unit() as s:
        assert index_version(s) == INDEX_VERSION
        s.execute(text(f"UPDATE {META_TABLE} SET value = '1' WHERE key = 'version'"))  # noqa: S608 - an old index
        for table, _ in index_tables(s):
            s.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - whose rows would not do
    with catalog.unit() as s:
        assert index_version(s) == 1
    assert _everything(catalog) == before  # the first search rebuilt it
    with catalog.unit() as s:
        assert index_version(s) == INDEX_VERSION


def test_an_index_from_before_versioning_or_half_gone_is_rebuilt(catalog: Platform) -> None:
    before = _everything(catalog)
    with catalog.unit() as s:
        s.execute(text(f"DROP TABLE {META_TABLE}"))  # the first index was one table, no meta row
        s.execute(text(f"DROP TABLE {FACTS_TABLE}"))
        if is_postgres(s):  # … of all four fields, before they had a table each
            for table in (*(t for t, _ in index_tables(s)), POSTINGS_TABLE):
                s.execute(text(f"DROP TABLE {table}"))
            s.execute(text(f"CREATE TABLE {INDEX_TABLE} (resource_id integer PRIMARY KEY, name tsvector)"))
        assert index_version(s) == 1
    assert _everything(catalog) == before
    with catalog.unit() as s:
        s.execute(text(f"DROP TABLE {FACTS_TABLE}"))
        assert index_version(s) is None
    assert _everything(catalog) == before


def test_reindex_by_hand_keeps_results(catalog: Platform) -> None:
    before = _everything(catalog)
    with catalog.unit() as s:
        assert rebuild_index(s) == 7
    assert _everything(catalog) == before


def test_api_lists_with_facets_and_serves_facets_alone(client, catalog, token) -> None:  # type: ignore[no-untyped-def]
    headers = token("mzj_user")
    page = client.get("/api/v1/catalog/resources", params={"q": "婚姻", "limit": 2}, headers=headers).json()
    assert page["total"] == 3 and [r["name"] for r in page["items"]] == ["婚姻登记信息", "低保救助对象信息"]
    assert {c["value"]: c["count"] for c in page["facets"]["share_type"]} == {
        "conditional": 2,
        "unconditional": 1,
    }
    only = client.get(
        "/api/v1/catalog/facets", params={"q": "身份证", "department": "gaj"}, headers=headers
    ).json()
    assert only["total"] == 1 and only["facets"]["department"] == [
        {"value": "gaj", "label": "示例市公安局", "count": 1}
    ]
    bad = client.get("/api/v1/catalog/resources", params={"q": "婚" * 101}, headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "catalog.search.query_too_long"
    assert client.get("/api/v1/catalog/facets", headers=token("auditor")).status_code == 403


def test_portal_search_shows_facet_counts(client, catalog, token) -> None:  # type: ignore[no-untyped-def]
    headers = token("mzj_user")
    part = BeautifulSoup(
        client.get("/catalog/search", params={"q": "婚姻"}, headers=headers).text, "html.parser"
    )
    assert part.select_one("#results-total")["data-total"] == "3"  # type: ignore[index]
    chip = part.select_one('#facet-counts [data-facet="share_type"][data-value="conditional"]')
    assert chip is not None and chip["data-count"] == "2" and "share_type=conditional" in chip["href"]
    page = BeautifulSoup(
        client.get("/catalog", params={"q": "婚姻", "format": "电子表格"}, headers=headers).text,
        "html.parser",
    )
    assert page.select_one("#results-total")["data-total"] == "1"  # type: ignore[index]
    assert [a.text for a in page.select(".result-link")] == ["殡葬服务信息"]


def test_several_words_rank_by_their_summed_places(catalog: Platform) -> None:
    # 身份证 in 居民身份证签发信息's name (100) + 签发 in its item (10); the others hold 身份证 in an item only
    # and 姓名 in an item (10 + 10): the name hit still comes first
    assert _names(catalog, "身份证 信息")[0] == "居民身份证签发信息"
    assert _names(catalog, "姓名 身份证") == [
        "婚姻登记信息",
        "低保救助对象信息",
    ]  # items only, then shorter name


def test_code_and_tag_hits_are_found_but_ranked_last(catalog: Platform) -> None:
    with catalog.unit() as s:
        res = get_resource(s, "330100/mzj-3")
        res.tags = ["婚姻"]  # 殡葬服务信息 already holds 婚姻 in its summary
        index_resource(s, res)
        res = get_resource(s, "330100/gaj-1")
        res.tags = ["婚姻"]  # 户籍人口基本信息: a tag hit only
        index_resource(s, res)
    assert _names(catalog, "婚姻") == ["婚姻登记信息", "低保救助对象信息", "殡葬服务信息", "户籍人口基本信息"]
    assert _names(catalog, "mzj-2") == ["低保救助对象信息"]


def test_a_word_must_sit_in_one_field(catalog: Platform) -> None:
    # 空气 is in the name, 站点 in an item: each word anywhere, but one word is not split across fields
    assert _names(catalog, "空气 站点") == ["空气质量监测数据"]
    assert _names(catalog, "ｐｍ２．５") == ["空气质量监测数据"]  # pm2 and 5: both in the same item


def test_counts_follow_publishing_and_deletion(catalog: Platform) -> None:
    def total(q: str) -> tuple[int, dict[str, int]]:
        with catalog.unit() as s:
            found = search(s, _reader(), q, with_items=False)
        return found.total, {c.value: c.count for c in found.facets["department"]}

    assert total("婚姻") == (3, {"mzj": 3})
    with catalog.unit() as s:
        publish_resource(s, catalog.audit, Actor.system("test"), "330100/mzj-9")
    assert total("婚姻") == (4, {"mzj": 4})  # the draft 婚姻档案草稿, now published
    assert _names(catalog, "婚姻")[:2] == ["婚姻登记信息", "婚姻档案草稿"]
    with catalog.unit() as s:
        rid = get_resource(s, "330100/mzj-1").id
        s.expunge_all()
        s.execute(delete(Item).where(Item.resource_id == rid))
        s.execute(delete(Resource).where(Resource.id == rid))
    assert total("婚姻") == (3, {"mzj": 3})
    assert total("")[0] == 6


def test_paging_past_the_hits_and_empty_catalog(platform: Platform, org: object) -> None:
    with platform.unit() as s:
        empty = search(s, _reader(), "婚姻")
        everything = search(s, _reader(), None)
    assert (empty.total, empty.items, everything.total) == (0, [], 0)
    assert all(v == [] for v in empty.facets.values())


def test_reindex_command_rebuilds_and_is_audited(catalog: Platform) -> None:
    from tests.conftest import SECRET
    from typer.testing import CliRunner

    from govdata.cli.main import app as cli

    before = _everything(catalog)
    env = {"GOVDATA_DATABASE_URL": catalog.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    result = CliRunner().invoke(
        cli, ["catalog", "reindex", "--home", str(catalog.settings.home), "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert (out["resources"], out["version"]) == (7, INDEX_VERSION)
    assert _everything(catalog) == before
    with catalog.unit() as s:
        assert (
            s.execute(
                text("SELECT count(*) FROM audit_records WHERE action = 'catalog.search_reindexed'")
            ).scalar_one()
            == 1
        )
