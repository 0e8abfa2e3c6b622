"""``govdata``: demo, serve, stats, audit. Commands parse flags, open the platform, call one service.

Errors print their bilingual message and hint and exit 1; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from govdata.cli.catalog import catalog_app
from govdata.cli.govern import govern_app
from govdata.cli.ingest import ingest_app, worker
from govdata.config import Settings, get_settings
from govdata.errors import GovdataError

app = typer.Typer(
    help="govdata — 一体化政务大数据平台 / integrated government data platform", no_args_is_help=True
)
audit_app = typer.Typer(help="审计链 / the audit trail", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(ingest_app, name="ingest")
app.add_typer(catalog_app, name="catalog")
app.add_typer(govern_app, name="govern")
app.command()(worker)
console = Console()
err = Console(stderr=True)
STATE: dict[str, Any] = {"debug": False}

HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False) -> None:
    STATE["debug"] = debug


def _settings(home: Path | None, **extra: Any) -> Settings:
    get_settings.cache_clear()
    return get_settings(home=home, **extra)


def _fail(exc: GovdataError) -> None:
    err.print(f"[bold red]错误[/] {exc.message('zh')}\n[red]Error[/] {exc.message('en')}")
    hint = exc.hint("zh")
    if hint:
        err.print(f"[yellow]提示[/] {hint} / {exc.hint('en')}")
    if STATE["debug"]:
        err.print_exception()
    raise typer.Exit(1)


def _open(settings: Settings):  # type: ignore[no-untyped-def]
    from govdata.runtime import Platform

    return Platform.open(settings)


@contextlib.contextmanager
def opened(home: Path | None) -> Iterator[Any]:
    """The platform for one command, closed after it; a ``GovdataError`` while opening it or inside
    the block ends the command with its message (exit 1)."""
    try:
        platform = _open(_settings(home))
    except GovdataError as exc:
        _fail(exc)
    try:
        yield platform
    except GovdataError as exc:
        _fail(exc)
    finally:
        platform.close()


@app.command()
def demo(
    scale: Annotated[str, typer.Option(help="small (≈10⁴ people), medium, large (≈10⁶)")] = "small",
    home: HomeOpt = None,
    sources: Annotated[str, typer.Option(help="Comma list: sqlite, postgres, mariadb")] = "sqlite",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo city and stop.")] = False,
    port: Annotated[int | None, typer.Option(help="Port to serve on")] = None,
) -> None:
    """建立示例市并跑通全流程 / build the demo city, run every pillar over it, then serve the portal."""
    from govdata.demo.flow import DEMO_PASSWORD, build_demo
    from govdata.demo.progress import rich_progress

    settings = _settings(home, port=port)
    if (settings.home / "govdata.db").exists() or (settings.home / "lake").exists():
        err.print(
            f"[red]{settings.home} 已有数据 / already holds a platform[/]: use another --home, or `govdata serve`."
        )
        raise typer.Exit(1)
    try:
        platform = _open(settings)
        with rich_progress() as progress:
            result = build_demo(
                platform,
                scale=scale,
                sources=[s.strip() for s in sources.split(",") if s.strip()],
                progress=progress,
                say=lambda m: console.print(f"[cyan]▶[/] {m}"),
            )
    except GovdataError as exc:
        _fail(exc)
        return
    for failure in result.failed:
        err.print(f"[yellow]未能归集 / not loaded[/]: {failure}")
    _print_stats(platform)
    table = Table(title=f"演示账号 / demo accounts (密码 password: {DEMO_PASSWORD})")
    for col in ("用户名 username", "角色 role", "部门 department"):
        table.add_column(col)
    for username, role, dept in result.accounts:
        table.add_row(username, role, dept)
    console.print(table)
    platform.close()
    if not no_serve:
        _serve(settings)


@app.command()
def serve(
    home: HomeOpt = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    no_scheduler: Annotated[
        bool, typer.Option("--no-scheduler", help="Do not run scheduled loads in the server.")
    ] = False,
) -> None:
    """启动门户与API / serve the portal and API."""
    _serve(_settings(home, port=port), scheduler=not no_scheduler)


def _serve(settings: Settings, scheduler: bool = True) -> None:
    import uvicorn

    from govdata.web.app import create_app

    try:
        web = create_app(settings)
    except GovdataError as exc:
        _fail(exc)
        return
    stop = None
    if scheduler:
        from govdata.ingest.scheduler import start_embedded

        _, stop = start_embedded(web.state.platform, settings.ingest.scheduler_interval_seconds)
    console.print(f"[green]门户 / portal[/]: http://{settings.host}:{settings.port}  (API docs: /docs)")
    # What is alive now (modules, routes, templates, the platform: ~250,000 objects) lives as long as
    # the server: out of the collector's full passes, each of which would otherwise stall whichever
    # request it lands in by ~100-200 ms (a catalog search met one about every fifteen searches).
    gc.collect()
    gc.freeze()
    try:
        uvicorn.run(web, host=settings.host, port=settings.port, log_level="warning")
    finally:
        if stop is not None:
            stop.set()


@app.command()
def stats(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """平台总量 / departments, resources, tables, fields, records."""
    try:
        platform = _open(_settings(home))
    except GovdataError as exc:
        _fail(exc)
        return
    _print_stats(platform, as_json)


def _print_stats(platform: Any, as_json: bool = False) -> None:
    from govdata.oversight import platform_totals
    from govdata.security.actor import Actor

    with platform.sessions() as s:
        totals = platform_totals(s, platform.lake, Actor.system("cli"))
    if as_json:
        sys.stdout.write(json.dumps(totals.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="平台总量 / platform totals")
    table.add_column("部门 departments", justify="right")
    table.add_column("资源 resources", justify="right")
    table.add_column("表 tables", justify="right")
    table.add_column("字段 fields", justify="right")
    table.add_column("记录 records", justify="right")
    table.add_row(
        *(
            f"{v:,}"
            for v in (totals.departments, totals.resources, totals.tables, totals.fields, totals.records)
        )
    )
    console.print(table)


@audit_app.command("verify")
def audit_verify(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """校验审计链 / verify the audit chain: exit 0 when intact, 1 naming the first broken record."""
    try:
        platform = _open(_settings(home))
    except GovdataError as exc:
        _fail(exc)
        return
    with platform.sessions() as s:
        result = platform.audit.verify(s)
    if as_json:
        sys.stdout.write(json.dumps(result.__dict__) + "\n")
    elif result.ok:
        console.print(f"[green]审计链完整 / audit chain intact[/]: {result.records:,} records")
    else:
        err.print(
            f"[bold red]审计链在第 {result.broken_seq} 条记录处断开 / audit chain broken at record "
            f"{result.broken_seq}[/] ({result.reason})"
        )
    if not result.ok:
        raise typer.Exit(1)


def run() -> None:
    """The ``govdata`` entry point: an unexpected error prints one bilingual line, not a traceback."""
    try:
        app()
    except Exception as exc:
        if STATE["debug"]:
            raise
        from govdata.i18n import text

        kind = type(exc).__name__
        err.print(
            f"[bold red]错误[/] {text('cli.internal', 'zh', kind=kind)}\n[red]Error[/] {text('cli.internal', 'en', kind=kind)}"
        )
        err.print(f"[yellow]提示[/] {text('cli.internal.hint', 'zh')} / {text('cli.internal.hint', 'en')}")
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    run()
