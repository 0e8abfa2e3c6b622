"""Stored profiles through the platform: after each load (the pipeline's profile step), on demand,
one snapshot per version with history, masking from the catalog, permissions and audit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import select
from tests.conftest import SECRET, Org
from tests.govern.quality_seed import CODE, REF, people_with_defects, publish

from govdata.catalog import get_resource
from govdata.errors import InvalidInput, NotFound, PermissionDenied
from govdata.govern.pipeline import steps
from govdata.govern.profiling import profile_history, profile_resource, read_profile
from govdata.govern.profiling.models import ProfileSnapshot
from govdata.ingest.models import SourceTable
from govdata.ingest.runner import run_table
from govdata.ingest.service import add_table, register_source
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

SYSTEM = Actor.system("test")
USER = Actor(username="mzj_user", role="data_user", department_code="mzj")
OFFICER = Actor(username="gaj_officer", role="data_officer", department_code="gaj")


def _actions(platform: Platform) -> list[str]:
    with platform.sessions() as s:
        return list(s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)))


def test_profile_step_runs_after_quality() -> None:
    names = [name for name, _ in steps()]
    assert names[-1] == "profile" and names.index("quality") < names.index("profile")


def test_each_load_stores_a_profile_of_its_version(platform: Platform, org: Org, tmp_path: Path) -> None:
    people = people_with_defects(120, bad_ids=3, blank_names=10).drop_columns(["_source_row"])
    db = tmp_path / "gaj.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid TEXT PRIMARY KEY, xm TEXT, sfzh TEXT, lxdh TEXT)")
        con.executemany("INSERT INTO rk VALUES (?, ?, ?, ?)", zip(*people.to_pydict().values(), strict=True))
    publish(platform, people, lake_table="raw.gaj.rk_p")
    with platform.unit() as s:
        src = register_source(
            s,
            platform.audit,
            SYSTEM,
            "gaj",
            "人口库",
            "sql",
            {"url": f"sqlite:///{db}", "table": "rk"},
            secret_key=SECRET,
        )
        table_id = add_table(s, platform.audit, SYSTEM, src.id, "rk", "rk_p", resource_code=CODE).id
    for _ in range(2):
        with platform.sessions() as s:
            table = s.get(SourceTable, table_id)
            assert table is not None
            run = run_table(s, platform.lake, platform.audit, SYSTEM, table, secret_key=SECRET)
            assert run.status == "succeeded"
        with sqlite3.connect(db) as con:
            con.execute("UPDATE rk SET xm = NULL WHERE rowid <= 20")
    with platform.sessions() as s:
        snaps = list(s.scalars(select(ProfileSnapshot).order_by(ProfileSnapshot.lake_version)))
        assert [(p.table_key, p.rows) for p in snaps] == [("raw.gaj.rk_p", 120)] * 2
        assert snaps[0].lake_version < snaps[1].lake_version
        assert all(p.profiled_by == "system:govern" for p in snaps)
        xm = next(c for c in snaps[0].columns if c["name"] == "xm")
        assert xm["nulls"] == 10 and xm["masked"]
    assert _actions(platform).count("profile.created") == 2
    with platform.unit() as s:
        out = read_profile(s, platform.lake, platform.audit, OFFICER, CODE)
        assert out.metadata is not None and out.metadata.freshness.last_success_at is not None
        assert out.metadata.freshness.state == "fresh" and out.metadata.freshness.update_cycle == "daily"


@pytest.fixture
def published(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(40, bad_ids=2, blank_names=4))


def test_refresh_history_and_metadata(platform: Platform, published: None) -> None:
    with platform.unit() as s:
        profile_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
        profile_resource(
            s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE)
        )  # same version: replaced
    platform.lake.write(REF, people_with_defects(50, bad_ids=0, blank_names=25))
    with platform.unit() as s:
        profile_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
        assert len(list(s.scalars(select(ProfileSnapshot)))) == 2
        out = read_profile(s, platform.lake, platform.audit, OFFICER, CODE)
        assert (out.lake_version, out.rows, out.columns_visible) == (1, 50, True)
        assert out.columns is not None and [c.name for c in out.columns] == ["rkid", "xm", "sfzh", "lxdh"]
        meta = out.metadata
        assert meta is not None
        assert (meta.rows, meta.versions, meta.latest.version, meta.partition_columns) == (50, 2, 1, [])
        assert meta.files >= 1 and meta.bytes > 0 and meta.latest.operation == "WRITE"
        assert meta.latest.timestamp is not None
        assert meta.freshness.state == "unknown"  # written directly, not by an ingest run
        assert {"name": "sfzh", "type": "string"} in meta.columns
        history = profile_history(s, platform.audit, OFFICER, CODE, "xm")
        assert [(p.lake_version, p.rows) for p in history.points] == [(0, 40), (1, 50)]
        assert [p.column.null_share for p in history.points if p.column] == [0.1, 0.5]
        with pytest.raises(InvalidInput) as err:
            profile_history(s, platform.audit, OFFICER, CODE, "nope")
        assert err.value.code == "govern.profile.unknown_column"
    actions = _actions(platform)
    assert actions.count("profile.created") == 3 and "profile.read" in actions
    assert "profile.history_read" in actions


def test_catalog_readers_see_metadata_but_not_columns(platform: Platform, published: None) -> None:
    with platform.unit() as s:
        profile_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
        out = read_profile(s, platform.lake, platform.audit, USER, CODE)
        assert out.metadata is not None and out.rows == 40
        assert out.columns is None and not out.columns_visible
        assert profile_history(s, platform.audit, USER, CODE).points[0].column is None
        with pytest.raises(PermissionDenied):
            profile_history(s, platform.audit, USER, CODE, "xm")
        with pytest.raises(PermissionDenied):
            profile_resource(s, platform.lake, platform.audit, USER, get_resource(s, CODE))
        admin = Actor(username="sysadmin", role="system_admin")
        with pytest.raises(PermissionDenied):
            read_profile(s, platform.lake, platform.audit, admin, CODE)


def test_sensitive_and_undeclared_columns_never_show_raw_values(platform: Platform, org: Org) -> None:
    table = people_with_defects(30, bad_ids=0).append_column("secret", [["机密"] * 30])
    publish(platform, table)
    with platform.unit() as s:
        snap = profile_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
        cols = {c["name"]: c for c in snap.columns}
    raw = str(snap.columns)
    for value in [*table.column("sfzh").to_pylist(), *table.column("lxdh").to_pylist(), "机密"]:
        assert value not in raw
    assert cols["secret"]["top_values"] == [{"value": "****", "count": 30}]  # no catalog item: masked in full
    assert not cols["rkid"]["masked"] and cols["rkid"]["top_values"][0]["value"].startswith("R")


def test_a_resource_without_a_lake_table_is_refused(platform: Platform, org: Org) -> None:
    publish(platform, people_with_defects(5, bad_ids=0), lake_table="raw.gaj.never_loaded")
    with platform.unit() as s:
        out = read_profile(s, platform.lake, platform.audit, OFFICER, CODE)
        assert out.metadata is None and out.columns is None
        with pytest.raises(NotFound):
            profile_resource(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))


def test_cli_profiles_by_code_or_table(platform: Platform, published: None) -> None:
    import json

    from typer.testing import CliRunner

    from govdata.cli.main import app as cli

    url, wide = platform.settings.database_url or "", "250"  # a wide terminal: the table is not wrapped
    env = {"GOVDATA_DATABASE_URL": url, "GOVDATA_SECRET_KEY": SECRET, "COLUMNS": wide}
    home = ["--home", str(platform.settings.home)]
    runner = CliRunner()
    shown = runner.invoke(cli, ["govern", "profile", CODE, *home], env=env)
    assert shown.exit_code == 0, shown.output
    assert "sfzh" in shown.stdout and "99999999999999999" in shown.stdout
    as_json = runner.invoke(cli, ["govern", "profile", REF.key, "--json", *home], env=env)
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert (body["resource"], body["rows"], body["metadata"]["rows"]) == (CODE, 40, 40)
    missing = runner.invoke(cli, ["govern", "profile", "raw.gaj.nothing", *home], env=env)
    assert missing.exit_code == 1 and "raw.gaj.nothing" in missing.output


def test_a_small_increment_of_a_large_table_keeps_its_profile(
    platform: Platform, org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``PROFILE_ALWAYS_ROWS`` a load is followed by a profile only once the rows changed since
    the last one pass ``PROFILE_CHANGE_SHARE`` of the table, its columns changed, or it is a day old."""
    import datetime as dt

    from govdata.govern.profiling import service

    monkeypatch.setattr(service, "PROFILE_ALWAYS_ROWS", 100)  # the 120-row table counts as large
    people = people_with_defects(120, bad_ids=3, blank_names=10).drop_columns(["_source_row"])
    db = tmp_path / "gaj.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE rk (rkid TEXT PRIMARY KEY, xm TEXT, sfzh TEXT, lxdh TEXT, seq INTEGER)")
        rows = zip(*people.to_pydict().values(), range(120), strict=True)
        con.executemany("INSERT INTO rk VALUES (?, ?, ?, ?, ?)", rows)
    publish(platform, people, lake_table="raw.gaj.rk_p")
    with platform.unit() as s:
        src = register_source(
            s, platform.audit, SYSTEM, "gaj", "人口库", "sql", {"url": f"sqlite:///{db}", "table": "rk"},
            secret_key=SECRET,
        )  # fmt: skip
        table_id = add_table(
            s, platform.audit, SYSTEM, src.id, "rk", "rk_p", key_columns=["rkid"], mode="incremental",
            cursor_column="seq", resource_code=CODE,
        ).id  # fmt: skip

    def change(n: int) -> list[int]:
        """Change ``n`` more rows at the source, load, and return the profiled versions."""
        if n:
            with sqlite3.connect(db) as con:
                top = con.execute("SELECT max(seq) FROM rk").fetchone()[0]
                con.execute(f"UPDATE rk SET xm = '改', seq = seq + {top} WHERE rowid <= {n}")  # noqa: S608
        with platform.sessions() as s:
            table = s.get(SourceTable, table_id)
            assert table is not None
            assert (
                run_table(s, platform.lake, platform.audit, SYSTEM, table, secret_key=SECRET).status
                == "succeeded"
            )
        with platform.sessions() as s:
            return [
                p.lake_version
                for p in s.scalars(select(ProfileSnapshot).order_by(ProfileSnapshot.lake_version))
            ]

    first = change(0)
    assert len(first) == 1  # the first load: no profile yet
    assert change(3) == first  # 3 rows (+1 at the cursor's boundary) of 120: under 5 %
    later = change(4)  # 3 + 4 (+ boundary rows) passes 5 %: the profile is retaken
    assert len(later) == 2 and later[0] == first[0]
    assert change(2) == later  # counted again from the new profile
    with platform.sessions() as s:  # a profile a day old is retaken after the next load, however small
        newest = s.scalars(select(ProfileSnapshot).order_by(ProfileSnapshot.lake_version.desc())).first()
        assert newest is not None
        newest.profiled_at -= dt.timedelta(days=1)
        s.commit()
    assert len(change(1)) == 3
    with platform.sessions() as s:
        ref = TableRef.parse("raw.gaj.rk_p")
        assert service.profile_due(s, platform.lake, ref, table_id) is None
        wider = platform.lake.dataset(ref).to_table().append_column("extra", pa.array(["x"] * 120))
        platform.lake.write(ref, wider, mode="overwrite")
        assert service.profile_due(s, platform.lake, ref, table_id) == "columns"
