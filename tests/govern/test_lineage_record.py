"""Recording lineage: idempotent edges, refresh by the newest run, cycles refused, self-loops as versions."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from govdata.errors import InvalidInput
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.govern.lineage.models import (
    LineageColumnEdge,
    LineageDataset,
    LineageEdge,
    LineageJob,
    LineageRun,
)
from govdata.runtime import Platform


def _count(s, model) -> int:  # type: ignore[no-untyped-def]
    return int(s.scalar(select(func.count()).select_from(model)))


def test_the_same_edges_twice_are_kept_once_and_point_at_the_newest_run(platform: Platform) -> None:
    edges = [
        ColumnEdge("raw.gaj.rk", "sfzh", "std.gaj.rk", "sfzh", "id_number_18"),
        ColumnEdge("raw.gaj.rk", "xm", "std.gaj.rk", "xm"),
    ]
    with platform.unit() as s:
        first = record_lineage(
            s,
            job="standardize:std.gaj.rk",
            kind="standardize",
            inputs=["raw.gaj.rk"],
            outputs=["std.gaj.rk"],
            column_edges=edges,
            version=1,
        )
        second = record_lineage(
            s,
            job="standardize:std.gaj.rk",
            kind="standardize",
            inputs=["raw.gaj.rk"],
            outputs=["std.gaj.rk"],
            column_edges=edges,
            version=2,
        )
        assert first.run_uuid != second.run_uuid
        assert (_count(s, LineageEdge), _count(s, LineageColumnEdge), _count(s, LineageRun)) == (1, 2, 2)
        assert {e.run_id for e in s.scalars(select(LineageColumnEdge))} == {second.id}
        dept = s.scalar(select(LineageDataset.department).where(LineageDataset.name == "std.gaj.rk"))
        assert dept == "gaj"


def test_a_new_run_drops_the_column_edges_the_job_no_longer_makes(platform: Platform) -> None:
    with platform.unit() as s:
        record_lineage(
            s,
            job="j",
            kind="ingest",
            inputs=[],
            outputs=[],
            column_edges=[
                ColumnEdge("source:db/t", "a", "raw.x.t", "a"),
                ColumnEdge("source:db/t", "b", "raw.x.t", "b"),
            ],
        )
        record_lineage(
            s,
            job="j",
            kind="ingest",
            inputs=[],
            outputs=[],
            column_edges=[ColumnEdge("source:db/t", "a", "raw.x.t", "a")],
        )
        assert [e.source_column for e in s.scalars(select(LineageColumnEdge))] == ["a"]


def test_an_edge_that_makes_a_dataset_its_own_ancestor_is_refused_naming_the_path(platform: Platform) -> None:
    with platform.unit() as s:
        record_lineage(s, job="a", kind="standardize", inputs=["raw.x.a"], outputs=["std.x.a"])
        record_lineage(s, job="b", kind="merge", inputs=["std.x.a"], outputs=["base.x.a"])
    with platform.unit() as s, pytest.raises(InvalidInput) as err:
        record_lineage(s, job="c", kind="merge", inputs=["base.x.a"], outputs=["raw.x.a"])
    assert err.value.code == "govern.lineage.cycle"
    assert err.value.params["path"] == "base.x.a → raw.x.a → std.x.a → base.x.a"
    assert "cycle" in err.value.message("en") and "环路" in err.value.message("zh")
    with platform.sessions() as s:
        assert _count(s, LineageEdge) == 2  # nothing of the refused run was kept


def test_a_job_that_reads_and_writes_one_table_is_a_version_not_a_cycle(platform: Platform) -> None:
    with platform.unit() as s:
        run = record_lineage(
            s,
            job="merge:base.x.p",
            kind="merge",
            inputs=["base.x.p", "std.x.p"],
            outputs=["base.x.p"],
            version=7,
        )
        assert [(e.source_id, e.target_id) for e in s.scalars(select(LineageEdge))] == [
            (
                s.scalar(select(LineageDataset.id).where(LineageDataset.name == "std.x.p")),
                s.scalar(select(LineageDataset.id).where(LineageDataset.name == "base.x.p")),
            )
        ]
        assert run.version == 7
        assert {d["name"] for d in run.event["inputs"]} == {"base.x.p", "std.x.p"}


@pytest.mark.parametrize(
    ("kind", "name", "code"),
    [("copy", "raw.x.t", "govern.lineage.bad_job_kind"), ("merge", " ", "govern.lineage.bad_name")],
)
def test_bad_job_kinds_and_names_are_refused(platform: Platform, kind: str, name: str, code: str) -> None:
    with platform.unit() as s, pytest.raises(InvalidInput) as err:
        record_lineage(s, job="j", kind=kind, inputs=[name], outputs=["std.x.t"])
    assert err.value.code == code


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for nxt in graph.get(node, set()) - seen:
            seen.add(nxt)
            stack.append(nxt)
    return False


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=14))
def test_an_edge_is_refused_exactly_when_it_would_close_a_cycle(
    platform: Platform, hops: list[tuple[int, int]]
) -> None:
    prefix = uuid.uuid4().hex[:8]  # each example its own datasets and jobs (the store is shared)
    accepted: dict[str, set[str]] = {}
    with platform.unit() as s:
        for n, (a, b) in enumerate(hops):
            src, dst = f"std.h{prefix}.t{a}", f"std.h{prefix}.t{b}"
            closes = src != dst and _reaches(accepted, dst, src)
            try:
                record_lineage(s, job=f"{prefix} {n}", kind="merge", inputs=[src], outputs=[dst])
            except InvalidInput as exc:
                assert closes and exc.code == "govern.lineage.cycle", (src, dst, exc)
                assert exc.params["path"].startswith(f"{src} → {dst}") and exc.params["path"].endswith(src)
                continue
            assert not closes, (src, dst)
            if src != dst:
                accepted.setdefault(src, set()).add(dst)
        ours = select(LineageEdge.source_id, LineageEdge.target_id).join(LineageJob)
        pairs = {
            (row.source_id, row.target_id)
            for row in s.execute(ours.where(LineageJob.name.startswith(prefix)))
        }
        assert len(pairs) == sum(len(v) for v in accepted.values())  # one edge per pair and job


def test_an_empty_or_overlong_column_name_is_refused(platform: Platform) -> None:
    for column in ("", "c" * 201):
        with platform.unit() as s, pytest.raises(InvalidInput) as err:
            record_lineage(s, job="j", kind="ingest", inputs=[], outputs=[],
                           column_edges=[ColumnEdge("source:x/db/t", column, "raw.x.t", "a")])  # fmt: skip
        assert (err.value.code, err.value.params["field"]) == ("govern.lineage.bad_name", "column")
