"""File intake end to end: upload (service, API, CLI), a watched drop folder loaded by the scheduler's
tick, and a URL fetched from a real local HTTP server before each run."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from govdata.cli.main import app as cli
from govdata.ingest.intake import IntakeOptions, set_intake, upload
from govdata.ingest.models import IngestRun, Source, SourceTable
from govdata.ingest.scheduler import Scheduler
from govdata.ingest.service import run_now
from govdata.lake import TableRef
from govdata.runtime import Platform
from tests.conftest import SECRET, Org
from tests.ingest.ops_seed import GOOD_CSV, csv_table, officer

API = "/api/v1/ingest"
MORE_CSV = GOOD_CSV + "11010519491231002X,赵六\n"


def _runs(platform: Platform, table_id: int) -> list[IngestRun]:
    with platform.sessions() as s:
        return list(s.query(IngestRun).filter_by(source_table_id=table_id).order_by(IngestRun.id))


def _rows(platform: Platform, name: str) -> int:
    return platform.lake.count(TableRef("raw", "gaj", name))


def _options(platform: Platform) -> IntakeOptions:
    return IntakeOptions.from_settings(platform.settings)


def _aged(path: Path, content: str, seconds_ago: float = 60) -> Path:
    """Write ``content`` and date it in the past, as a file whose copy finished long ago."""
    path.write_text(content, encoding="utf-8")
    past = time.time() - seconds_ago
    os.utime(path, (past, past))
    return path


def test_upload_points_the_source_at_the_stored_file(platform: Platform, org: Org, tmp_path: Path) -> None:
    table = csv_table(platform, org, tmp_path, "hukou")
    actor = officer(org)
    with platform.unit() as s:
        done = upload(
            s,
            platform.audit,
            actor,
            table.source_id,
            "户籍.csv",
            MORE_CSV.encode(),
            options=_options(platform),
        )
    stored = platform.settings.home / "intake" / "gaj" / str(table.source_id) / "户籍.csv"
    assert done.file.path == stored and stored.read_text(encoding="utf-8") == MORE_CSV
    assert done.table_ids == [table.id] and not done.unchanged
    with platform.sessions() as s:
        assert s.get(Source, table.source_id).config["path"] == str(stored)  # type: ignore[union-attr]
    run = run_now(platform.sessions, platform.lake, platform.audit, actor, table.id, secret_key=SECRET)
    assert run.rows_written == 4 and _rows(platform, "hukou") == 4
    with platform.unit() as s:  # the same file again: nothing to load
        again = upload(
            s,
            platform.audit,
            actor,
            table.source_id,
            "户籍.csv",
            MORE_CSV.encode(),
            options=_options(platform),
        )
    assert again.unchanged


def test_upload_api_runs_now_and_refuses_too_large_and_other_departments(
    client: TestClient,
    token,
    platform: Platform,
    org: Org,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    table = csv_table(platform, org, tmp_path, "hukou")
    gaj = token("gaj_officer")
    resp = client.post(
        f"{API}/sources/{table.source_id}/upload",
        files={"file": ("people.csv", MORE_CSV.encode(), "text/csv")},
        headers=gaj,
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["started"] == [table.id] and body["queued"] == [] and not body["unchanged"]
    [run] = _runs(platform, table.id)  # the background task ran within the request here
    assert run.status == "succeeded" and run.rows_written == 4

    again = client.post(
        f"{API}/sources/{table.source_id}/upload",
        files={"file": ("people.csv", MORE_CSV.encode())},
        headers=gaj,
    ).json()
    assert again["unchanged"] and again["started"] == [] and len(_runs(platform, table.id)) == 1

    # a file that is not text in any supported encoding: stored, and the run reports why
    resp = client.post(
        f"{API}/sources/{table.source_id}/upload",
        files={"file": ("people.csv", b"\x80\x81\xff\xfe\xfd" * 50)},
        headers=gaj,
    )
    assert resp.status_code == 201
    last = _runs(platform, table.id)[-1]
    assert last.status == "failed" and last.error_code == "ingest.bad_encoding"
    assert _rows(platform, "hukou") == 4  # the lake keeps the good version

    platform.settings.ingest.upload_max_mb = 1
    resp = client.post(
        f"{API}/sources/{table.source_id}/upload",
        files={"file": ("big.csv", b"x" * (1024 * 1024 + 10))},
        headers=gaj,
    )
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "ingest.file_too_large"
    assert resp.json()["error"]["hint"]

    mzj = token("mzj_officer")
    resp = client.post(
        f"{API}/sources/{table.source_id}/upload", files={"file": ("x.csv", GOOD_CSV.encode())}, headers=mzj
    )
    assert resp.status_code == 403


def test_upload_is_for_file_sources_only(client: TestClient, token, org: Org) -> None:  # type: ignore[no-untyped-def]
    gaj = token("gaj_officer")
    resp = client.post(
        f"{API}/sources",
        json={"department": "gaj", "name": "push", "connector": "push", "config": {}},
        headers=gaj,
    )
    assert resp.status_code == 201, resp.text
    resp = client.post(
        f"{API}/sources/{resp.json()['id']}/upload", files={"file": ("a.csv", GOOD_CSV.encode())}, headers=gaj
    )
    assert resp.json()["error"]["code"] == "ingest.intake_not_file"


def test_watched_folder_loads_new_and_changed_files_once(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "drop", schedule_minutes=None)
    drop = tmp_path / "drop"
    drop.mkdir()
    with platform.unit() as s:
        settings = set_intake(
            s, platform.audit, officer(org), table.id, options=_options(platform), watch=True, folder=str(drop),
            pattern="*.csv",
        )  # fmt: skip
    assert settings["kind"] == "watch"
    scheduler = Scheduler(platform)
    assert scheduler.tick() == []  # empty folder: nothing to do

    _aged(drop / "day1.csv", GOOD_CSV)
    (drop / "notes.txt").write_text("not data", encoding="utf-8")
    [result] = scheduler.tick()
    assert result.status == "succeeded" and _rows(platform, "drop") == 3
    assert scheduler.tick() == []  # the same file again: no new run
    assert len(_runs(platform, table.id)) == 1

    _aged(drop / "day1.csv", MORE_CSV, seconds_ago=30)  # changed content
    [result] = scheduler.tick()
    assert result.status == "succeeded" and _rows(platform, "drop") == 4

    (drop / "day2.csv").write_text(GOOD_CSV, encoding="utf-8")  # still being copied: waits
    assert scheduler.tick() == []
    os.utime(drop / "day2.csv", (time.time() - 60, time.time() - 60))
    [result] = scheduler.tick()
    assert result.status == "succeeded" and len(_runs(platform, table.id)) == 3
    with platform.sessions() as s:
        t = s.get(SourceTable, table.id)
        assert t is not None and set(t.state["drop_files"]) == {"day1.csv", "day2.csv"}
        assert t.source.config["path"] == str(drop / "day2.csv") and t.lease_owner is None


def test_a_bad_dropped_file_fails_once_and_the_next_good_one_loads(
    platform: Platform, org: Org, tmp_path: Path
) -> None:
    table = csv_table(platform, org, tmp_path, "drop2", schedule_minutes=None)
    drop = tmp_path / "in"
    drop.mkdir()
    with platform.unit() as s:
        set_intake(
            s,
            platform.audit,
            officer(org),
            table.id,
            options=_options(platform),
            watch=True,
            folder=str(drop),
        )
    (drop / "bad.csv").write_bytes(b"\x80\x81\xff\xfe\xfd" * 50)
    os.utime(drop / "bad.csv", (time.time() - 120, time.time() - 120))
    scheduler = Scheduler(platform)
    [result] = scheduler.tick()
    assert result.status == "failed" and result.error_code == "ingest.bad_encoding"
    assert scheduler.tick() == []  # not retried until it changes
    _aged(drop / "good.csv", GOOD_CSV)
    [result] = scheduler.tick()
    assert result.status == "succeeded" and _rows(platform, "drop2") == 3


def test_default_drop_folder_and_bad_settings(platform: Platform, org: Org, tmp_path: Path) -> None:
    from govdata.errors import InvalidInput

    table = csv_table(platform, org, tmp_path, "dflt")
    with platform.unit() as s:
        settings = set_intake(
            s, platform.audit, officer(org), table.id, options=_options(platform), watch=True
        )
        assert Path(settings["folder"]).is_dir()
        assert settings["folder"] == str(
            platform.settings.home / "intake" / "gaj" / str(table.source_id) / "drop"
        )
        with pytest.raises(InvalidInput) as exc:
            set_intake(
                s,
                platform.audit,
                officer(org),
                table.id,
                options=_options(platform),
                folder="/nope/x",
                watch=True,
            )
        assert exc.value.code == "ingest.drop_folder_missing"
        with pytest.raises(InvalidInput) as exc:
            set_intake(
                s, platform.audit, officer(org), table.id, options=_options(platform), url="ftp://x/y.csv"
            )
        assert exc.value.code == "ingest.fetch_bad_url"


class _Files(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path.startswith("/broken"):
            self.send_error(500, "boom")
            return
        super().do_GET()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on a free port serving a folder; yields (base URL, folder)."""
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _Files:
        return _Files(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_url_is_fetched_before_each_run_and_unchanged_content_is_not_reloaded(
    platform: Platform, org: Org, tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, root = served
    (root / "people.csv").write_text(GOOD_CSV, encoding="utf-8")
    table = csv_table(platform, org, tmp_path, "fetched")
    actor = officer(org)
    with platform.unit() as s:
        set_intake(
            s, platform.audit, actor, table.id, options=_options(platform), url=f"{base}/people.csv?token=t"
        )
    [result] = Scheduler(platform).tick()  # due at once: fetched and loaded
    assert result.status == "succeeded" and _rows(platform, "fetched") == 3
    local = platform.settings.home / "intake" / "gaj" / str(table.source_id) / "people.csv"
    assert local.read_text(encoding="utf-8") == GOOD_CSV

    opts = _options(platform)
    same = run_now(
        platform.sessions, platform.lake, platform.audit, actor, table.id, secret_key=SECRET, intake=opts
    )
    assert same.status == "succeeded" and same.rows_written == 0
    assert (same.source_version or "").startswith("unchanged sha256:")
    assert platform.lake.version(TableRef("raw", "gaj", "fetched")) == same.lake_version  # nothing written

    (root / "people.csv").write_text(MORE_CSV, encoding="utf-8")
    changed = run_now(
        platform.sessions, platform.lake, platform.audit, actor, table.id, secret_key=SECRET, intake=opts
    )
    assert changed.rows_written == 4 and _rows(platform, "fetched") == 4
    forced = run_now(
        platform.sessions,
        platform.lake,
        platform.audit,
        actor,
        table.id,
        secret_key=SECRET,
        intake=opts,
        full=True,
    )
    assert forced.rows_written == 4  # --full loads even unchanged content

    with platform.unit() as s:
        set_intake(s, platform.audit, actor, table.id, options=opts, url=f"{base}/broken.csv")
    from govdata.errors import GovdataError

    with pytest.raises(GovdataError) as exc:
        run_now(
            platform.sessions, platform.lake, platform.audit, actor, table.id, secret_key=SECRET, intake=opts
        )
    assert exc.value.code == "ingest.fetch_unavailable"
    last = _runs(platform, table.id)[-1]
    assert last.status == "failed" and last.error_code == "ingest.fetch_unavailable"
    assert "token" not in (last.source_version or "")
    assert _rows(platform, "fetched") == 4
    with platform.sessions() as s:
        t = s.get(SourceTable, table.id)
        assert t is not None and t.source.status == "error" and t.lease_owner is None


def test_cli_upload_and_intake(platform: Platform, org: Org, tmp_path: Path) -> None:
    table = csv_table(platform, org, tmp_path, "clicsv")
    runner = CliRunner()
    env = {"GOVDATA_DATABASE_URL": platform.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    home = ["--home", str(platform.settings.home)]
    file = tmp_path / "upload.csv"
    file.write_text(MORE_CSV, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", "upload", "clicsv", str(file), "--run", "--json", *home], env=env)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["runs"][0]["status"] == "succeeded" and out["runs"][0]["rows_written"] == 4
    result = runner.invoke(cli, ["ingest", "upload", "clicsv", str(file), *home], env=env)
    assert result.exit_code == 0 and "unchanged" in result.stdout
    result = runner.invoke(cli, ["ingest", "upload", "clicsv", str(tmp_path / "none.csv"), *home], env=env)
    assert result.exit_code == 1
    result = runner.invoke(
        cli, ["ingest", "intake", str(table.id), "--watch", "--pattern", "*.csv", "--json", *home], env=env
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["intake"]["kind"] == "watch"
