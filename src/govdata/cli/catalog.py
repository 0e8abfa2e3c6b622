"""``govdata catalog``: upkeep of the data catalog; here, its search index (``reindex``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from govdata.errors import GovdataError

catalog_app = typer.Typer(help="目录 / the data catalog: upkeep", no_args_is_help=True)
console = Console()

HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a line of text.")]


@catalog_app.command("reindex")
def reindex(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """重建检索索引 / drop the catalog search index and build it afresh from the catalog."""
    from govdata.catalog.search_index import INDEX_VERSION, rebuild_index
    from govdata.cli.main import _fail, _open, _settings
    from govdata.security.actor import Actor

    try:
        platform = _open(_settings(home))
    except GovdataError as exc:
        _fail(exc)
        return
    start = time.perf_counter()
    with platform.unit() as s:
        count = rebuild_index(s)
        platform.audit.record(
            s,
            Actor.system("cli"),
            "catalog.search_reindexed",
            detail={"resources": count, "version": INDEX_VERSION},
        )
    seconds = round(time.perf_counter() - start, 1)
    if as_json:
        out = {"resources": count, "version": INDEX_VERSION, "seconds": seconds}
        sys.stdout.write(json.dumps(out) + "\n")
    else:
        console.print(
            f"[green]检索索引已重建 / search index rebuilt[/]: {count:,} resources, version {INDEX_VERSION}, {seconds} s"
        )
    platform.close()


from govdata.cli import catalog_feed  # noqa: E402, F401  (registers `catalog deliver`)
