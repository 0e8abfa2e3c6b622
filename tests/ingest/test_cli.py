"""``govdata ingest …`` and ``govdata worker`` end to end on the test metadata store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from govdata.cli.main import app as cli
from govdata.runtime import Platform
from tests.conftest import SECRET, Org
from tests.ingest.ops_seed import GOOD_CSV

runner = CliRunner()


def test_register_run_status_and_worker(platform: Platform, org: Org, tmp_path: Path) -> None:
    home = platform.settings.home
    env = {"GOVDATA_DATABASE_URL": platform.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    good, bad = tmp_path / "people.csv", tmp_path / "broken.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    bad.write_bytes(b"\x80\x81\xff\xfe\xfd" * 20)

    def run(*args: str) -> str:
        result = runner.invoke(cli, [*args, "--home", str(home)], env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    for name, path in (("people", good), ("broken", bad)):
        out = run(
            "ingest", "add-source", "gaj", name, "csv", "--config", json.dumps({"path": str(path)}), "--json"
        )
        source_id = json.loads(out)["id"]
        run("ingest", "add-table", str(source_id), str(path), name, "--schedule", "60")
    sources = json.loads(run("ingest", "sources", "--json"))
    assert {s["name"] for s in sources} == {"people", "broken"}

    loaded = json.loads(run("ingest", "run", "people", "--json"))
    assert loaded == [
        {
            "table": "people",
            "run": loaded[0]["run"],
            "status": "succeeded",
            "rows_written": 3,
            "rows_rejected": 0,
        }
    ]
    failed = runner.invoke(cli, ["ingest", "run", "broken", "--home", str(home)], env=env)
    assert failed.exit_code == 1 and "错误" in failed.output and "Error" in failed.output

    status = {s["lake_table"]: s for s in json.loads(run("ingest", "status", "--json"))}
    assert status["people"]["freshness"] == "fresh" and status["people"]["late"] is False
    assert status["broken"]["last_run_status"] == "failed" and status["broken"]["source_status"] == "error"
    runs = json.loads(run("ingest", "runs", "--json"))
    assert [r["status"] for r in runs] == ["failed", "succeeded"]

    # the worker: nothing due after the manual runs set the next ones (the failure backs off)
    assert runner.invoke(cli, ["worker", "--once", "--home", str(home)], env=env).exit_code == 0
