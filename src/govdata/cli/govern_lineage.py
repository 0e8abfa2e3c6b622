"""``govdata govern lineage``: the lineage of a dataset or a column, its OpenLineage events, the
rebuild of the aggregation lineage and the push to an OpenLineage server. Runs as the platform
(``system:cli``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from govdata.errors import InvalidInput

if TYPE_CHECKING:
    from govdata.runtime import Platform
    from govdata.security.actor import Actor

console = Console()
HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]


def lineage(
    dataset: Annotated[
        str | None, typer.Argument(help="A dataset: raw.gaj.hj_rk, source:gaj/<source>/<table>, service:…")
    ] = None,
    column: Annotated[str | None, typer.Option("--column", help="Follow this column of the dataset.")] = None,
    direction: Annotated[str, typer.Option(help="upstream, downstream or both.")] = "both",
    openlineage: Annotated[
        bool, typer.Option("--openlineage", help="Print the dataset's OpenLineage RunEvents as JSON lines.")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Record the lineage of every source table's newest load again.")
    ] = False,
    deliver: Annotated[
        bool, typer.Option("--deliver", help="POST undelivered events to lineage.openlineage_url.")
    ] = False,
    home: HomeOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the graph as JSON.")] = False,
) -> None:
    """血缘 / lineage of a dataset or a column (--column), its OpenLineage events, rebuild and push."""
    from govdata.cli.main import opened
    from govdata.govern.lineage import capture, events, graph
    from govdata.security.actor import Actor

    actor = Actor.system("cli")
    with opened(home) as platform:
        if rebuild:
            with platform.unit() as s:
                recorded = capture.rebuild(s, platform.lake, platform.audit, actor)
                console.print(f"[green]{recorded}[/] 次归集已记录 / loads recorded")
        if deliver:
            _deliver(platform, actor)
        if dataset is None:
            if not (rebuild or deliver):
                raise InvalidInput("govern.lineage.no_dataset")
            return
        with platform.sessions() as s:
            if openlineage:
                for event in events.events_for_dataset(s, actor, dataset):
                    sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
                return
            if column:
                found = graph.column_lineage(s, actor, dataset, column, direction)  # type: ignore[arg-type]
            else:
                found = graph.table_lineage(s, actor, dataset, direction)  # type: ignore[arg-type]
    if as_json:
        sys.stdout.write(found.model_dump_json() + "\n")
        return
    table = Table(title=f"血缘 / lineage: {dataset}" + (f" · {column}" if column else ""))
    for name in ("from", "to", "job", "transform"):
        table.add_column(name)
    for e in found.edges:
        table.add_row(e.source, e.target, f"{e.job} ({e.job_kind})", e.transform or "")
    console.print(table)
    console.print(f"{len(found.nodes)} 个节点 / nodes, {len(found.edges)} 条边 / edges")


def _deliver(platform: Platform, actor: Actor) -> None:
    from govdata.govern.lineage.events import deliver

    url = platform.settings.lineage.openlineage_url
    if not url:
        raise InvalidInput("govern.lineage.no_openlineage_url")
    with platform.unit() as s:
        result = deliver(s, platform.audit, actor, url, platform.settings.lineage.openlineage_timeout_seconds)
    console.print(f"[green]{result.sent}[/] 个事件已发送 / events delivered → {url}")
    if result.error is not None:
        raise result.error
