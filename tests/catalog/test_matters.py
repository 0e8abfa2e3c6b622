"""Matter lists (事项清单) and matter coverage (事项覆盖率): registration, checks, coverage, API."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.catalog.matters import MatterListIn, list_matters, register_matters
from govdata.catalog.models import Matter
from govdata.catalog.schemas import MatterRef
from govdata.catalog.stats import catalog_stats
from govdata.errors import InvalidInput, PermissionDenied
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

SYSTEM = Actor.system("test")
GAJ_MATTERS = [
    MatterRef(code="330100-GA-001", name="户口迁移登记"),
    MatterRef(code="330100-GA-002", name="居民身份证申领"),
    MatterRef(code="330100-GA-003", name="出生登记"),
    MatterRef(code="330100-GA-Q01", name="对违反户口管理规定的处罚", kind="权力事项"),
]


def _serve(platform, code: str, matters: list[MatterRef], *, publish: bool = True) -> None:
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            SYSTEM,
            ResourceIn(
                code=code, name=f"资源{code}", department="gaj", summary="事项测试", category="部门",
                format="数据库", share_type="无条件共享", open_type="不予开放", update_cycle="每日",
                matters=matters, items=[ItemIn(column="a", name="甲")],
            ),
        )  # fmt: skip
        if publish:
            publish_resource(s, platform.audit, SYSTEM, code)


def test_registered_matters_give_the_coverage_served_by_published_resources(platform, org) -> None:
    with platform.unit() as s:
        result = register_matters(
            s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=GAJ_MATTERS)
        )
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    _serve(platform, "gaj-m1", GAJ_MATTERS[:2])
    _serve(platform, "gaj-m2", GAJ_MATTERS[2:3], publish=False)  # a draft serves nothing yet
    with platform.unit() as s:
        report = catalog_stats(s, platform.lake, SYSTEM)
        by = {d.department: d for d in report.departments}
        assert (by["gaj"].matters, by["gaj"].matters_served, by["gaj"].matter_coverage) == (4, 2, 50.0)
        assert by["mzj"].matter_coverage is None  # registered none
        assert (report.total.matters, report.total.matters_served) == (4, 2)
        listed = {m.code: m for m in list_matters(s, SYSTEM, "gaj")}
        assert listed["330100-GA-001"].resources == 1 and listed["330100-GA-003"].resources == 0
        assert listed["330100-GA-Q01"].kind == "power"
        audit = s.execute(
            select(AuditRecord).where(AuditRecord.action == "catalog.matters_registered")
        ).scalar_one()
        assert audit.target == "department:gaj"


def test_registering_again_corrects_names_and_keeps_the_rest(platform, org) -> None:
    with platform.unit() as s:
        register_matters(s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=GAJ_MATTERS))
    renamed = [MatterRef(code="330100-GA-001", name="户口迁移登记（市内）"), *GAJ_MATTERS[1:]]
    with platform.unit() as s:
        result = register_matters(s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=renamed))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
        assert (
            s.execute(select(Matter.name).where(Matter.code == "330100-GA-001")).scalar_one()
            == "户口迁移登记（市内）"
        )


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([MatterRef(code="A 1", name="有空格的代码")], "catalog.bad_matter_code"),
        ([MatterRef(code="A1", name="甲"), MatterRef(code="A1", name="乙")], "catalog.duplicate_matter"),
        ([MatterRef(code="A1", name="甲；乙")], "catalog.bad_matter_name"),
        ([MatterRef(code="A1", name="甲", kind="许可")], "catalog.bad_value"),
    ],
)
def test_a_bad_list_is_refused_and_nothing_is_written(platform, org, rows, code) -> None:
    with platform.unit() as s, pytest.raises(InvalidInput) as refused:
        register_matters(
            s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=[*GAJ_MATTERS, *rows])
        )
    assert refused.value.code == code
    with platform.sessions() as s:
        assert s.execute(select(Matter)).first() is None


def test_a_matter_keeps_its_kind(platform, org) -> None:
    with platform.unit() as s:
        register_matters(s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=GAJ_MATTERS))
    flipped = [MatterRef(code="330100-GA-Q01", name="对违反户口管理规定的处罚", kind="service")]
    with platform.unit() as s, pytest.raises(InvalidInput) as refused:
        register_matters(s, platform.audit, SYSTEM, MatterListIn(department="gaj", matters=flipped))
    assert refused.value.code == "catalog.matter_kind_mismatch"


def test_only_the_department_registers_its_matters(platform, org) -> None:
    with platform.sessions() as s:
        from govdata.security.org import department_by_code

        mzj = department_by_code(s, "mzj")
        officer = Actor(
            username="mzj_officer", role="data_officer", department_id=mzj.id, department_code="mzj"
        )
        user = Actor(username="mzj_user", role="data_user", department_id=mzj.id, department_code="mzj")
    with platform.unit() as s, pytest.raises(PermissionDenied):
        register_matters(s, platform.audit, officer, MatterListIn(department="gaj", matters=GAJ_MATTERS))
    with platform.unit() as s, pytest.raises(PermissionDenied):
        register_matters(s, platform.audit, user, MatterListIn(department="mzj", matters=GAJ_MATTERS))


def test_matters_api(client, org, token) -> None:
    body = {"department": "gaj", "matters": [m.model_dump() for m in GAJ_MATTERS]}
    assert client.post("/api/v1/catalog/matters", json=body).status_code == 401
    assert client.post("/api/v1/catalog/matters", json=body, headers=token("mzj_user")).status_code == 403
    resp = client.post("/api/v1/catalog/matters", json=body, headers=token("gaj_officer"))
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"created": 4, "updated": 0, "unchanged": 0}
    bad = {"department": "gaj", "matters": [{"code": "A 1", "name": "甲"}]}
    resp = client.post("/api/v1/catalog/matters", json=bad, headers=token("gaj_officer"))
    assert resp.status_code == 422 and resp.json()["error"]["code"] == "catalog.bad_matter_code"
    listed = client.get("/api/v1/catalog/matters?department=gaj", headers=token("mzj_user"))
    assert [m["code"] for m in listed.json()] == [m.code for m in GAJ_MATTERS]
    stats = client.get("/api/v1/catalog/stats", headers=token("mzj_user")).json()
    gaj = next(d for d in stats["departments"] if d["department"] == "gaj")
    assert (gaj["matters"], gaj["matters_served"], gaj["matter_coverage"]) == (4, 0, 0.0)
