"""The scheduled quality re-check: unchecked or stale tables are checked from the scheduler's tick,
recently checked ones are left alone, and ``recheck_hours = 0`` turns it off."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from tests.conftest import Org
from tests.govern.quality_seed import people_with_defects, publish

from govdata.db.base import utcnow
from govdata.govern.issues_models import QualityIssue
from govdata.govern.models import QualityRun
from govdata.govern.recheck import recheck_due
from govdata.ingest.scheduler import Scheduler
from govdata.runtime import Platform


def _runs(platform: Platform) -> int:
    with platform.sessions() as s:
        return len(s.scalars(select(QualityRun)).all())


def test_stale_tables_are_checked_again(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(30, bad_ids=2))
    assert Scheduler(platform).tick() == []  # nothing to load, but the unchecked table is checked
    assert _runs(platform) == 1
    with platform.sessions() as s:
        assert [i.binding for i in s.scalars(select(QualityIssue))] == ["id_number(sfzh)"]
    assert recheck_due(platform) == []  # checked just now
    later = utcnow() + dt.timedelta(hours=25)
    assert len(recheck_due(platform, now=later)) == 1
    assert _runs(platform) == 2


def test_zero_hours_turns_the_recheck_off(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(10, bad_ids=1))
    platform.settings.quality.recheck_hours = 0
    assert recheck_due(platform) == []
    assert _runs(platform) == 0
