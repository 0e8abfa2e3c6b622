"""``govdata catalog deliver``: one round of the change feed's outbound work, by hand.

The scheduler (``govdata serve``, ``govdata worker``) runs the same round every tick; this command
is for a platform run without one, or to push what is due right now.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from govdata.cli.catalog import catalog_app
from govdata.errors import GovdataError

console = Console()
HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a line of text.")]


@catalog_app.command("deliver")
def deliver(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """推送目录变更 / send due webhook deliveries and publish pending change events to NATS."""
    from govdata.catalog.feed_dispatch import dispatch
    from govdata.cli.main import _fail, _open, _settings

    try:
        platform = _open(_settings(home))
    except GovdataError as exc:
        _fail(exc)
        return
    report = dispatch(platform)
    platform.close()
    if as_json:
        sys.stdout.write(json.dumps(asdict(report)) + "\n")
    else:
        w = report.webhooks
        console.print(
            f"webhooks: {w.delivered} delivered, {w.retrying} to retry, {w.failed} failed; "
            f"NATS: {report.nats_published} published"
            + (f"; [red]errors[/]: {', '.join(report.errors)}" if report.errors else "")
        )
    if report.errors:
        raise typer.Exit(1)
