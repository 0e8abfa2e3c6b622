"""The catalog lifecycle: every transition, every refusal, versions frozen, diffs, audit, search."""

from __future__ import annotations

import copy
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from tests.conftest import Org

from govdata.catalog import ItemIn, ResourceIn, create_resource, open_resources, publish_resource
from govdata.catalog import lifecycle as lc
from govdata.catalog.models import ChangeEvent, Resource, Revision, Version
from govdata.catalog.search import search
from govdata.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord, Department

CODE = "330100/1010/gaj-0500"


@dataclass
class People:
    officer: Actor  # gaj data officer: files and submits
    other_officer: Actor  # mzj data officer
    gaj_admin: Actor  # has catalog.review, but not in the bureau
    reviewer: Actor  # bureau dept_admin
    reviewer2: Actor  # a second bureau dept_admin
    user: Actor  # data user: reads only


@pytest.fixture
def people(platform: Platform, org: Org) -> People:
    with platform.unit() as s:
        s.get(Department, org.departments["sjj"]).is_bureau = True
    d = org.departments

    def actor(name: str, role: str, dept: str, bureau: bool = False) -> Actor:
        return Actor(username=name, role=role, department_id=d[dept], department_code=dept, is_bureau=bureau)

    return People(
        officer=actor("gaj_officer", "data_officer", "gaj"),
        other_officer=actor("mzj_officer", "data_officer", "mzj"),
        gaj_admin=actor("gaj_admin", "dept_admin", "gaj"),
        reviewer=actor("sjj_admin", "dept_admin", "sjj", bureau=True),
        reviewer2=actor("sjj_admin2", "dept_admin", "sjj", bureau=True),
        user=actor("mzj_user", "data_user", "mzj"),
    )


def entry(**changes: object) -> ResourceIn:
    base = ResourceIn(
        code=CODE,
        name="机动车登记信息",
        department="gaj",
        summary="示例市在册机动车的登记信息",
        category="部门",
        format="数据库",
        share_type="有条件共享",
        share_condition="仅限交通管理使用",
        open_type="不予开放",
        update_cycle="每日",
        sharing_method="接口",
        source_system="机动车登记系统",
        tags=["交通"],
        items=[
            ItemIn(column="hphm", name="号牌号码", length=10),
            ItemIn(column="syr", name="所有人", length=50, masking="name", sensitive=True),
            ItemIn(column="ccdjrq", name="初次登记日期", data_type="日期"),
        ],
    )
    return base.model_copy(update=changes)


def file_and_publish(platform: Platform, p: People) -> None:
    with platform.unit() as s:
        create_resource(s, platform.audit, p.officer, entry())
        lc.submit(s, platform.audit, p.officer, CODE)
        lc.review(s, platform.audit, p.reviewer, CODE, approve=True)
        lc.publish(s, platform.audit, p.reviewer, CODE)


def actions(platform: Platform) -> list[tuple[str, str]]:
    with platform.unit() as s:
        rows = s.execute(
            select(AuditRecord.action, AuditRecord.actor)
            .where(AuditRecord.target == f"resource:{CODE}")
            .order_by(AuditRecord.seq)
        )
        return [(a, u) for a, u in rows]


def names_found(platform: Platform, actor: Actor, q: str) -> list[str]:
    with platform.unit() as s:
        return [r.name for r in search(s, actor, q).items]


