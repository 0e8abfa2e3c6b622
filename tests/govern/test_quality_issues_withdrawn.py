"""Quality issues whose binding stops applying: a run of all the resource's bindings withdraws them
(switched off, deleted, its column gone), a partial run withdraws nothing, a binding that returns
and fails reopens its issue, and withdrawn issues count neither as open nor as overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from tests.conftest import Org
from tests.govern.quality_seed import CODE, REF, people_with_defects, publish

from govdata.catalog import get_resource
from govdata.govern import BindingIn
from govdata.govern.issue_keys import issue_keys
from govdata.govern.issues import issue_detail, list_issues, sync_issues, transition
from govdata.govern.issues_models import QualityIssue
from govdata.govern.issues_schemas import SyncResult
from govdata.govern.quality import RuleBinding
from govdata.govern.quality.schemas import BindingOut
from govdata.govern.quality.stored import add_binding, delete_binding, disable_derived
from govdata.govern.quality_scores import department_quality, ranking
from govdata.govern.service import check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.audit import AuditRecord
from govdata.security.auth import actor_for
from govdata.security.models import Department, User

SYSTEM = Actor.system("govern")
ID = "id_number(sfzh)"


def _check(platform: Platform, bindings: list[RuleBinding] | None = None) -> SyncResult:
    """Check the table (all its effective bindings, or only ``bindings``) and sync its issues."""
    with platform.unit() as s:
        run = check_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE), bindings)
        assert run.all_bindings is (bindings is None)
        return sync_issues(s, platform.audit, SYSTEM, run, deadline_days=15)


def _issues(platform: Platform) -> dict[str, tuple[int, str]]:
    """(id, status) of every issue by binding."""
    with platform.unit() as s:
        return {i.binding: (i.id, i.status) for i in s.scalars(select(QualityIssue))}


def _actor(platform: Platform, username: str) -> Actor:
    with platform.unit() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        return actor_for(user)


def _add_length(platform: Platform, officer: Actor, column: str, most: int) -> BindingOut:
    """A stored ``length`` binding: at most ``most`` characters in ``column``."""
    with platform.unit() as s:
        return add_binding(
            s,
            platform.lake,
            platform.audit,
            officer,
            CODE,
            BindingIn(rule="length", columns=[column], params={"max": most}),
        )


def _id(binding: BindingOut) -> int:
    assert binding.id is not None  # a stored binding
    return binding.id


@pytest.fixture
def failing(platform: Platform, org: Org) -> int:
    """gaj's people table with 3 bad IDs and 2 blank names, checked once: the id_number issue's id."""
    publish(platform, people_with_defects(30, bad_ids=3, blank_names=2))
    opened = _check(platform).opened
    assert len(opened) == 2
    return _issues(platform)[ID][0]


def test_a_switched_off_binding_withdraws_its_issue(platform: Platform, failing: int) -> None:
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        transition(s, platform.audit, officer, failing, "acknowledge")
        disable_derived(s, platform.lake, platform.audit, officer, CODE, "id_number", ["sfzh"])
    result = _check(platform)
    assert result.withdrawn == [failing] and not result.verified and not result.opened
    issues = _issues(platform)
    assert issues[ID] == (failing, "withdrawn")
    assert issues["not_null(xm)"][1] == "open"  # still applies, still failing
    with platform.unit() as s:
        detail = issue_detail(s, officer, failing)
        assert detail.closed_at is not None and not detail.overdue
        assert detail.failed_rows == 3  # what the last failing run counted
        last = detail.events[-1]
        assert (last.action, last.from_status, last.to_status, last.actor) == (
            "withdrawn",
            "acknowledged",
            "withdrawn",
            "system:govern",
        )
        assert detail.actions == []  # nobody moves a withdrawn issue by hand
        audited = s.scalars(select(AuditRecord).where(AuditRecord.action == "quality.issue_withdrawn")).all()
        assert [r.target for r in audited] == [f"quality_issue:{failing}"]
        assert [i.id for i in list_issues(s, officer, status="withdrawn").items] == [failing]
    assert _check(platform) == SyncResult(updated=[issues["not_null(xm)"][0]])  # withdrawn once only


def test_a_binding_that_returns_and_still_fails_reopens_its_issue(platform: Platform, failing: int) -> None:
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        override = disable_derived(s, platform.lake, platform.audit, officer, CODE, "id_number", ["sfzh"])
    assert _check(platform).withdrawn == [failing]
    with platform.unit() as s:  # switched on again: the derived binding applies
        delete_binding(s, platform.audit, officer, CODE, _id(override))
    result = _check(platform)
    assert result.reopened == [failing] and not result.opened
    with platform.unit() as s:
        detail = issue_detail(s, officer, failing)
        assert (detail.status, detail.closed_at, detail.failed_rows) == ("open", None, 3)
        assert detail.due_at > dt.datetime.now(dt.UTC) + dt.timedelta(days=14)
        assert [(e.action, e.from_status) for e in detail.events] == [
            ("opened", None),
            ("withdrawn", "open"),
            ("reopened", "withdrawn"),
        ]


def test_a_binding_that_returns_and_passes_leaves_the_issue_withdrawn(
    platform: Platform, failing: int
) -> None:
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        override = disable_derived(s, platform.lake, platform.audit, officer, CODE, "id_number", ["sfzh"])
    _check(platform)
    platform.lake.write(REF, people_with_defects(30, bad_ids=0, blank_names=2), mode="overwrite")
    with platform.unit() as s:
        delete_binding(s, platform.audit, officer, CODE, _id(override))
    result = _check(platform)
    assert not (result.verified or result.reopened or result.withdrawn)  # nothing was fixed
    assert _issues(platform)[ID] == (failing, "withdrawn")


def test_a_partial_run_withdraws_nothing(platform: Platform, failing: int) -> None:
    result = _check(platform, [RuleBinding("not_null", ("xm",))])
    assert not result.withdrawn and result.updated == [_issues(platform)["not_null(xm)"][0]]
    assert _issues(platform)[ID] == (failing, "open")
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:  # even with the binding switched off, a partial run leaves it alone
        disable_derived(s, platform.lake, platform.audit, officer, CODE, "id_number", ["sfzh"])
    assert not _check(platform, [RuleBinding("not_null", ("xm",))]).withdrawn
    assert _issues(platform)[ID] == (failing, "open")


def test_a_deleted_stored_binding_and_a_column_that_left_withdraw_their_issues(
    platform: Platform, failing: int
) -> None:
    officer = _actor(platform, "gaj_officer")
    length = _add_length(platform, officer, "xm", 1)
    _add_length(platform, officer, "lxdh", 3)
    opened = _check(platform).opened
    issues = _issues(platform)
    assert sorted(opened) == sorted([issues["length(xm)"][0], issues["length(lxdh)"][0]])
    with platform.unit() as s:
        delete_binding(s, platform.audit, officer, CODE, _id(length))
    assert _check(platform).withdrawn == [issues["length(xm)"][0]]
    # the source dropped the phone column: the stored binding on it no longer applies, and the rest
    # of the table is still checked
    table = people_with_defects(30, bad_ids=3, blank_names=2).drop_columns(["lxdh"])
    platform.lake.write(REF, table, mode="overwrite")
    result = _check(platform)
    assert result.withdrawn == [issues["length(lxdh)"][0]]
    assert _issues(platform)[ID] == (failing, "open")


def test_withdrawn_issues_are_neither_open_nor_overdue(platform: Platform, failing: int) -> None:
    with platform.unit() as s:  # the deadline has passed
        s.execute(update(QualityIssue).values(due_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1)))
        sjj = s.scalar(select(Department.id).where(Department.code == "sjj"))
    bureau = Actor("sjj_officer", "data_officer", department_id=sjj, department_code="sjj", is_bureau=True)
    with platform.unit() as s:
        gaj = next(r for r in ranking(s, bureau, "issues") if r.department == "gaj")
        assert (gaj.open_issues, gaj.overdue_issues) == (2, 2)
    officer = _actor(platform, "gaj_officer")
    with platform.unit() as s:
        disable_derived(s, platform.lake, platform.audit, officer, CODE, "id_number", ["sfzh"])
    assert _check(platform).withdrawn == [failing]
    with platform.unit() as s:
        gaj = next(r for r in ranking(s, bureau, "issues") if r.department == "gaj")
        assert (gaj.open_issues, gaj.overdue_issues) == (1, 1)
        dept = department_quality(s, bureau, "gaj")
        assert (dept.open_issues, dept.overdue_issues) == (1, 1)
        overdue = list_issues(s, bureau, overdue=True).items
        assert [i.binding for i in overdue] == ["not_null(xm)"]
        assert [i.binding for i in list_issues(s, bureau, overdue=False).items] == [ID]


def test_the_keys_of_a_withdrawn_issue_are_those_its_binding_failed(platform: Platform, failing: int) -> None:
    """The download reruns the binding with the parameters its check kept: a deleted ``length``
    binding (max 1 character) still names every name longer than that, not a parameterless rerun."""
    officer = _actor(platform, "gaj_officer")
    length = _add_length(platform, officer, "xm", 1)
    _check(platform)
    issue_id = _issues(platform)["length(xm)"][0]
    with platform.unit() as s:
        failed = s.get(QualityIssue, issue_id).failed_rows  # type: ignore[union-attr]
        delete_binding(s, platform.audit, officer, CODE, _id(length))
    assert _check(platform).withdrawn == [issue_id]
    with platform.unit() as s:
        download = issue_keys(s, platform.lake, platform.audit, officer, issue_id)
    assert failed > 0 and download.rows == failed
    assert set(download.table.column("failure_reason").to_pylist()) == {"too_long"}
