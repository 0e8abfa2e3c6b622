"""``govdata govern profile``: profile a resource's lake table now and print its columns and its
technical metadata. Runs as the platform (``system:cli``), audited; values are masked as stored.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from govdata.govern.profiling import ProfileOut

HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the profile as JSON instead of tables.")]


def profile(
    name: Annotated[str, typer.Argument(help="Resource code, or its lake table such as raw.gaj.hj_rk.")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """数据画像 / profile a resource's lake table now (one scan) and print it."""
    from govdata.cli.main import opened
    from govdata.govern.profiling import refresh, resolve
    from govdata.security.actor import Actor

    console = Console()  # sized when the command runs, not when the module is imported
    with opened(home) as platform, console.status(f"数据画像 / profiling {name} …"), platform.unit() as s:
        code = resolve(s, name).code
        out = refresh(s, platform.lake, platform.audit, Actor.system("cli"), code)
    if as_json:
        sys.stdout.write(json.dumps(out.model_dump(mode="json"), ensure_ascii=False) + "\n")
        return
    _print(console, out)


def _print(console: Console, out: ProfileOut) -> None:
    meta = out.metadata
    if meta is not None:
        fresh = meta.freshness
        console.print(
            f"[bold]{out.resource}[/]  {meta.table}  行 rows {meta.rows:,}  {meta.bytes:,} B in {meta.files} files  "
            f"版本 versions {meta.versions} (latest v{meta.latest.version} {meta.latest.operation or ''})  "
            f"时效 freshness {fresh.state}{' [red]LATE[/]' if fresh.late else ''}"
        )
    table = Table(title=f"数据画像 / profile v{out.lake_version}")
    for title in (
        "字段 column",
        "类型 kind",
        "空值 null",
        "空串 empty",
        "空白 blank",
        "不同值 distinct",
        "最小 min",
        "最大 max",
        "均值 mean",
        "高频值 top",
        "模式 pattern",
    ):
        table.add_column(title)
    for c in out.columns or []:
        top = c.top_values[0] if c.top_values else None
        pattern = c.patterns[0] if c.patterns else None
        table.add_row(
            c.name,
            c.kind,
            f"{c.nulls:,} ({c.null_share:.1%})",
            "" if c.empty is None else f"{c.empty:,}",
            "" if c.blank is None else f"{c.blank:,}",
            f"{c.distinct:,}",
            "" if c.min is None else str(c.min),
            "" if c.max is None else str(c.max),
            "" if c.mean is None else f"{c.mean:.4g}",
            f"{top.value} ×{top.count:,}" if top else "",
            f"{pattern.pattern} {pattern.share:.0%}" if pattern else "",
        )
    console.print(table)