def test_file_submit_review_publish_each_step_audited(platform: Platform, people: People) -> None:
    p = people
    with platform.unit() as s:
        res = create_resource(s, platform.audit, p.officer, entry())
        assert (res.status, res.version) == ("draft", 0)
        rev = lc.pending_revision(s, res)
        assert rev is not None and (rev.number, rev.status, rev.created_by) == (1, "draft", "gaj_officer")
    with platform.unit() as s:
        rev = lc.submit(s, platform.audit, p.officer, CODE)
        assert (rev.status, rev.submitted_by) == ("submitted", "gaj_officer")
        assert s.execute(select(Resource.status).where(Resource.code == CODE)).scalar_one() == "submitted"
    with platform.unit() as s:
        assert [r.code for r in lc.review_queue(s, p.reviewer)] == [CODE]
        rev = lc.review(s, platform.audit, p.reviewer, CODE, approve=True, comment="同意")
        assert (rev.status, rev.reviewed_by, rev.review_comment) == ("reviewed", "sjj_admin", "同意")
    assert names_found(platform, p.user, "机动车") == []  # reviewed, not yet published
    with platform.unit() as s:
        ver = lc.publish(s, platform.audit, p.reviewer, CODE)
        assert ver.version == 1 and ver.snapshot["name"] == "机动车登记信息"
        assert ver.snapshot["status"] == "published" and ver.snapshot["version"] == 1
        res = lc.get_resource(s, CODE)
        assert (res.status, res.version, res.published_at is not None) == ("published", 1, True)
        assert lc.pending_revision(s, res) is None
        assert lc.review_queue(s, p.reviewer) == []
        events = s.execute(select(ChangeEvent.kind, ChangeEvent.version)).all()
        assert [tuple(e) for e in events] == [("published", 1)]
    assert names_found(platform, p.user, "机动车") == ["机动车登记信息"]
    assert actions(platform) == [
        ("catalog.resource_created", "gaj_officer"),
        ("catalog.revision_created", "gaj_officer"),
        ("catalog.submitted", "gaj_officer"),
        ("catalog.reviewed", "sjj_admin"),
        ("catalog.published", "sjj_admin"),
    ]


def test_new_version_readers_see_the_published_one_until_it_is_published(
    platform: Platform, people: People
) -> None:
    p = people
    file_and_publish(platform, p)
    with platform.unit() as s:
        v1 = copy.deepcopy(s.execute(select(Version.snapshot)).scalar_one())
    changed = entry(
        name="机动车档案信息",
        share_type="无条件共享",
        share_condition=None,
        items=[
            ItemIn(column="hphm", name="号牌号码", length=12),  # changed
            ItemIn(column="ccdjrq", name="初次登记日期", data_type="日期"),
            ItemIn(column="clsbdh", name="车辆识别代号", length=17),  # added; syr removed
        ],
    )
    with platform.unit() as s:
        rev = lc.revise(s, platform.audit, p.officer, CODE, changed, note="改名并调整信息项")
        assert (rev.number, rev.status) == (2, "draft")
        res = lc.get_resource(s, CODE)
        assert (res.name, res.status, res.version, len(res.items)) == ("机动车登记信息", "published", 1, 3)
    # search keeps showing the published version, not the pending draft
    assert names_found(platform, p.user, "档案") == []
    assert names_found(platform, p.user, "所有人") == ["机动车登记信息"]
    with platform.unit() as s:
        d = lc.diff(s, p.officer, CODE)
        assert (d.a, d.b) == ("1", "pending")
        fields = {c.field: (c.before, c.after) for c in d.fields}
        assert fields == {
            "name": ("机动车登记信息", "机动车档案信息"),
            "share_type": ("conditional", "unconditional"),
            "share_condition": ("仅限交通管理使用", None),
        }
        items = {i.column: (i.change, i.fields) for i in d.items}
        assert items == {"hphm": ("changed", ["length"]), "clsbdh": ("added", []), "syr": ("removed", [])}
        lc.submit(s, platform.audit, p.officer, CODE)
        lc.review(s, platform.audit, p.reviewer2, CODE, approve=True)
        ver = lc.publish(s, platform.audit, p.reviewer, CODE)
        assert ver.version == 2
    with platform.unit() as s:
        rows = s.execute(select(Version.version, Version.snapshot).order_by(Version.version)).all()
        assert [r[0] for r in rows] == [1, 2]
        assert rows[0][1] == v1  # version 1 frozen as it was
        assert rows[1][1]["name"] == "机动车档案信息" and rows[1][1]["version"] == 2
        assert [v.version for v in lc.versions(s, p.user, CODE)] == [2, 1]
        assert lc.version(s, p.user, CODE, 1).snapshot.name == "机动车登记信息"
        between = lc.diff(s, p.user, CODE, "1", "2")
        assert {c.field for c in between.fields} == {"name", "share_type", "share_condition"}
        assert lc.diff(s, p.user, CODE).a == "1"  # nothing pending: previous → latest
        assert [e.kind for e in s.execute(select(ChangeEvent).order_by(ChangeEvent.id)).scalars()] == [
            "published",
            "new_version",
        ]
        assert [r.number for r in lc.revisions(s, p.officer, CODE)] == [2, 1]
    assert names_found(platform, p.user, "档案") == ["机动车档案信息"]
    assert names_found(platform, p.user, "所有人") == []


