"""Quality issues from stored runs: opened, refreshed, verified and reopened; who may move them; all
failing keys downloadable; scores per column, resource and department, and the ranking."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select
from tests.conftest import Org
from tests.govern.quality_seed import CODE, REF, people_with_defects, publish

from govdata.catalog import get_resource
from govdata.errors import Conflict, InvalidInput, PermissionDenied
from govdata.govern.issue_keys import issue_keys
from govdata.govern.issues import issue_detail, list_issues, sync_issues, transition
from govdata.govern.issues_models import QualityIssue
from govdata.govern.quality_scores import department_quality, ranking, resource_scores
from govdata.govern.service import check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.audit import AuditRecord
from govdata.security.auth import actor_for
from govdata.security.models import User

SYSTEM = Actor.system("govern")


def _check(platform: Platform) -> dict[str, int]:
    """Check the table as the platform does after a load; the issue ids by binding."""
    with platform.unit() as s:
        run = check_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
        sync_issues(s, platform.audit, SYSTEM, run, deadline_days=15)
    with platform.unit() as s:
        return {i.binding: i.id for i in s.scalars(select(QualityIssue))}


def _actor(platform: Platform, username: str) -> Actor:
    with platform.unit() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


@pytest.fixture
def bureau(platform: Platform, org: Org) -> Actor:
    """An officer of the data bureau (sjj is the bureau in these tests)."""
    from govdata.security.models import Department

    with platform.unit() as s:
        dept = s.scalar(select(Department).where(Department.code == "sjj"))
        assert dept is not None
        dept.is_bureau = True
    return Actor("sjj_officer", "data_officer", department_id=dept.id, department_code="sjj", is_bureau=True)


def test_failing_bindings_open_issues_and_a_passing_run_verifies_them(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(40, bad_ids=3, blank_names=2))
    issues = _check(platform)
    assert set(issues) == {"id_number(sfzh)", "not_null(xm)"}
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        detail = issue_detail(s, officer, issues["id_number(sfzh)"])
        assert (detail.status, detail.failed_rows, detail.department) == ("open", 3, "gaj")
        assert detail.reasons == {"check_char": 3}
        assert detail.actions == ["acknowledge", "fix"]
        assert len(detail.samples) == 3
        # sample keys are masked as the catalog item says: 6 + 8 stars + 4
        assert all("********" in str(row["sfzh"]) for row in detail.samples)
        assert [e.action for e in detail.events] == ["opened"]

    platform.lake.write(REF, people_with_defects(40, bad_ids=0, blank_names=2), mode="overwrite")
    again = _check(platform)
    assert again == issues  # same issues, no new ones
    with platform.unit() as s:
        fixed = issue_detail(s, officer, issues["id_number(sfzh)"])
        assert (fixed.status, fixed.failed_rows) == ("verified", 3)  # the counts of the last failing run
        assert fixed.closed_at is not None
        assert [(e.action, e.actor, e.failed_rows) for e in fixed.events][-1] == (
            "verified",
            "system:govern",
            0,
        )
        still = issue_detail(s, officer, issues["not_null(xm)"])
        assert still.status == "open" and len(still.events) == 1
        actions = set(s.scalars(select(AuditRecord.action)))
    assert {"quality.issue_opened", "quality.issue_verified"} <= actions


def test_people_move_issues_and_a_failing_run_reopens_a_fixed_one(
    platform: Platform, org: Org, bureau: Actor
) -> None:
    publish(platform, people_with_defects(30, bad_ids=2))
    issue_id = _check(platform)["id_number(sfzh)"]
    officer, other = _actor(platform, "gaj_officer"), _actor(platform, "mzj_officer")
    with platform.unit() as s:
        with pytest.raises(PermissionDenied):
            issue_detail(s, other, issue_id)
        with pytest.raises(PermissionDenied):
            transition(s, platform.audit, bureau, issue_id, "acknowledge")  # the provider's action
        with pytest.raises(InvalidInput) as err:
            transition(s, platform.audit, officer, issue_id, "close")
        assert err.value.code == "govern.issue.unknown_action"
        transition(s, platform.audit, officer, issue_id, "acknowledge", "在查")
        with pytest.raises(InvalidInput) as err:
            transition(s, platform.audit, officer, issue_id, "fix", "  ")
        assert err.value.code == "govern.issue.comment_required"
        transition(s, platform.audit, officer, issue_id, "fix", "源系统已更正两条身份证号")
        with pytest.raises(PermissionDenied):
            transition(s, platform.audit, officer, issue_id, "verify")  # the bureau's action
        with pytest.raises(Conflict):
            transition(s, platform.audit, officer, issue_id, "acknowledge")
    # the next load still fails the rule: the issue is open again, with a new deadline
    _check(platform)
    with platform.unit() as s:
        detail = issue_detail(s, officer, issue_id)
        assert detail.status == "open"
        assert [e.action for e in detail.events] == ["opened", "acknowledged", "fixed", "reopened"]
        assert detail.events[2].comment == "源系统已更正两条身份证号"
        transition(s, platform.audit, officer, issue_id, "fix", "这次真的改了")
        transition(s, platform.audit, bureau, issue_id, "verify", "抽查无误")
        assert issue_detail(s, bureau, issue_id).status == "verified"
        with pytest.raises(InvalidInput):
            transition(s, platform.audit, bureau, issue_id, "reopen")  # needs a reason
        transition(s, platform.audit, bureau, issue_id, "reopen", "抽查仍有错误", deadline_days=3)
        reopened = issue_detail(s, bureau, issue_id, platform.audit)
        assert reopened.status == "open" and reopened.closed_at is None
        assert dt.timedelta(days=2) < reopened.due_at - reopened.updated_at <= dt.timedelta(days=3)
        audited = list(
            s.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.target == f"quality_issue:{issue_id}")
                .order_by(AuditRecord.seq)
            )
        )
    assert audited.count("quality.issue_fixed") == 2 and "quality.issue_verified" in audited
    assert audited[-2:] == ["quality.issue_reopened", "quality.issue_read"]


def test_list_filters_and_departments_see_their_own(platform: Platform, org: Org, bureau: Actor) -> None:
    publish(platform, people_with_defects(20, bad_ids=1, blank_names=1))
    issues = _check(platform)
    officer, other = _actor(platform, "gaj_officer"), _actor(platform, "mzj_officer")
    with platform.unit() as s:
        assert list_issues(s, officer).total == 2
        assert list_issues(s, other).total == 0
        assert list_issues(s, bureau, department="gaj").total == 2
        assert list_issues(s, bureau, department="mzj").total == 0
        transition(s, platform.audit, officer, issues["not_null(xm)"], "acknowledge")
        assert [i.binding for i in list_issues(s, officer, status="acknowledged").items] == ["not_null(xm)"]
        assert list_issues(s, officer, overdue=True).total == 0
        for issue in s.scalars(select(QualityIssue)):
            issue.due_at = issue.opened_at.replace(year=2020)
        s.flush()
        assert list_issues(s, officer, overdue=True).total == 2
        with pytest.raises(InvalidInput):
            list_issues(s, officer, status="closed")


def test_keys_download_has_every_failing_row_masked_and_audited(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(12_000, bad_ids=10_500))
    issue_id = _check(platform)["id_number(sfzh)"]
    # a later load fixes half of them; the download still reads the version the issue counted
    platform.lake.write(REF, people_with_defects(12_000, bad_ids=5), mode="overwrite")
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        download = issue_keys(s, platform.lake, platform.audit, officer, issue_id)
        body = b"".join(download.chunks()).decode("utf-8-sig")
        record = s.scalars(select(AuditRecord).where(AuditRecord.action == "quality.issue_keys_read")).one()
        assert record.rows == 10_500
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 10_500
    assert [int(r["_source_row"]) for r in rows] == list(range(1, 10_501))
    assert set(rows[0]) == {"_source_row", "sfzh", "failure_reason"}
    assert all(r["sfzh"][6:14] == "********" for r in rows)
    assert {r["failure_reason"] for r in rows} == {"check_char"}
    with platform.unit() as s, pytest.raises(PermissionDenied):
        issue_keys(s, platform.lake, platform.audit, _actor(platform, "mzj_officer"), issue_id)


def test_scores_per_column_resource_and_department(platform: Platform, org: Org, bureau: Actor) -> None:
    publish(platform, people_with_defects(100, bad_ids=10, blank_names=20))
    _check(platform)
    platform.lake.write(REF, people_with_defects(100, bad_ids=0, blank_names=0), mode="overwrite")
    _check(platform)
    with platform.unit() as s:
        scores = resource_scores(s, bureau, CODE)
        assert [p.score for p in scores.history] == [90.0, 100.0]
        assert scores.score == 100.0 and scores.department == "gaj"
        assert {c.column for c in scores.columns} == {"sfzh", "xm"}
        dept = department_quality(s, bureau, "gaj")
        assert dept.score == 100.0 and dept.tables == 1
        assert dept.trend[-1].score == 100.0  # today's point: the latest run
        assert dept.open_issues == 0
        rows = ranking(s, bureau)
        assert [(r.rank, r.department, r.score) for r in rows] == [(1, "gaj", 100.0)]


def test_one_rule_twice_on_a_column_is_one_issue(platform: Platform, org: Org) -> None:
    from govdata.govern.quality import RuleBinding

    publish(platform, people_with_defects(20, bad_ids=0))
    bindings = [
        RuleBinding("pattern", ("sfzh",), {"pattern": "^330106"}),  # every row passes
        RuleBinding("pattern", ("sfzh",), {"pattern": "^X"}),  # every row fails
    ]
    with platform.unit() as s:
        run = check_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE), bindings)
        result = sync_issues(s, platform.audit, SYSTEM, run)
        assert len(result.opened) == 1 and not result.verified
        assert s.get(QualityIssue, result.opened[0]).failed_rows == 20  # type: ignore[union-attr]
