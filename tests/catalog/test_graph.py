"""The resource graph and possible duplicate collection (避免重复采集)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, select
from tests.conftest import Org

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.graph import duplicates, resource_graph
from govdata.catalog.models import Item, Resource
from govdata.errors import NotFound, PermissionDenied
from govdata.govern.models import DataElement
from govdata.runtime import Platform
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")
ELEMENTS = {"ID": "公民身份号码", "NAME": "姓名", "GENDER": "性别", "PHONE": "联系电话", "USCC": "统一社会信用代码",
            "ADDR": "地址", "BIRTH": "出生日期"}  # fmt: skip


def entry(code: str, dept: str, elements: list[str], **extra: object) -> ResourceIn:
    items = [ItemIn(column=f"c{i}", name=f"列{i}", element=e) for i, e in enumerate(elements)]
    items.append(ItemIn(column="bz", name="备注"))  # an unbound item
    return ResourceIn(
        code=code, name=f"资源{code}", department=dept, summary="s", category="department", format="数据库",
        share_type="unconditional", open_type="closed", update_cycle="daily", items=items, **extra,
    )  # fmt: skip


def seed(platform: Platform) -> None:
    with platform.unit() as s:
        for identifier, name in ELEMENTS.items():
            s.add(DataElement(identifier=identifier, name=name, data_type="字符", updated_by="t"))
        for data in [
            entry(
                "gaj-1",
                "gaj",
                ["ID", "NAME", "GENDER", "PHONE"],
                source_system="人口管理系统",
                matters=[{"code": "M1", "name": "户口迁移"}],
            ),
            entry(
                "mzj-1",
                "mzj",
                ["ID", "NAME", "ID"],
                related=["gaj-1"],
                matters=[{"code": "M2", "name": "婚姻登记"}],
            ),  # duplicate of gaj-1: 2 of its 2
            entry("sjj-1", "sjj", ["ID", "USCC"]),  # shares only the ID number: a join key, no flag
            entry("gaj-2", "gaj", ["ID", "NAME", "GENDER"]),  # same department as gaj-1: no flag
            entry("sjj-2", "sjj", ["ID", "NAME", "USCC", "ADDR", "BIRTH"]),  # 2 shared, < half of 5 … vs mzj
            entry("mzj-draft", "mzj", ["ID", "NAME", "GENDER", "PHONE"]),  # never published: not in the graph
        ]:
            create_resource(s, platform.audit, SYSTEM, data)
            if data.code != "mzj-draft":
                publish_resource(s, platform.audit, SYSTEM, data.code)


def pairs(found: list) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {(d.a, d.b) for d in found}


def test_duplicates_need_two_shared_elements_across_departments(platform: Platform, org: Org) -> None:
    seed(platform)
    with platform.sessions() as s:
        found = duplicates(s, SYSTEM)
    by_pair = {(d.a, d.b): d for d in found}
    assert ("gaj-1", "mzj-1") in by_pair
    assert by_pair[("gaj-1", "mzj-1")].shared == ["ID", "NAME"]
    assert by_pair[("gaj-1", "mzj-1")].shared_names == ["公民身份号码", "姓名"]
    assert ("gaj-1", "sjj-1") not in by_pair  # one shared element
    assert ("gaj-1", "gaj-2") not in by_pair  # same department
    assert not any("mzj-draft" in p for p in by_pair)  # drafts are not collected yet
    # sjj-2 shares ID+NAME with mzj-1: 2 of mzj-1's 2 → flagged; with gaj-2: 2 of 3 → flagged
    assert ("mzj-1", "sjj-2") in by_pair and ("gaj-2", "sjj-2") in by_pair
    assert ("sjj-1", "sjj-2") not in by_pair
    with platform.sessions() as s:
        assert pairs(duplicates(s, SYSTEM, resource="sjj-1")) == set()
        assert pairs(duplicates(s, SYSTEM, department="mzj")) == {
            ("gaj-1", "mzj-1"),
            ("gaj-2", "mzj-1"),
            ("mzj-1", "sjj-2"),
        }


def test_graph_links_departments_systems_resources_and_matters(platform: Platform, org: Org) -> None:
    seed(platform)
    with platform.sessions() as s:
        graph = resource_graph(s, SYSTEM)
    nodes = {n.id: n for n in graph.nodes}
    assert {n.type for n in graph.nodes} == {"department", "system", "resource", "matter"}
    assert nodes["resource:gaj-1"].href == "/catalog/resources/gaj-1"
    assert nodes["department:gaj"].label == "示例市公安局"
    assert "resource:mzj-draft" not in nodes
    edges = {(e.source, e.target, e.kind) for e in graph.edges}
    assert ("department:gaj", "resource:gaj-1", "provides") in edges
    system = next(n.id for n in graph.nodes if n.type == "system")
    assert ("resource:gaj-1", system, "from_system") in edges
    assert ("resource:gaj-1", "matter:M1", "serves") in edges
    assert ("resource:mzj-1", "resource:gaj-1", "related") in edges
    assert ("resource:gaj-1", "resource:mzj-1", "possible_duplicate") in edges
    assert all(e.source in nodes and e.target in nodes for e in graph.edges)


def test_graph_filters_by_department_and_focus(platform: Platform, org: Org) -> None:
    seed(platform)
    with platform.sessions() as s:
        focus = resource_graph(s, SYSTEM, resource="sjj-1")
        dept = resource_graph(s, SYSTEM, department="gaj")
        with pytest.raises(NotFound):
            resource_graph(s, SYSTEM, resource="nope")
    assert {n.id for n in focus.nodes if n.type == "resource"} == {"resource:sjj-1"}
    shown = {n.id for n in dept.nodes if n.type == "resource"}
    # 公安's resources plus their neighbours (related / duplicates) of other departments
    assert shown == {"resource:gaj-1", "resource:gaj-2", "resource:mzj-1", "resource:sjj-2"}
    assert all("gaj" in (d.a_department, d.b_department) for d in dept.duplicates)


def test_reading_the_graph_needs_catalog_read(platform: Platform, org: Org) -> None:
    with platform.sessions() as s, pytest.raises(PermissionDenied):
        resource_graph(s, Actor(username="auditor", role="auditor"))


def test_duplicates_over_thousands_of_resources_take_a_few_queries(platform: Platform, org: Org) -> None:
    with platform.unit() as s:
        for identifier, name in ELEMENTS.items():
            s.add(DataElement(identifier=identifier, name=name, data_type="字符", updated_by="t"))
        depts = list(org.departments.values())
        names = list(ELEMENTS)
        for i in range(3000):
            res = Resource(
                code=f"bulk-{i:05d}", name=f"r{i}", department_id=depts[i % 3], summary="s", category="department",
                format="数据库", share_type="unconditional", open_type="closed", update_cycle="daily",
                status="published", version=1,
            )  # fmt: skip
            # every 10th resource binds ID+NAME (a flagged block); the others one rotating element
            bound = ["ID", "NAME"] if i % 10 == 0 else [names[i % len(names)]]
            res.items = [Item(position=p, column=f"c{p}", name="x", data_type="字符", element=e)
                         for p, e in enumerate(bound)]  # fmt: skip
            s.add(res)
    statements: list[str] = []
    with platform.sessions() as s:
        engine = s.get_bind()
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        try:
            found = duplicates(s, SYSTEM)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        elapsed = time.perf_counter() - started
        total = s.execute(select(Resource.id)).all()
    assert len(total) == 3000
    blocks = [i for i in range(0, 3000, 10)]  # 300 resources binding ID+NAME, 100 per department
    expected = sum(1 for a in blocks for b in blocks if a < b and a % 3 != b % 3)
    assert len(found) == expected
    assert len(statements) <= 5, statements
    print(f"duplicates over 3000 resources: {len(found)} pairs, {len(statements)} queries, {elapsed:.2f}s")
