"""``govdata govern``: governance from the command line — ``standardize`` (raw → std) here, the
other commands (issues, profile, lineage) from their own modules.

Commands run as the platform (``system:cli``), audited like every service call.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from govdata.cli.govern_issues import issues
from govdata.cli.govern_lineage import lineage
from govdata.cli.govern_profile import profile

govern_app = typer.Typer(help="治理 / governance: standardization, quality, lineage", no_args_is_help=True)
console = Console()

HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of a table.")]


@govern_app.command("standardize")
def standardize_command(
    resource: Annotated[str, typer.Argument(help="Resource code, e.g. 330100/1010/gaj-0001.")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """规范化 / write std.<dept>.<table> from the resource's raw table by its spec (saved, else suggested)."""
    from govdata.catalog.service import get_resource
    from govdata.cli.main import opened
    from govdata.govern.standardize import standardize
    from govdata.i18n import text
    from govdata.security.actor import Actor

    with opened(home) as platform, console.status(f"{text('std.title')} {resource} …"), platform.unit() as s:
        report = standardize(s, platform.lake, platform.audit, Actor.system("cli"), get_resource(s, resource))
    if as_json:
        sys.stdout.write(json.dumps(report.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{report.source_table} → {report.target_table}")
    for key in (
        "std.col.target",
        "std.col.source",
        "std.col.normalizer",
        "std.col.changed",
        "std.col.unparseable",
    ):
        table.add_column(f"{text(key)} / {text(key, 'en')}")
    for c in report.columns:
        table.add_row(c.target, c.source, c.normalizer or "", str(c.changed), str(c.unparseable))
    console.print(table)
    params = {
        "rows_in": report.rows_in,
        "rows_out": report.rows_out,
        "duplicates": report.duplicates_removed,
        "version": report.target_version,
        "seconds": report.seconds,
    }
    console.print(f"{text('std.report_rows', **params)}\n{text('std.report_rows', 'en', **params)}")


govern_app.command("profile")(profile)
govern_app.command("issues")(issues)
govern_app.command("lineage")(lineage)
