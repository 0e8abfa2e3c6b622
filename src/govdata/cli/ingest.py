"""``govdata ingest …`` and ``govdata worker``: register sources and tables, run loads, watch freshness.

Commands parse flags, open the platform and call ``govdata.ingest.service`` / ``queries`` /
``scheduler`` as the platform's own actor (the operator at the console). Every reporting command
takes ``--json``. A ``GovdataError`` prints its bilingual message and hint and exits 1.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from govdata.errors import GovdataError, InvalidInput

ingest_app = typer.Typer(help="归集 / aggregation: sources, tables, runs, freshness", no_args_is_help=True)
console = Console()

HomeOpt = Annotated[Path | None, typer.Option("--home", help="GOVDATA_HOME: metadata, lake and logs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _platform(home: Path | None) -> Any:
    from govdata.cli.main import _open, _settings

    return _open(_settings(home))


def _fail(exc: GovdataError) -> None:
    from govdata.cli.main import _fail as fail

    fail(exc)


def _actor() -> Any:
    from govdata.security.actor import Actor

    return Actor.system("cli")


def _dump(rows: list[Any]) -> None:
    sys.stdout.write(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2) + "\n")


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


@ingest_app.command("sources")
def sources(home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """数据源列表 / list the registered sources (secrets never shown)."""
    from govdata.ingest.queries import list_sources

    try:
        platform = _platform(home)
        with platform.sessions() as s:
            rows = list_sources(s, _actor())
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        _dump(rows)
        return
    table = Table(title="数据源 / sources")
    for col in ("id", "部门 dept", "名称 name", "连接器 connector", "表 tables", "状态 status", "错误 error"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r.id), r.department, r.name, r.connector, str(r.tables), r.status, r.last_error or ""
        )
    console.print(table)


@ingest_app.command("add-source")
def add_source(
    department: Annotated[str, typer.Argument(help="Department code, e.g. gaj.")],
    name: Annotated[str, typer.Argument(help="Source name, unique in the department.")],
    connector: Annotated[str, typer.Argument(help="Connector: sql, csv, excel, json …")],
    config: Annotated[str, typer.Option("--config", help="Connector config as a JSON object.")] = "{}",
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记数据源 / register a source; its password or token is stored encrypted."""
    from govdata.ingest.service import register_source

    try:
        try:
            raw = json.loads(config)
        except json.JSONDecodeError as exc:
            raise InvalidInput("ingest.bad_config", connector=connector, detail=str(exc)) from exc
        if not isinstance(raw, dict):
            raise InvalidInput("ingest.bad_config", connector=connector, detail="--config is not an object")
        platform = _platform(home)
        key = platform.settings.secret_key.get_secret_value()
        with platform.unit() as s:
            source = register_source(
                s, platform.audit, _actor(), department, name, connector, raw, secret_key=key
            )
            source_id = source.id
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps({"id": source_id, "name": name}, ensure_ascii=False) + "\n")
    else:
        console.print(f"[green]已登记数据源 / source registered[/]: {name} (id {source_id})")


