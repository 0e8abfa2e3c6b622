"""A catalog entry's field checks, the code/classification parsers, and bulk filing = create_resource."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text
from tests.conftest import Org
from tests.factories import publish_people

from govdata.catalog import ItemIn, Resource, ResourceIn, create_resource, get_resource, to_out
from govdata.catalog.dcat import dcat_catalog
from govdata.catalog.entry import (
    Known,
    check_entry,
    code_built_from,
    entry_problems,
    file_entries,
    parse_classification,
)
from govdata.catalog.excel import import_workbook, template
from govdata.catalog.models import Item, Revision
from govdata.catalog.schemas import MatterRef
from govdata.catalog.search_index import index_tables
from govdata.errors import InvalidInput
from govdata.runtime import Platform
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")


def entry(**over: Any) -> ResourceIn:
    base: dict[str, Any] = {
        "code": "330100/101001/gaj-0001",
        "name": "婚姻登记信息",
        "department": "gaj",
        "summary": "结婚、离婚登记记录",
        "category": "基础",
        "format": "数据库",
        "share_type": "无条件共享",
        "open_type": "不予开放",
        "update_cycle": "每日",
        "classification": "1/01/001",
        "items": [ItemIn(column="djbh", name="登记编号", length=20), ItemIn(column="xm", name="姓名")],
    }
    base.update(over)
    return ResourceIn(**base)


def codes(data: ResourceIn, known: Known | None = None) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in entry_problems(data, known or Known())]


# --- the parsers (property-based) ---------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def classifications(draw: Any) -> tuple[str, ...]:
    levels = [draw(digits)]
    for size in (2, 3):
        if draw(st.booleans()):
            levels.append(draw(st.text(alphabet="0123456789", min_size=size, max_size=size)))
        else:
            return tuple(levels)
    if draw(st.booleans()):
        levels.append(draw(st.text(alphabet="0123456789", min_size=1, max_size=6)))
    return tuple(levels)


@given(classifications())
def test_a_classification_parses_back_from_its_path_and_its_compact_form(levels: tuple[str, ...]) -> None:
    assert parse_classification("/".join(levels)) == levels
    assert parse_classification(" " + "".join(levels) + " ") == levels


@given(st.text(max_size=20))
def test_a_classification_either_parses_into_its_digit_levels_or_is_refused(value: str) -> None:
    try:
        levels = parse_classification(value)
    except InvalidInput as exc:
        assert exc.code == "catalog.bad_classification"
    else:
        assert "".join(levels) == value.strip().replace("/", "")
        assert [len(x) for x in levels[:3]] == [1, 2, 3][: len(levels[:3])]


@given(
    classifications(),
    st.sampled_from(["", "330100/"]),
    st.sampled_from(["gaj-", "GAJ-", ""]),
    st.integers(0, 10**6),
    st.booleans(),
)
def test_a_code_built_from_classification_provider_and_sequence_is_accepted(
    levels: tuple[str, ...], region: str, provider: str, seq: int, path: bool
) -> None:
    cls = "/".join(levels) if path else "".join(levels)
    code = f"{region}{cls}/{provider}{seq:04d}"
    assert code_built_from(code, levels, "gaj")
    assert not code_built_from(f"{region}{cls}/mzj-{seq:04d}", levels, "gaj")  # another provider
    assert not code_built_from(f"{region}9{''.join(levels)}/{seq}", levels, "gaj")  # another class


@pytest.mark.parametrize(
    "bad", ["", "1/1", "1/01/01", "10/01", "1//01", "a/01", "1/01/001/1234567", "1/01/001/01/1"]
)
def test_malformed_classifications_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_classification(bad)
    assert err.value.code == "catalog.bad_classification" and err.value.hint("zh")


# --- the field rules ----------------------------------------------------------------------------------


def test_a_good_entry_breaks_no_rule_and_existing_codes_stay_valid() -> None:
    assert codes(entry()) == []
    for code in ("330100/1010/gaj-0001", "1/01/001/000001", "c-2", "x/2", "mzj-0001"):
        assert codes(entry(code=code, classification=None)) == []
    assert codes(entry(code="1/01/001/000001")) == []  # the portal seed's path form
    assert codes(entry(code="330100/101/gaj-001", classification="1/01")) == []  # the demo's form


RULES = {
    "code shape": (dict(code="330100 /x"), ("code", "catalog.bad_code")),
    "code not built": (dict(code="330100/1010/gaj-0001"), ("code", "catalog.code_not_built")),
    "other provider": (dict(code="330100/101001/mzj-0001"), ("code", "catalog.code_not_built")),
    "classification": (dict(classification="1-01"), ("classification", "catalog.bad_classification")),
    "class vs category": (dict(category="主题"), ("classification", "catalog.classification_category")),
    "blank name": (dict(name="  "), ("name", "catalog.blank")),
    "format": (dict(format="纸质档案"), ("format", "catalog.bad_format")),
    "format type empty": (dict(format="电子文件/"), ("format", "catalog.bad_format")),
    "sharing method": (dict(sharing_method="邮寄"), ("sharing_method", "catalog.bad_value")),
    "file by api": (dict(format="电子文件/pdf", sharing_method="api"), ("sharing_method", "catalog.file_sharing")),
    "condition": (dict(share_type="有条件共享"), ("share_condition", "catalog.no_condition")),
    "basis": (dict(share_type="不予共享"), ("share_basis", "catalog.no_basis")),
    "system": (dict(source_system="系" * 201), ("source_system", "catalog.too_long")),
    "item names": (dict(items=[ItemIn(column="a", name="甲"), ItemIn(column="b", name="甲")]), ("name", "catalog.duplicate_item_name")),
    "columns": (dict(items=[ItemIn(column="A", name="甲"), ItemIn(column="a", name="乙")]), ("column", "catalog.duplicate_column")),
    "column blanks": (dict(items=[ItemIn(column="a b", name="甲")]), ("column", "catalog.bad_column")),
    "data type": (dict(items=[ItemIn(column="a", name="甲", data_type="文本")]), ("data_type", "catalog.bad_value")),
    "length": (dict(items=[ItemIn(column="a", name="甲", length=0)]), ("length", "catalog.bad_length")),
    "masking": (dict(items=[ItemIn(column="a", name="甲", masking="blur")]), ("masking", "catalog.bad_value")),
    "element": (dict(items=[ItemIn(column="a", name="甲", element="DE-X")]), ("element", "catalog.unknown_element")),
    "matter code": (dict(matters=[MatterRef(code="a b", name="甲")]), ("matters", "catalog.bad_matter_code")),
    "matter name": (dict(matters=[MatterRef(code="m1", name="甲；乙")]), ("matters", "catalog.bad_matter_name")),
    "matter twice": (dict(matters=[MatterRef(code="m1", name="甲"), MatterRef(code="m1", name="甲", kind="power")]), ("powers", "catalog.duplicate_matter")),
    "matter kind": (dict(matters=[MatterRef(code="m1", name="甲", kind="other")]), ("matters", "catalog.bad_value")),
    "too many tags": (dict(tags=[f"t{i}" for i in range(21)]), ("tags", "catalog.too_many_tags")),
    "long tag": (dict(tags=["标" * 33]), ("tags", "catalog.tag_too_long")),
    "tag separator": (dict(tags=["低保，救助"]), ("tags", "catalog.bad_tag")),
    "related self": (dict(related=["330100/101001/gaj-0001"]), ("related", "catalog.related_self")),
    "related unknown": (dict(related=["nope-1"]), ("related", "catalog.unknown_related")),
}  # fmt: skip


@pytest.mark.parametrize("case", RULES, ids=list(RULES))
def test_each_rule_names_its_field_with_a_bilingual_message_and_a_hint(case: str) -> None:
    over, expected = RULES[case]
    problems = entry_problems(entry(**over), Known())
    assert [(p.field, p.code) for p in problems] == [expected]
    error = problems[0].error()
    assert error.message("zh") != error.message("en") and error.hint("zh") and error.hint("en")


def test_tags_are_trimmed_and_deduplicated_and_known_lookups_pass() -> None:
    known = Known(codes={"c-9"}, elements={"DE1"}, matter_kinds={"m1": "power"})
    assert codes(entry(tags=[" 低保 ", "低保", ""] * 15, related=["c-9"]), known) == []
    assert codes(entry(items=[ItemIn(column="a", name="甲", element="DE1")]), known) == []
    mismatch = entry(matters=[MatterRef(code="m1", name="甲", kind="service")])
    assert codes(mismatch, known) == [("matters", "catalog.matter_kind_mismatch")]


def test_check_entry_looks_elements_and_related_codes_up(platform: Platform, org: Org) -> None:
    from govdata.govern.models import DataElement

    publish_people(platform)
    with platform.unit() as s:
        s.add(DataElement(identifier="DE00001", name="公民身份号码", data_type="字符", updated_by="t"))
    good = entry(related=["330100/1010/gaj-0001"], items=[ItemIn(column="a", name="甲", element="DE00001")])
    with platform.unit() as s:
        check_entry(s, good)
        with pytest.raises(InvalidInput) as err:
            check_entry(s, entry(items=[ItemIn(column="a", name="甲", element="DE00002")]))
        assert err.value.code == "catalog.unknown_element" and "DE00002" in err.value.message("zh")


# --- bulk filing = create_resource ---------------------------------------------------------------------


def _state(platform: Platform, code: str) -> dict[str, Any]:
    """Everything filing left behind for ``code``, with the code itself blanked."""
    with platform.unit() as s:
        res = get_resource(s, code)
        out = to_out(res).model_dump(exclude={"code"})
        columns = {
            c.key: getattr(res, c.key)
            for c in Resource.__table__.columns
            if c.key not in ("id", "code", "created_at", "updated_at", "published_at")
        }
        items = [
            {c.key: getattr(i, c.key) for c in Item.__table__.columns if c.key not in ("id", "resource_id")}
            for i in s.execute(
                select(Item).where(Item.resource_id == res.id).order_by(Item.position)
            ).scalars()
        ]
        revisions = [
            (r.number, r.status, r.created_by, {**r.payload, "code": None})
            for r in s.execute(select(Revision).where(Revision.resource_id == res.id)).scalars()
        ]
        indexed = [
            s.execute(
                text(f"SELECT count(*) FROM {table} WHERE {id_col} = :id"),  # noqa: S608 - constants
                {"id": res.id},
            ).scalar_one()
            for table, id_col in index_tables(s)
        ]
    return {"out": out, "columns": columns, "items": items, "revisions": revisions, "indexed": indexed}


def test_bulk_filing_leaves_the_same_state_as_create_resource(platform: Platform, org: Org) -> None:
    publish_people(platform)
    full: dict[str, Any] = {
        "sharing_method": "库表",
        "source_system": "婚姻登记系统",
        "matters": [MatterRef(code="m-1", name="结婚登记"), MatterRef(code="p-1", name="处罚", kind="power")],
        "tags": ["婚姻", "登记"],
        "related": ["330100/1010/gaj-0001"],
    }
    one, two = entry(**full), entry(code="330100/101001/gaj-0002", **full)
    with platform.unit() as s:
        create_resource(s, platform.audit, SYSTEM, one)
    with platform.unit() as s:
        file_entries(s, SYSTEM, [two], {"gaj": org.departments["gaj"]})
    filed, bulk = _state(platform, one.code), _state(platform, two.code)
    assert bulk == filed
    assert set(bulk["indexed"]) == {1} and bulk["out"]["tags"] == ["婚姻", "登记"]


# --- search, detail page, DCAT ------------------------------------------------------------------------


def test_a_tag_finds_its_resource_and_the_detail_page_shows_every_entry_field(
    client: TestClient, platform: Platform, org: Org, token: Any
) -> None:
    from govdata.catalog import publish_resource
    from govdata.catalog.search import SearchFilters, search
    from govdata.govern.models import DataElement

    publish_people(platform)
    with platform.unit() as s:
        s.add(DataElement(identifier="DE00009", name="登记编号", data_type="字符", updated_by="t"))
    data = entry(
        sharing_method="接口",
        source_system="婚姻登记系统",
        matters=[MatterRef(code="m-1", name="结婚登记"), MatterRef(code="p-1", name="处罚", kind="power")],
        tags=["鸳鸯谱"],
        related=["330100/1010/gaj-0001"],
        open_type="无条件开放",
        items=[ItemIn(column="djbh", name="登记编号", element="DE00009")],
    )
    with platform.unit() as s:
        create_resource(s, platform.audit, SYSTEM, data)
        publish_resource(s, platform.audit, SYSTEM, data.code)
    reader = Actor(username="mzj_user", role="data_user", department_id=org.departments["mzj"])
    with platform.unit() as s:
        found = search(s, reader, "鸳鸯谱", SearchFilters())
        assert [r.code for r in found.items] == [data.code]
        doc = dcat_catalog(s, "https://data.example.gov.cn")
    [dataset] = [d for d in doc["dcat:dataset"] if d["dct:identifier"] == data.code]
    assert dataset["dcat:keyword"][0] == {"@value": "鸳鸯谱", "@language": "zh"}
    assert dataset["dct:relation"] == [
        {"@id": "https://data.example.gov.cn/catalog/resources/330100/1010/gaj-0001"}
    ]
    assert dataset["dct:subject"]["skos:notation"] == "1/01/001"
    page = client.get(f"/catalog/resources/{data.code}", headers=token("mzj_user")).text
    for shown in (
        "1/01/001",
        "接口",
        "婚姻登记系统",
        "结婚登记",
        "处罚",
        "鸳鸯谱",
        "330100/1010/gaj-0001",
        "DE00009",
    ):
        assert shown in page, shown


def test_an_old_template_is_refused_as_another_version(platform: Platform, org: Org) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template()))
    book["_govdata"]["B1"] = "2025.1"
    out = io.BytesIO()
    book.save(out)
    with platform.unit() as s, pytest.raises(InvalidInput) as err:
        import_workbook(s, platform.audit, SYSTEM, out.getvalue(), "旧模板.xlsx")
    assert err.value.code == "catalog_x.wrong_template" and "2025.1" in err.value.message("zh")
