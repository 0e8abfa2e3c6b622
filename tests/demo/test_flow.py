"""The whole thin path on the demo city: catalogue, aggregate, check, share, open, report, audit.

One city is built per worker (``govdata demo --no-serve`` through the CLI, on the metadata backend
under test) and read by every test here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from tests.conftest import fresh_metadata_url
from typer.testing import CliRunner

from govdata.cli.main import app as cli
from govdata.config import Settings
from govdata.demo import DemoManifest
from govdata.demo.flow import DEMO_PASSWORD
from govdata.demo.manifest import Defect
from govdata.govern.quality import RuleBinding, failing_keys
from govdata.govern.service import catalog_bindings
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.models import AuditRecord

runner = CliRunner()


@dataclass
class Built:
    home: Path
    env: dict[str, str]
    platform: Platform
    manifest: DemoManifest


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Built]:
    home = tmp_path_factory.mktemp("demo-home")
    url = fresh_metadata_url(tmp_path_factory, f"demo_{worker_id}")
    env = {"GOVDATA_DATABASE_URL": url, "GOVDATA_HOME": str(home)}
    result = runner.invoke(cli, ["demo", "--home", str(home), "--no-serve"], env=env)
    assert result.exit_code == 0, result.output
    assert "gaj_officer" in result.output and DEMO_PASSWORD in result.output
    platform = Platform.open(Settings(home=home, database_url=url))
    yield Built(home, env, platform, DemoManifest.load(home / "demo" / "manifest.json"))
    platform.close()


def test_stats_report_every_department_table_and_record(built: Built) -> None:
    result = runner.invoke(cli, ["stats", "--home", str(built.home), "--json"], env=built.env)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    m = built.manifest
    assert stats["departments"] == len(m.departments) >= 7
    assert stats["resources"] == stats["tables"] == len(m.sources)
    assert stats["records"] == sum(m.truth.row_counts[s.lake_table] for s in m.sources)
    assert stats["fields"] == sum(len(s.resource["items"]) for s in m.sources)


def test_the_city_and_its_districts_are_regions(built: Built) -> None:
    from govdata.security.models import Region

    with built.platform.sessions() as s:
        districts = s.execute(sa.select(Region).where(Region.parent_code == "330100")).scalars().all()
        city = s.get(Region, "330100")
    assert city is not None and city.name == "示例市" and city.parent_code == "330000"
    assert len(districts) >= 10 and all(len(d.code) == 6 for d in districts)


def test_every_catalogued_item_is_a_column_of_its_lake_table(built: Built) -> None:
    for src in built.manifest.sources:
        names = set(built.platform.lake.schema(TableRef("raw", src.dept, src.lake_table)).names)
        missing = [i["column"] for i in src.resource["items"] if i["column"] not in names]
        assert not missing, (src.lake_table, missing)


RULE_OF = {
    "bad_checksum": None,
    "id15": "id_number",
    "null": "not_null",
    "duplicate": "uniqueness",
    "birth_mismatch": "id_birth_date",  # derived: the birth_date element's rule, with the table's ID
    "gender_mismatch": "id_gender",  # derived: the gender element's rule, with the table's ID
    "dangling": "referential",  # stored: the demo binds it across departments (DEMO_RULES)
}
CROSS = ("birth_mismatch", "gender_mismatch", "dangling")


def _binding_of(built: Built, d: Defect) -> tuple[TableRef, RuleBinding]:
    """The effective binding that should find defect ``d``: its rule, on its column (the last one of
    a cross-field rule, whose first is the identity number)."""
    from govdata.catalog import get_resource

    src = built.manifest.source(d.table)
    ref = TableRef("raw", src.dept, src.lake_table)
    with built.platform.sessions() as s:
        resource = get_resource(s, src.resource["code"])
        bindings = catalog_bindings(resource, built.platform.lake.schema(ref))
    rule = RULE_OF[d.kind] or ("uscc" if "shxydm" in d.column else "id_number")
    return ref, next(b for b in bindings if b.rule_name == rule and b.columns[-1] == d.column)


@pytest.mark.parametrize("kind", sorted(RULE_OF))
def test_planted_defects_are_all_found_and_no_clean_row_is_flagged(built: Built, kind: str) -> None:
    defects = [d for d in built.manifest.defects if d.kind == kind]
    assert defects, f"the demo plants no {kind} defects"
    for d in defects:
        ref, binding = _binding_of(built, d)
        key = built.manifest.source(d.table).key
        reason = {"bad_checksum": "check_char", "id15": "id15"}.get(kind)
        found = failing_keys(built.platform.lake, ref, binding, [key], reason=reason)
        got = sorted(str(k) for k in found.column(key).to_pylist())
        assert got == sorted(str(k) for k in d.keys), (d.table, d.column, kind)


def test_cross_field_and_cross_department_defects_raise_issues_with_every_key(built: Built) -> None:
    """The demo's own governance — no binding made by the test — opens one issue per planted kind
    and table of the consistency and referential defects, counting exactly the planted rows."""
    from govdata.govern import issues
    from govdata.security.actor import Actor

    with built.platform.sessions() as s:
        page = issues.list_issues(s, Actor.system("test"), limit=1000)
    opened = {(i.table_key, i.rule, tuple(i.columns)): i for i in page.items}
    defects = [d for d in built.manifest.defects if d.kind in CROSS]
    assert {d.kind for d in defects} == set(CROSS)
    for d in defects:
        ref, binding = _binding_of(built, d)
        issue = opened[(ref.key, binding.rule_name, binding.columns)]
        assert (issue.status, issue.failed_rows) == ("open", len(d.keys)), (d.table, d.kind)
        assert issue.reasons == {"dangling" if d.kind == "dangling" else "mismatch": len(d.keys)}


def test_quality_scores_are_stored_per_table(built: Built) -> None:
    from govdata.govern import latest_runs

    with built.platform.sessions() as s:
        runs = {r.table_key: r for r in latest_runs(s)}
    assert set(runs) == {f"raw.{s.dept}.{s.lake_table}" for s in built.manifest.sources}
    registry = runs["raw.gaj.hj_rk"]
    assert registry.score is not None and 90 < registry.score < 100
    samples = next(c for c in registry.checks if c.rule == "id_number").samples
    # Samples point at the failing rows by key and source row; they carry no personal data.
    assert samples and all(set(x) == {"_source_row", "rkid"} for x in samples)


@pytest.fixture(scope="module")
def api(built: Built) -> Iterator[TestClient]:
    from govdata.web.app import create_app

    with TestClient(create_app(built.platform.settings, built.platform)) as c:
        yield c


def _login(api: TestClient, username: str) -> dict[str, str]:
    resp = api.post("/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD})
    assert resp.status_code == 200, resp.text
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}


def test_granted_consumer_reads_masked_fields_and_others_get_403(built: Built, api: TestClient) -> None:
    src = built.manifest.source("hj_rk")
    code = src.resource["code"]
    with built.platform.lake.connect(t=TableRef("raw", "gaj", "hj_rk")) as con:
        rkid, sfzh = con.execute("SELECT rkid, sfzh FROM t WHERE length(sfzh) = 18 LIMIT 1").fetchone()
    resp = api.get(
        f"/api/v1/share/resources/{code}/records", params={"key": rkid}, headers=_login(api, "mzj_user")
    )
    assert resp.status_code == 200, resp.text
    row = resp.json()["rows"][0]
    assert row["sfzh"] == sfzh[:6] + "*" * 8 + sfzh[-4:]
    resp = api.get(
        f"/api/v1/share/resources/{code}/records", params={"key": rkid}, headers=_login(api, "rsj_officer")
    )
    assert resp.status_code == 403


def test_open_data_lists_and_downloads_only_open_resources(built: Built, api: TestClient) -> None:
    listed = api.get("/api/v1/open/resources").json()
    expected = {s.resource["code"] for s in built.manifest.sources if s.resource["open_type"] == "无条件开放"}
    assert expected and {r["code"] for r in listed} == expected
    code = sorted(expected)[0]
    resp = api.get(f"/api/v1/open/resources/{code}/download.csv")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    lines = resp.content.decode("utf-8-sig").splitlines()
    src = next(s for s in built.manifest.sources if s.resource["code"] == code)
    assert len(lines) == built.manifest.truth.row_counts[src.lake_table] + 1
    closed = next(s for s in built.manifest.sources if s.resource["open_type"] == "不予开放")
    assert api.get(f"/api/v1/open/resources/{closed.resource['code']}/download.csv").status_code == 404


def test_audit_verify_passes_then_fails_after_one_row_is_edited(built: Built) -> None:
    ok = runner.invoke(cli, ["audit", "verify", "--home", str(built.home)], env=built.env)
    assert ok.exit_code == 0, ok.output
    with built.platform.engine.begin() as conn:
        conn.execute(sa.update(AuditRecord).where(AuditRecord.seq == 5).values(actor="intruder"))
    broken = runner.invoke(cli, ["audit", "verify", "--home", str(built.home), "--json"], env=built.env)
    assert broken.exit_code == 1
    assert json.loads(broken.output) == {"ok": False, "records": 4, "broken_seq": 5, "reason": "modified"}


def test_demo_refuses_to_overwrite_an_existing_platform(built: Built) -> None:
    again = runner.invoke(cli, ["demo", "--home", str(built.home), "--no-serve"], env=built.env)
    assert again.exit_code == 1


def test_overview_page_shows_quality_scores_and_recent_runs(built: Built, api: TestClient) -> None:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(api.get("/", headers=_login(api, "sjj_admin")).text, "html.parser")
    scores = page.select("#quality-section tbody tr")
    providers = {s.dept for s in built.manifest.sources}
    assert len(scores) == len(providers)
    runs = page.select("#runs-section tbody tr")
    assert runs and all(r.select_one(".badge-outcome-ok") for r in runs)


def test_a_corrupt_department_file_is_reported_and_the_rest_still_loads(tmp_path, monkeypatch) -> None:
    """The GBK marriages file truncated mid-character: a clear bilingual reason, nothing written for it."""
    from govdata.demo import flow

    real_generate = flow.generate

    def broken(out_dir, **kw):  # type: ignore[no-untyped-def]
        manifest = real_generate(out_dir, **kw)
        path = Path(manifest.source("hy_djxx").config["path"])
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"\xff\xfe\xfd")
        return manifest

    monkeypatch.setattr(flow, "generate", broken)
    platform = Platform.open(Settings(home=tmp_path / "home"))
    try:
        result = flow.build_demo(platform)
        assert len(result.failed) == 1 and result.failed[0].startswith("mzj.hy_djxx: ")
        assert "编码" in result.failed[0] or "encoding" in result.failed[0].lower()
        assert not platform.lake.exists(TableRef("raw", "mzj", "hy_djxx"))
        assert result.loaded == len(result.manifest.sources) - 1
    finally:
        platform.close()


def test_the_city_stays_fresh_incremental_readings_and_registry_deletes(built: Built) -> None:
    """After the demo, the sources change; `govdata ingest run` brings exactly those changes in.

    Runs last in this module: it changes the shared city.
    """
    import sqlite3

    def sqlite_path(table: str) -> str:
        return built.manifest.source(table).config["url"].split("///", 1)[1]

    def lake_rows(dept: str, table: str) -> int:
        return built.platform.lake.count(TableRef("raw", dept, table))

    readings_before = lake_rows("jtj", "jt_llsj")
    registry_before = lake_rows("gaj", "hj_rk")
    with sqlite3.connect(sqlite_path("jt_llsj")) as con:
        con.row_factory = sqlite3.Row
        last = dict(con.execute("SELECT * FROM jt_llsj ORDER BY cjsj DESC, jlid DESC LIMIT 1").fetchone())
        cols = list(last)
        key = "jlid"
        for i, when in enumerate([last["cjsj"], "2099-01-01 00:00:00", "2099-01-01 00:05:00"]):
            row = {
                **last,
                key: f"{last[key]}-n{i}" if isinstance(last[key], str) else last[key] + 10_000 + i,
                "cjsj": when,
            }
            con.execute(
                f"INSERT INTO jt_llsj ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",  # noqa: S608
                [row[c] for c in cols],
            )
    with sqlite3.connect(sqlite_path("hj_rk")) as con:
        gone = [r[0] for r in con.execute("SELECT rkid FROM hj_rk ORDER BY rkid LIMIT 2")]
        con.execute("DELETE FROM hj_rk WHERE rkid IN (?, ?)", gone)
        con.execute("UPDATE hj_rk SET xm = '测试改名' WHERE rkid = (SELECT min(rkid) FROM hj_rk)")

    for table in ("jt_llsj", "hj_rk"):
        name = built.manifest.source(table).name
        result = runner.invoke(
            cli, ["ingest", "run", name, "--home", str(built.home), "--json"], env=built.env
        )
        assert result.exit_code == 0, result.output

    # Three new readings, one of them sharing the last reading time: none lost, none doubled.
    assert lake_rows("jtj", "jt_llsj") == readings_before + 3
    assert lake_rows("gaj", "hj_rk") == registry_before - 2
    with built.platform.lake.connect(t=TableRef("raw", "gaj", "hj_rk")) as con:
        assert con.execute("SELECT count(*) FROM t WHERE xm = '测试改名'").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM t WHERE rkid IN (?, ?)", gone).fetchone() == (0,)