def test_reject_edit_resubmit_and_withdraw(platform: Platform, people: People) -> None:
    p = people
    with platform.unit() as s:
        create_resource(s, platform.audit, p.officer, entry())
        lc.submit(s, platform.audit, p.officer, CODE)
        with pytest.raises(InvalidInput) as no_comment:
            lc.review(s, platform.audit, p.reviewer, CODE, approve=False, comment="  ")
        assert no_comment.value.code == "catalog.reject_needs_comment"
        rev = lc.review(s, platform.audit, p.reviewer, CODE, approve=False, comment="摘要太简单")
        assert (rev.status, rev.review_comment) == ("rejected", "摘要太简单")
        assert lc.get_resource(s, CODE).status == "draft"
        with pytest.raises(Conflict):  # a rejected revision is edited first
            lc.submit(s, platform.audit, p.officer, CODE)
        rev = lc.revise(s, platform.audit, p.officer, CODE, entry(summary="示例市机动车注册登记的基本信息"))
        assert (rev.number, rev.status) == (1, "draft")
        assert lc.get_resource(s, CODE).summary == "示例市机动车注册登记的基本信息"  # never published
        lc.submit(s, platform.audit, p.officer, CODE)
        rev = lc.withdraw(s, platform.audit, p.officer, CODE)
        assert rev.status == "draft" and lc.get_resource(s, CODE).status == "draft"
        lc.submit(s, platform.audit, p.officer, CODE)
        lc.review(s, platform.audit, p.reviewer, CODE, approve=True)
        lc.withdraw(s, platform.audit, p.officer, CODE)  # reviewed, not yet published: may be withdrawn
        assert lc.get_resource(s, CODE).status == "draft"
    acts = [a for a, _ in actions(platform)]
    assert acts.count("catalog.rejected") == 1 and acts.count("catalog.withdrawn") == 2
    assert "catalog.revision_updated" in acts and acts.count("catalog.submitted") == 3