@ingest_app.command("add-table")
def add_table_cmd(
    source: Annotated[str, typer.Argument(help="Source id or name.")],
    source_table: Annotated[str, typer.Argument(help="Table (or file) at the source.")],
    lake_table: Annotated[str, typer.Argument(help="Raw-layer table name (a-z, 0-9, _).")],
    mode: Annotated[str, typer.Option("--mode", help="full, incremental, upsert or logical.")] = "full",
    key: Annotated[list[str] | None, typer.Option("--key", help="Key column (repeat for several).")] = None,
    cursor: Annotated[str | None, typer.Option("--cursor", help="Cursor column of incremental mode.")] = None,
    delete_detection: Annotated[
        bool, typer.Option("--delete-detection", help="Remove rows deleted at the source.")
    ] = False,
    drift: Annotated[str, typer.Option("--drift", help="evolve, freeze or reject.")] = "evolve",
    reject: Annotated[str, typer.Option("--reject", help="commit_good or reject_run.")] = "commit_good",
    schedule: Annotated[
        int | None, typer.Option("--schedule", help="Minutes between runs (default: catalog cycle).")
    ] = None,
    resource: Annotated[str | None, typer.Option("--resource", help="Catalog resource code.")] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记归集表 / take a table of a source into the raw layer."""
    from govdata.ingest.service import add_table, resolve_source

    try:
        platform = _platform(home)
        with platform.unit() as s:
            src = resolve_source(s, _actor(), source)
            table = add_table(
                s,
                platform.audit,
                _actor(),
                src.id,
                source_table,
                lake_table,
                key or [],
                mode,
                cursor,
                delete_detection,
                drift,
                reject,
                schedule,
                resource,
            )
            table_id = table.id
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps({"id": table_id, "lake_table": lake_table}) + "\n")
    else:
        console.print(f"[green]已登记归集表 / table added[/]: {lake_table} (id {table_id})")


@ingest_app.command("discover")
def discover(
    source: Annotated[str, typer.Argument(help="Source id or name.")],
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """发现源表 / list the tables a source offers."""
    from govdata.ingest.service import discover_tables, resolve_source

    try:
        platform = _platform(home)
        with platform.sessions() as s:
            src = resolve_source(s, _actor(), source)
            names = discover_tables(
                s, _actor(), src.id, secret_key=platform.settings.secret_key.get_secret_value()
            )
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps(names, ensure_ascii=False) + "\n")
    else:
        for name in names:
            console.print(name)


@ingest_app.command("run")
def run(
    source: Annotated[str, typer.Argument(help="Source id or name.")],
    table: Annotated[
        str | None, typer.Option("--table", help="Only this table (source or lake name).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Reload everything; reset the cursor.")] = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """立即归集 / load a source's tables now, with a progress bar; exit 1 if any fails."""
    from govdata.ingest.models import LoadMode
    from govdata.ingest.service import resolve_source

    try:
        platform = _platform(home)
        with platform.sessions() as s:
            src = resolve_source(s, _actor(), source)
            targets = [
                (t.id, t.lake_table)
                for t in src.tables
                if t.mode != LoadMode.logical and (table is None or table in (t.source_table, t.lake_table))
            ]
        if not targets:
            raise InvalidInput("ingest.table_unknown", table=table or source)
    except GovdataError as exc:
        _fail(exc)
        return
    done, failure = _load_now(platform, targets, full=full, as_json=as_json)
    if as_json:
        sys.stdout.write(json.dumps(done, ensure_ascii=False) + "\n")
    else:
        for d in done:
            if d["status"] != "failed":
                console.print(
                    f"[green]✔[/] {d['table']}: {d['rows_written']:,} 行写入 rows written, "
                    f"{d['rows_rejected']:,} 行拒收 rejected"
                )
    if failure is not None:
        _fail(failure)


def _load_now(
    platform: Any, targets: list[tuple[int, str]], *, full: bool, as_json: bool
) -> tuple[list[dict[str, Any]], GovdataError | None]:
    """Run ``targets`` (table id, lake name) now with progress bars; (results, first failure)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from govdata.ingest.intake import IntakeOptions
    from govdata.ingest.service import run_now

    key = platform.settings.secret_key.get_secret_value()
    options = IntakeOptions.from_settings(platform.settings)
    done: list[dict[str, Any]] = []
    failure: GovdataError | None = None
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} 行 rows"))
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), disable=as_json) as bars:
        for table_id, lake_table in targets:
            task = bars.add_task(lake_table, total=None)
            try:
                result = run_now(
                    platform.sessions,
                    platform.lake,
                    platform.audit,
                    _actor(),
                    table_id,
                    secret_key=key,
                    full=full,
                    progress=lambda n, task=task: bars.update(task, completed=n),
                    intake=options,
                )
                bars.update(task, completed=result.rows_read, total=result.rows_read)
                done.append(
                    {
                        "table": lake_table,
                        "run": result.id,
                        "status": str(result.status),
                        "rows_written": result.rows_written,
                        "rows_rejected": result.rows_rejected,
                    }
                )
            except GovdataError as exc:
                bars.update(task, description=f"[red]{lake_table}[/]")
                done.append({"table": lake_table, "status": "failed", "error": exc.code})
                failure = failure or exc
    return done, failure


@ingest_app.command("status")
def status(
    home: HomeOpt = None,
    late: Annotated[bool, typer.Option("--late", help="Only tables that missed their cycle.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """归集时效 / freshness of every table: last run, last success, cycle, late flag."""
    from govdata.ingest.queries import table_status

    try:
        platform = _platform(home)
        with platform.sessions() as s:
            rows = table_status(s, _actor())
    except GovdataError as exc:
        _fail(exc)
        return
    if late:
        rows = [r for r in rows if r.late]
    if as_json:
        _dump(rows)
        return
    table = Table(title="归集时效 / freshness")
    for col in (
        "id",
        "部门 dept",
        "数据源 source",
        "表 table",
        "方式 mode",
        "最近 last run",
        "行 rows",
        "拒收 rejected",
        "最近成功 last success",
        "周期 cycle (min)",
        "时效 freshness",
    ):
        table.add_column(col)
    for r in rows:
        fresh = f"[bold red]{r.freshness}[/]" if r.late else r.freshness
        table.add_row(
            str(r.table_id),
            r.department,
            r.source,
            r.lake_table,
            r.mode,
            r.last_run_status or "—",
            f"{r.last_run_rows:,}" if r.last_run_rows is not None else "—",
            f"{r.last_run_rejected:,}" if r.last_run_rejected is not None else "—",
            _when(r.last_success_at),
            str(r.cycle_minutes or "—"),
            fresh,
        )
    console.print(table)


@ingest_app.command("runs")
def runs(
    source: Annotated[str | None, typer.Option("--source", help="Only this source (id or name).")] = None,
    table: Annotated[int | None, typer.Option("--table", help="Only this table id.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many runs, newest first.")] = 50,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """归集记录 / run history: rows read, written, rejected, duration, lake version."""
    from govdata.ingest.queries import list_runs
    from govdata.ingest.service import resolve_source

    try:
        platform = _platform(home)
        with platform.sessions() as s:
            source_id = resolve_source(s, _actor(), source).id if source else None
            rows = list_runs(s, _actor(), source_id=source_id, table_id=table, limit=limit)
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        _dump(rows)
        return
    out = Table(title="归集记录 / runs")
    for col in (
        "run",
        "表 table",
        "状态 status",
        "读 read",
        "写 written",
        "拒 rejected",
        "毫秒 ms",
        "版本 version",
        "结束 finished",
        "错误 error",
    ):
        out.add_column(col)
    for r in rows:
        out.add_row(
            str(r.id),
            r.lake_table,
            r.status,
            f"{r.rows_read:,}",
            f"{r.rows_written:,}",
            f"{r.rows_rejected:,}",
            str(r.duration_ms or "—"),
            str(r.lake_version if r.lake_version is not None else "—"),
            _when(r.finished_at),
            r.error_code or "",
        )
    console.print(out)


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    interval: Annotated[
        float | None,
        typer.Option(
            "--interval", help="Seconds between ticks (default: ingest.scheduler_interval_seconds)."
        ),
    ] = None,
    home: HomeOpt = None,
) -> None:
    """归集调度进程 / run scheduled loads (several workers may share one metadata store)."""
    from govdata.ingest.scheduler import Scheduler

    try:
        platform = _platform(home)
    except GovdataError as exc:
        _fail(exc)
        return
    scheduler = Scheduler(platform)
    if once:
        results = scheduler.tick()
        for r in results:
            console.print(f"{r.table_id}: {r.status} {r.error_code or ''}")
        if any(r.status == "failed" for r in results):
            raise typer.Exit(1)
        return
    stop = threading.Event()
    console.print(f"[green]归集调度 / ingest worker[/] {scheduler.worker_id} (Ctrl+C 停止 / to stop)")
    try:
        scheduler.run_forever(stop, interval or platform.settings.ingest.scheduler_interval_seconds)
    except KeyboardInterrupt:
        stop.set()


from govdata.cli import ingest_files  # noqa: E402, F401  (registers upload and intake)
