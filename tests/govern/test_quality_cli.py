"""``govdata govern issues``: the list with its filters, and every failing row of one issue as CSV."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SECRET, Org
from tests.govern.quality_seed import CODE, people_with_defects, publish
from typer.testing import CliRunner

from govdata.catalog import get_resource
from govdata.cli.main import app as cli
from govdata.govern.issues import sync_issues
from govdata.govern.service import check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor

runner = CliRunner()


def test_list_filter_and_export_keys(platform: Platform, org: Org, tmp_path: Path) -> None:
    publish(platform, people_with_defects(60, bad_ids=5, blank_names=2))
    system = Actor.system("govern")
    with platform.unit() as s:
        run = check_resource(s, platform.lake, platform.audit, system, get_resource(s, CODE))
        sync_issues(s, platform.audit, system, run)
    env = {"GOVDATA_DATABASE_URL": platform.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    home = ["--home", str(platform.settings.home)]

    def run_cli(*args: str) -> str:
        result = runner.invoke(cli, ["govern", "issues", *args, *home], env=env)
        assert result.exit_code == 0, result.output
        return result.stdout

    listed = json.loads(run_cli("--department", "gaj", "--status", "open", "--json"))
    assert listed["total"] == 2
    by_binding = {i["binding"]: i for i in listed["items"]}
    assert by_binding["id_number(sfzh)"]["failed_rows"] == 5
    assert json.loads(run_cli("--department", "mzj", "--json"))["total"] == 0
    assert json.loads(run_cli("--overdue", "--json"))["total"] == 0
    assert "quality issues (2 / 2)" in run_cli()

    out = tmp_path / "keys.csv"
    run_cli("--keys", str(by_binding["id_number(sfzh)"]["id"]), "--out", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == '"_source_row","sfzh","failure_reason"' and len(lines) == 1 + 5

    bad = runner.invoke(cli, ["govern", "issues", "--status", "closed", *home], env=env)
    assert bad.exit_code == 1 and "open, acknowledged" in bad.output
