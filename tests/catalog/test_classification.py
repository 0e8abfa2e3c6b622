"""Browsing by the classification tree (类/项/目/细目): counts, named nodes, a node's resources, API, page."""

from __future__ import annotations

import pytest

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.classification import classification_tree, resources_under
from govdata.errors import InvalidInput, PermissionDenied
from govdata.security.actor import Actor

SYSTEM = Actor.system("test")


def _file(
    platform, seq: str, classification: str | None, *, category: str = "基础", publish: bool = True
) -> None:
    code = f"330100/{classification.replace('/', '')}/gaj-{seq}" if classification else f"gaj-{seq}"
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            SYSTEM,
            ResourceIn(
                code=code, name=f"资源{seq}", department="gaj", summary="分类测试", category=category,
                format="数据库", share_type="无条件共享", open_type="不予开放", update_cycle="每日",
                classification=classification, items=[ItemIn(column="a", name="甲")],
            ),
        )  # fmt: skip
        if publish:
            publish_resource(s, platform.audit, SYSTEM, code)


@pytest.fixture
def classified(platform, org):
    _file(platform, "001", "1/01")
    _file(platform, "002", "1/01/001")
    _file(platform, "003", "1/02/003/12")
    _file(platform, "004", "2/03", category="主题")
    _file(platform, "005", "1/01/002", publish=False)  # a draft is not counted
    _file(platform, "006", None)
    return platform


def test_the_tree_counts_published_resources_per_subtree(classified) -> None:
    with classified.sessions() as s:
        roots, unclassified = classification_tree(s, SYSTEM)
    assert unclassified == 1
    by = {n.path: n for n in roots}
    assert [n.name for n in roots] == ["基础", "主题", "部门"]
    assert (by["1"].count, by["2"].count, by["3"].count) == (3, 1, 0)
    base = {n.path: n for n in by["1"].children}
    assert base["1/01"].name == "人口" and base["1/01"].count == 2
    assert [c.path for c in base["1/01"].children] == ["1/01/001"]  # the draft's 1/01/002 is not shown
    assert base["1/02"].children[0].children[0].path == "1/02/003/12"
    assert base["1/05"].name == "电子证照" and base["1/05"].count == 0  # named even when empty
    with classified.sessions() as s:
        roots_en, _ = classification_tree(s, SYSTEM, "en")
    assert roots_en[0].children[0].name == "Population"


def test_a_node_lists_its_subtree_and_a_bad_path_is_refused(classified) -> None:
    with classified.sessions() as s:
        rows, total = resources_under(s, SYSTEM, "1/01")
        assert total == 2 and [r.code for r in rows] == ["330100/101/gaj-001", "330100/101001/gaj-002"]
        assert resources_under(s, SYSTEM, "101")[1] == 2  # compact form
        assert resources_under(s, SYSTEM, "1")[1] == 3
        for bad in ("x/01", "1/0", "1/01/1"):
            with pytest.raises(InvalidInput):
                resources_under(s, SYSTEM, bad)
        with pytest.raises(PermissionDenied):
            classification_tree(s, Actor.anonymous())


def test_api_and_page(classified, client, org, token) -> None:
    headers = token("mzj_user")
    assert client.get("/api/v1/catalog/classification").status_code == 401
    tree = client.get("/api/v1/catalog/classification", headers=headers).json()
    assert tree["unclassified"] == 1 and tree["tree"][0]["count"] == 3
    under = client.get("/api/v1/catalog/classification/resources?path=1/01", headers=headers).json()
    assert under["total"] == 2 and under["items"][0]["classification"] == "1/01"
    bad = client.get("/api/v1/catalog/classification/resources?path=abc", headers=headers)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "catalog.bad_classification"
    client.post("/login", data={"username": "mzj_user", "password": org.password})
    page = client.get("/catalog/classification?path=1/01")
    assert page.status_code == 200
    assert 'data-path="1/01" data-count="2"' in page.text and "资源002" in page.text
