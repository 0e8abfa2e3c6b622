"""``govdata govern lineage``: a column's graph, the OpenLineage events, rebuild, and a clear error."""

from __future__ import annotations

import json

from tests.conftest import SECRET
from typer.testing import CliRunner

from govdata.cli.main import app as cli
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.runtime import Platform

runner = CliRunner()
SRC, RAW, STD = "source:gaj/人口库/rk", "raw.gaj.rk_cli", "std.gaj.rk_cli"


def test_column_graph_events_rebuild_and_errors(platform: Platform) -> None:
    with platform.unit() as s:
        record_lineage(
            s,
            job="i",
            kind="ingest",
            inputs=[],
            outputs=[],
            column_edges=[ColumnEdge(SRC, "sfzh", RAW, "sfzh")],
        )
        record_lineage(s, job="s", kind="standardize", inputs=[], outputs=[],
                       column_edges=[ColumnEdge(RAW, "sfzh", STD, "sfzh", "id_number_18")])  # fmt: skip
    env = {"GOVDATA_DATABASE_URL": platform.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    home = ["--home", str(platform.settings.home)]

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["govern", "lineage", *args, *home], env=env)
        assert result.exit_code == code, result.output
        return result.output

    graph = json.loads(run(STD, "--column", "sfzh", "--json"))
    assert [n["id"] for n in graph["nodes"]] == [f"{SRC}#sfzh", f"{RAW}#sfzh", f"{STD}#sfzh"]
    assert "id_number_18" in run(STD, "--column", "sfzh", "--direction", "upstream")
    events = [json.loads(line) for line in run(RAW, "--openlineage").splitlines()]
    assert [e["job"]["name"] for e in events] == ["i", "s"] and events[0]["eventType"] == "COMPLETE"
    assert "0" in run("--rebuild")  # no ingest runs to rebuild from
    assert "raw.gaj.nope" in run("raw.gaj.nope", code=1)
    assert "GOVDATA_LINEAGE__OPENLINEAGE_URL" in run("--deliver", code=1)