def test_refusals_by_role_department_bureau_and_separation_of_duties(
    platform: Platform, people: People
) -> None:
    p = people
    with platform.unit() as s:
        create_resource(s, platform.audit, p.officer, entry())

    def refused(fn, *args, code: str, **kw) -> None:  # type: ignore[no-untyped-def]
        with platform.unit() as s, pytest.raises(PermissionDenied) as err:
            fn(s, platform.audit, *args, **kw)
        assert err.value.code == code

    refused(lc.revise, p.user, CODE, entry(), code="auth.forbidden")  # a data user cannot write
    refused(lc.revise, p.other_officer, CODE, entry(), code="auth.other_department")
    refused(lc.submit, p.other_officer, CODE, code="auth.other_department")
    with platform.unit() as s:
        lc.submit(s, platform.audit, p.officer, CODE)
    refused(lc.withdraw, p.other_officer, CODE, code="auth.other_department")
    refused(lc.review, p.officer, CODE, approve=True, code="auth.forbidden")  # no catalog.review
    refused(lc.review, p.gaj_admin, CODE, approve=True, code="auth.bureau_only")  # not the bureau
    refused(lc.publish, p.gaj_admin, CODE, code="auth.bureau_only")
    refused(lc.retire, p.gaj_admin, CODE, reason="x", code="auth.bureau_only")
    refused(lc.publish_directly, p.reviewer, CODE, code="catalog.publish_direct")
    with platform.unit() as s:
        with pytest.raises(PermissionDenied):
            lc.review_queue(s, p.gaj_admin)
        with pytest.raises(PermissionDenied):
            lc.revisions(s, p.user, CODE)  # drafts stay with the department and the bureau
        with pytest.raises(PermissionDenied):
            lc.diff(s, p.user, CODE, "0", "pending")
        assert lc.revisions(s, p.reviewer, CODE)[0].status == "submitted"
        assert lc.versions(s, p.user, CODE) == []
    # the bureau files its own resource: its filer may not review it, a colleague may
    own = entry(code="330100/9000/sjj-0001", department="sjj")
    with platform.unit() as s:
        create_resource(s, platform.audit, p.reviewer, own)
        lc.submit(s, platform.audit, p.reviewer, own.code)
    refused(lc.review, p.reviewer, own.code, approve=True, code="catalog.self_review")
    with platform.unit() as s:
        assert lc.review(s, platform.audit, p.reviewer2, own.code, approve=True).status == "reviewed"
        assert lc.publish(s, platform.audit, p.reviewer, own.code).version == 1


def test_bad_transitions_are_conflicts(platform: Platform, people: People) -> None:
    p = people

    def conflict(fn, *args, **kw) -> Conflict:  # type: ignore[no-untyped-def]
        with platform.unit() as s, pytest.raises(Conflict) as err:
            fn(s, platform.audit, *args, **kw)
        assert err.value.code == "catalog.bad_transition"
        return err.value

    with platform.unit() as s:
        create_resource(s, platform.audit, p.officer, entry())
    assert conflict(lc.publish, p.reviewer, CODE).params == {"status": "draft", "action": "publish"}
    conflict(lc.review, p.reviewer, CODE, approve=True)
    conflict(lc.withdraw, p.officer, CODE)
    conflict(lc.retire, p.reviewer, CODE, reason="不再使用")
    with platform.unit() as s:
        lc.submit(s, platform.audit, p.officer, CODE)
    conflict(lc.submit, p.officer, CODE)
    conflict(lc.revise, p.officer, CODE, entry(name="改"))  # withdraw first
    conflict(lc.publish, p.reviewer, CODE)
    with platform.unit() as s:
        lc.review(s, platform.audit, p.reviewer, CODE, approve=True)
        lc.publish(s, platform.audit, p.reviewer, CODE)
    for fn, args in ((lc.submit, ()), (lc.withdraw, ())):
        conflict(fn, p.officer, CODE, *args)  # nothing pending after publication
    conflict(lc.publish, p.reviewer, CODE)
    with platform.unit() as s, pytest.raises(InvalidInput) as fixed:
        lc.revise(s, platform.audit, p.officer, CODE, entry(code="330100/1010/gaj-0999"))
    assert fixed.value.code == "catalog.code_fixed"
    with platform.unit() as s, pytest.raises(InvalidInput) as bad_ref:
        lc.diff(s, p.officer, CODE, "v1", "1")
    assert bad_ref.value.code == "catalog.bad_ref"
    with platform.unit() as s, pytest.raises(NotFound):
        lc.version(s, p.user, CODE, 7)


