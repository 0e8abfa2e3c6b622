"""``govdata govern issues``: list the quality issues fed back to departments, or write every failing
row of one issue as CSV. Runs as the platform (``system:cli``): every department's issues, audited.
"""

from __future__ import annotations

import sys
import typing
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()
HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def issues(
    home: HomeOpt = None,
    department: Annotated[
        str | None, typer.Option(help="Only this department's issues (code, e.g. gaj).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="open, acknowledged, fixed, verified or withdrawn.")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only issues past their deadline.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many issues, newest first.")] = 100,
    keys: Annotated[int | None, typer.Option("--keys", help="Write every failing row of this issue.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="CSV file for --keys (default: stdout).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """质量问题 / list quality issues, or export every failing row of one (--keys ID)."""
    from govdata.cli.main import opened
    from govdata.govern.issue_keys import issue_keys
    from govdata.govern.issues import list_issues
    from govdata.security.actor import Actor

    actor = Actor.system("cli")
    with opened(home) as platform, platform.unit() as s:
        if keys is not None:
            download = issue_keys(s, platform.lake, platform.audit, actor, keys)
            with out.open("wb") if out else _stdout() as sink:
                for chunk in download.chunks():
                    sink.write(chunk)
            if out:
                console.print(f"[green]{download.rows:,}[/] 行 / rows → {out}")
            return
        page = list_issues(
            s, actor, department=department, status=status, overdue=overdue or None, limit=limit
        )
    if as_json:
        sys.stdout.write(page.model_dump_json() + "\n")
        return
    table = Table(title=f"质量问题 / quality issues ({len(page.items)} / {page.total})")
    for column in ("#", "department", "resource", "binding", "failed", "status", "due"):
        table.add_column(column, justify="right" if column in ("#", "failed") else "left")
    for i in page.items:
        due = i.due_at.strftime("%Y-%m-%d") + (" [red]overdue[/]" if i.overdue else "")
        table.add_row(
            str(i.id), i.department or "", i.resource, i.binding, f"{i.failed_rows:,}", i.status, due
        )
    console.print(table)


def _stdout() -> nullcontext[typing.BinaryIO]:
    """Standard output as a binary sink that the ``with`` statement leaves open."""
    return nullcontext(sys.stdout.buffer)
