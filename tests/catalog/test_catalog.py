"""Catalog: filing rules, publishing, search and facets through the API."""

from __future__ import annotations

import pytest
from tests.factories import PEOPLE_ITEMS, publish_people

from govdata.catalog import ItemIn, ResourceIn, create_resource
from govdata.errors import Conflict, InvalidInput, PermissionDenied
from govdata.security.actor import Actor


def _resource(**over: object) -> ResourceIn:
    base = dict(
        code="330100/1010/gaj-0009",
        name="户籍迁移信息",
        department="gaj",
        summary="户籍迁入迁出登记",
        category="基础",
        format="数据库",
        share_type="有条件共享",
        share_condition="仅限法定职责",
        open_type="不予开放",
        update_cycle="每日",
        items=PEOPLE_ITEMS,
    )
    base.update(over)
    return ResourceIn(**base)  # type: ignore[arg-type]


def test_vocabulary_accepts_labels_and_values_and_names_the_allowed_ones(platform, org):
    with platform.unit() as s:
        res = create_resource(s, platform.audit, Actor.system(), _resource(update_cycle="monthly"))
        assert res.update_cycle == "monthly" and res.share_type == "conditional"
    with platform.unit() as s, pytest.raises(InvalidInput) as err:
        create_resource(s, platform.audit, Actor.system(), _resource(code="x/2", update_cycle="每两天"))
    assert "每日" in err.value.message("zh") and "每两天" in err.value.message("zh")


def test_conditional_sharing_needs_a_condition_and_not_shared_needs_a_basis(platform, org):
    with platform.unit() as s, pytest.raises(InvalidInput):
        create_resource(s, platform.audit, Actor.system(), _resource(share_condition=None))
    with platform.unit() as s, pytest.raises(InvalidInput):
        create_resource(s, platform.audit, Actor.system(), _resource(share_type="不予共享"))


def test_duplicate_code_is_refused(platform, org):
    with platform.unit() as s:
        create_resource(s, platform.audit, Actor.system(), _resource())
    with platform.unit() as s, pytest.raises(Conflict):
        create_resource(s, platform.audit, Actor.system(), _resource())


def test_officer_files_only_for_own_department(platform, org):
    officer = Actor(username="mzj_officer", role="data_officer", department_id=org.departments["mzj"])
    with platform.unit() as s, pytest.raises(PermissionDenied):
        create_resource(s, platform.audit, officer, _resource())


def test_search_by_item_name_and_facets(client, platform, org, token):
    publish_people(platform)
    headers = token("mzj_user")
    hits = client.get("/api/v1/catalog/resources", params={"q": "身份号码"}, headers=headers).json()
    assert hits["total"] == 1 and hits["items"][0]["share_type_label"] == "有条件共享"
    assert client.get("/api/v1/catalog/resources", params={"q": "婚姻"}, headers=headers).json()["total"] == 0
    facet = client.get("/api/v1/catalog/resources", params={"department": "mzj"}, headers=headers).json()
    assert facet["total"] == 0
    one = client.get("/api/v1/catalog/resources/330100/1010/gaj-0001", headers=headers).json()
    assert [i["column"] for i in one["items"]] == [i.column for i in PEOPLE_ITEMS]
    assert client.get("/api/v1/catalog/resources/nope", headers=headers).status_code == 404


def test_draft_is_not_listed(client, platform, org, token):
    with platform.unit() as s:
        create_resource(s, platform.audit, Actor.system(), _resource(items=[ItemIn(column="a", name="甲")]))
    assert client.get("/api/v1/catalog/resources", headers=token("mzj_user")).json()["total"] == 0