def test_retire_hides_it_from_search_and_open_and_keeps_its_versions(
    platform: Platform, people: People
) -> None:
    p = people
    file_and_publish(platform, p)
    with platform.unit() as s:
        s.execute(select(Resource).where(Resource.code == CODE)).scalar_one().open_type = "open"
    with platform.unit() as s:
        assert [r.code for r in open_resources(s)] == [CODE]
        lc.revise(s, platform.audit, p.officer, CODE, entry(name="将被撤销的修改"))
    with platform.unit() as s, pytest.raises(InvalidInput) as no_reason:
        lc.retire(s, platform.audit, p.reviewer, CODE, reason=" ")
    assert no_reason.value.code == "catalog.retire_needs_reason"
    with platform.unit() as s:
        res = lc.retire(s, platform.audit, p.reviewer, CODE, reason="系统下线")
        assert (res.status, res.retired_at is not None) == ("retired", True)
        assert lc.pending_revision(s, res) is None
        assert s.execute(select(Revision.status).where(Revision.number == 2)).scalar_one() == "withdrawn"
        event = s.execute(select(ChangeEvent).where(ChangeEvent.kind == "retired")).scalar_one()
        assert event.version == 1 and event.payload["resource"]["status"] == "retired"
    assert names_found(platform, p.user, "机动车") == []
    with platform.unit() as s:
        assert open_resources(s) == []
        assert [v.version for v in lc.versions(s, p.user, CODE)] == [1]
    with platform.unit() as s, pytest.raises(Conflict):
        lc.retire(s, platform.audit, p.reviewer, CODE, reason="again")
    with platform.unit() as s, pytest.raises(Conflict):
        lc.revise(s, platform.audit, p.officer, CODE, entry())
    assert ("catalog.retired", "sjj_admin") in actions(platform)


def test_platform_publishes_directly_walking_every_step(platform: Platform, people: People) -> None:
    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(s, platform.audit, system, entry())
        res = publish_resource(s, platform.audit, system, CODE)
        assert (res.status, res.version) == ("published", 1)
    assert [a for a, _ in actions(platform)][-3:] == [
        "catalog.submitted",
        "catalog.reviewed",
        "catalog.published",
    ]
    with platform.unit() as s:
        lc.revise(s, platform.audit, people.officer, CODE, entry(name="机动车登记信息（新）"))
        assert publish_resource(s, platform.audit, system, CODE).version == 2
        assert lc.get_resource(s, CODE).name == "机动车登记信息（新）"
        with pytest.raises(Conflict):  # nothing pending
            publish_resource(s, platform.audit, system, CODE)


def test_my_entries_list_the_department_s_resources_with_their_pending_revision(
    platform: Platform, people: People
) -> None:
    p = people
    file_and_publish(platform, p)
    with platform.unit() as s:
        create_resource(s, platform.audit, p.officer, entry(code="330100/1010/gaj-0501", name="驾驶人信息"))
        lc.revise(s, platform.audit, p.officer, CODE, entry(name="机动车登记信息（修订）"))
    with platform.unit() as s:
        mine = {e.code: e for e in lc.my_entries(s, p.officer)}
        assert set(mine) == {CODE, "330100/1010/gaj-0501"}
        assert (mine[CODE].status, mine[CODE].version) == ("published", 1)
        assert mine[CODE].pending is not None and mine[CODE].pending.number == 2
        assert mine["330100/1010/gaj-0501"].pending.status == "draft"
        assert lc.my_entries(s, p.other_officer) == []
        with pytest.raises(PermissionDenied):
            lc.my_entries(s, p.user)


def test_entries_published_before_versions_existed_get_their_snapshot_when_the_platform_opens(
    platform: Platform, people: People
) -> None:
    from govdata.catalog.service import get_resource, to_out

    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(s, platform.audit, system, entry())
        publish_resource(s, platform.audit, system, CODE)
    with platform.unit() as s:  # as migration 0002 left it: version 1, no frozen snapshot
        for ver in s.execute(select(Version)).scalars():
            s.delete(ver)
    reopened = Platform.open(platform.settings)
    with reopened.unit() as s:
        [ver] = s.execute(select(Version)).scalars().all()
        assert ver.version == 1 and ver.published_by == "system:migration"
        assert ver.snapshot == to_out(get_resource(s, CODE)).model_dump(mode="json")
        assert lc.backfill_versions(s) == 0  # idempotent
    reopened.engine.dispose()
