"""Catalog statistics (目录统计), per department and in total.

Owns the counts a bureau reports about its catalog: published resources and their items; the
split by sharing attribute (共享属性) and by open attribute (开放属性), as counts and percentages;
resources late against their update cycle (更新周期); and catalogue coverage (编目覆盖率) —
catalogued lake tables over all lake tables of the department; and matter coverage (事项覆盖率) —
the department's registered matters (``govdata.catalog.matters``) served by a published resource,
``None`` while it has registered none.

A published resource is *late* when the last successful load of its lake table is older than its
update cycle plus the ingest pillar's grace (``govdata.ingest.queries.grace_for``). The last load
comes from the ingest pillar (``table_status``: the source table linked to the resource by
``resource_id``, or landing in the resource's ``lake_table``); a table written to the lake without
a source counts from its last Delta commit. A logical (逻辑归集) table answers in place and is
never late; a resource with no lake table and no source is not assessed; a resource whose table
was never loaded is late once a cycle has passed since it was published.

Counts are grouped in the metadata store; nothing reads table data. Raises ``PermissionDenied``
unless the actor may read the catalog (and the overview of ingest freshness).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.matters import matter_coverage
from govdata.catalog.models import Item, OpenType, Resource, ResourceStatus, ShareType
from govdata.db.base import utcnow
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.roles import Permission


@dataclass(frozen=True)
class Part:
    """A count and its share of the published resources (percent, one decimal; ``None`` of nothing)."""

    count: int
    percent: float | None


@dataclass(frozen=True)
class LateResource:
    code: str
    name: str
    department: str
    department_name: str
    update_cycle: str
    last_load_at: dt.datetime | None
    due_at: dt.datetime


@dataclass
class CatalogStats:
    """The statistics of one department (``department`` is ``None`` for the total)."""

    department: str | None
    department_name: str
    resources: int = 0  # published
    drafts: int = 0
    items: int = 0  # of published resources
    share: dict[str, Part] = field(default_factory=dict)
    open: dict[str, Part] = field(default_factory=dict)
    assessed: int = 0  # published resources whose freshness can be judged
    late: int = 0
    lake_tables: int = 0
    catalogued_tables: int = 0
    coverage: float | None = None  # percent of lake tables catalogued
    matters: int = 0  # registered matters (事项清单)
    matters_served: int = 0  # of them, served by at least one published resource
    matter_coverage: float | None = None
    # 编目覆盖率 of the sources' tables (``govdata.catalog.drafts.coverage``, as of the last scans)
    source_tables: int = 0
    source_catalogued: int = 0
    source_coverage: float | None = None


@dataclass
class StatsReport:
    generated_at: dt.datetime
    total: CatalogStats
    departments: list[CatalogStats]
    late_resources: list[LateResource]

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _percent(count: int, whole: int) -> float | None:
    return round(100.0 * count / whole, 1) if whole else None


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)  # naive datetimes from the metadata store are UTC


@dataclass
class _Tally:
    resources: int = 0
    drafts: int = 0
    items: int = 0
    share: Counter[str] = field(default_factory=Counter)
    open: Counter[str] = field(default_factory=Counter)
    assessed: int = 0
    late: int = 0
    lake_tables: int = 0
    catalogued: int = 0
    matters: int = 0
    matters_served: int = 0

    def add(self, other: _Tally) -> None:
        for name in (
            "resources", "drafts", "items", "assessed", "late", "lake_tables", "catalogued", "matters", "matters_served"
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.share.update(other.share)
        self.open.update(other.open)

    def out(self, code: str | None, name: str) -> CatalogStats:
        return CatalogStats(
            department=code,
            department_name=name,
            resources=self.resources,
            drafts=self.drafts,
            items=self.items,
            share={
                t.value: Part(self.share[t.value], _percent(self.share[t.value], self.resources))
                for t in ShareType
            },
            open={
                t.value: Part(self.open[t.value], _percent(self.open[t.value], self.resources))
                for t in OpenType
            },
            assessed=self.assessed,
            late=self.late,
            lake_tables=self.lake_tables,
            catalogued_tables=self.catalogued,
            coverage=_percent(self.catalogued, self.lake_tables),
            matters=self.matters,
            matters_served=self.matters_served,
            matter_coverage=_percent(self.matters_served, self.matters),
        )


def _count_resources(session: Session, tallies: dict[int, _Tally]) -> None:
    published = ResourceStatus.PUBLISHED.value
    rows = session.execute(
        select(Resource.department_id, Resource.status, Resource.share_type, Resource.open_type, func.count())
        .where(Resource.status != ResourceStatus.RETIRED.value)
        .group_by(Resource.department_id, Resource.status, Resource.share_type, Resource.open_type)
    )
    for dept_id, status, share, open_, n in rows:
        tally = tallies[dept_id]
        if status == published:
            tally.resources += int(n)
            tally.share[share] += int(n)
            tally.open[open_] += int(n)
        else:
            tally.drafts += int(n)
    items = session.execute(
        select(Resource.department_id, func.count(Item.id))
        .join(Item, Item.resource_id == Resource.id)
        .where(Resource.status == published)
        .group_by(Resource.department_id)
    )
    for dept_id, n in items:
        tallies[dept_id].items += int(n)


def _last_commit(lake: Lake, ref: TableRef) -> dt.datetime | None:
    stamps = [float(h["timestamp"]) for h in lake.history(ref) if "timestamp" in h]
    return dt.datetime.fromtimestamp(max(stamps) / 1000, tz=dt.UTC) if stamps else None


def _late(
    session: Session,
    lake: Lake,
    actor: Actor,
    depts: dict[int, Department],
    tallies: dict[int, _Tally],
    now: dt.datetime,
) -> list[LateResource]:
    from govdata.ingest import Source, SourceTable  # the ingest pillar imports the catalog: import late
    from govdata.ingest.queries import CYCLE_MINUTES, grace_for, table_status

    statuses = table_status(session, actor, now=now)
    by_id = {s.table_id: s for s in statuses}
    by_key: dict[str, list[Any]] = defaultdict(list)
    for s in statuses:
        by_key[f"raw.{s.department}.{s.lake_table}"].append(s)
    linked: dict[int, list[Any]] = defaultdict(list)
    for table_id, resource_id in session.execute(
        select(SourceTable.id, SourceTable.resource_id)
        .join(Source, SourceTable.source_id == Source.id)
        .where(SourceTable.resource_id.is_not(None))
    ):
        if table_id in by_id:
            linked[resource_id].append(by_id[table_id])
    late: list[LateResource] = []
    published = session.execute(
        select(Resource).where(
            Resource.status == ResourceStatus.PUBLISHED.value, Resource.update_cycle.in_(list(CYCLE_MINUTES))
        )
    ).scalars()
    for res in published:
        tables = {s.table_id: s for s in linked.get(res.id, []) + by_key.get(res.lake_table or "", [])}
        if any(s.mode == "logical" for s in tables.values()):
            tallies[res.department_id].assessed += 1
            continue
        if tables:
            stamps = [s.last_success_at for s in tables.values() if s.last_success_at is not None]
            last = max(stamps) if stamps else None
        elif res.lake_table:
            ref = TableRef.parse(res.lake_table)
            last = _last_commit(lake, ref) if lake.exists(ref) else None
        else:
            continue  # neither a lake table nor a source: freshness cannot be judged
        cycle = dt.timedelta(minutes=CYCLE_MINUTES[res.update_cycle])
        since = last or _aware(res.published_at) or now
        due = since + cycle + grace_for(cycle)
        tallies[res.department_id].assessed += 1
        if now > due:
            tallies[res.department_id].late += 1
            dept = depts[res.department_id]
            late.append(LateResource(res.code, res.name, dept.code, dept.name, res.update_cycle, last, due))
    late.sort(key=lambda r: r.due_at)
    return late


def _coverage(session: Session, lake: Lake, depts: dict[int, Department], tallies: dict[int, _Tally]) -> int:
    """Fill lake and catalogued table counts per department; the number of all lake tables."""
    from govdata.ingest import Source, SourceTable

    live = Resource.status != ResourceStatus.RETIRED.value
    catalogued = {
        k
        for (k,) in session.execute(select(Resource.lake_table).where(live, Resource.lake_table.is_not(None)))
    }
    by_code = {d.code: d.id for d in depts.values()}
    for dept_id, table in session.execute(
        select(Source.department_id, SourceTable.lake_table)
        .join(Source, SourceTable.source_id == Source.id)
        .join(Resource, Resource.id == SourceTable.resource_id)
        .where(live)
    ):
        if dept_id in depts:
            catalogued.add(f"raw.{depts[dept_id].code}.{table}")
    refs = lake.tables()
    for ref in refs:
        if ref.dept in by_code:
            tally = tallies[by_code[ref.dept]]
            tally.lake_tables += 1
            tally.catalogued += ref.key in catalogued
    return len(refs)


def catalog_stats(
    session: Session, lake: Lake, actor: Actor, *, now: dt.datetime | None = None
) -> StatsReport:
    """Per-department and total catalog statistics, departments in code order.

    ``now`` (default: the current time, UTC) is the moment lateness is judged at.
    """
    actor.require(Permission.CATALOG_READ)
    now = _aware(now) or utcnow()
    depts = {d.id: d for d in session.execute(select(Department).order_by(Department.code)).scalars()}
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    _count_resources(session, tallies)
    late = _late(session, lake, actor, depts, tallies, now)
    lake_tables = _coverage(session, lake, depts, tallies)
    for dept_id, (registered, served) in matter_coverage(session).items():
        tallies[dept_id].matters, tallies[dept_id].matters_served = registered, served
    total = _Tally()
    for tally in tallies.values():
        total.add(tally)
    total.lake_tables = lake_tables  # tables of departments not (yet) registered count in the total
    report = StatsReport(
        generated_at=now,
        total=total.out(None, ""),
        departments=[tallies[d.id].out(d.code, d.name) for d in depts.values()],
        late_resources=late,
    )
    _source_coverage(session, actor, report)
    return report


def _source_coverage(session: Session, actor: Actor, report: StatsReport) -> None:
    from govdata.catalog.drafts import coverage, total_coverage

    rows = coverage(session, actor)
    by_code = {r.department: r for r in rows}
    for stats, row in [(d, by_code.get(d.department or "")) for d in report.departments] + [
        (report.total, total_coverage(rows))
    ]:
        if row is not None:
            stats.source_tables, stats.source_catalogued = row.tables, row.catalogued
            stats.source_coverage = row.percent
