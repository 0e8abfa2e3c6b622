"""``govdata ingest upload`` and ``govdata ingest intake``: files for file sources.

``upload`` stores a file in the intake area and points the source at it (``govdata.ingest.intake``),
then queues its tables or, with ``--run``, loads them now with progress bars. ``intake`` sets how a
file table gets its file: a watched drop folder, a URL fetched before each run, or uploads.
A ``GovdataError`` prints its bilingual message and hint and exits 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from govdata.cli.ingest import HomeOpt, JsonOpt, _actor, _fail, _load_now, _platform, console, ingest_app
from govdata.errors import GovdataError, InvalidInput


@ingest_app.command("upload")
def upload_cmd(
    source: Annotated[str, typer.Argument(help="File source id or name.")],
    file: Annotated[Path, typer.Argument(help="The CSV, Excel, JSON or Parquet file to upload.")],
    run_now_: Annotated[
        bool, typer.Option("--run", help="Load it now with a progress bar (default: at the next tick).")
    ] = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """上传文件 / store a file for a file source and load it (now with --run, else at the next tick)."""
    from govdata.ingest.intake import IntakeOptions, upload
    from govdata.ingest.service import request_run, resolve_source

    try:
        if not file.is_file():
            raise InvalidInput("ingest.file_not_found", file=str(file))
        platform = _platform(home)
        with platform.unit() as s, file.open("rb") as fh:
            src = resolve_source(s, _actor(), source)
            done = upload(
                s,
                platform.audit,
                _actor(),
                src.id,
                file.name,
                fh,
                options=IntakeOptions.from_settings(platform.settings),
            )
            targets = [(t.id, t.lake_table) for t in src.tables if t.id in done.table_ids]
            if not done.unchanged and not run_now_:
                for table_id, _ in targets:
                    request_run(s, platform.audit, _actor(), table_id)
    except GovdataError as exc:
        _fail(exc)
        return
    summary: dict[str, Any] = {
        "source_id": done.source_id,
        "file": done.file.filename,
        "path": str(done.file.path),
        "bytes": done.file.size,
        "sha256": done.file.sha256,
        "unchanged": done.unchanged,
        "runs": [],
    }
    failure = None
    if run_now_ and not done.unchanged:
        summary["runs"], failure = _load_now(platform, targets, full=False, as_json=as_json)
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    elif done.unchanged:
        console.print(f"[yellow]内容未变 / unchanged[/]: {done.file.filename} — 无需归集 / nothing to load")
    else:
        console.print(f"[green]已上传 / uploaded[/]: {done.file.path} ({done.file.size:,} B)")
        if not run_now_:
            console.print("已排队，下次调度时归集 / queued for the next scheduler tick")
        for d in summary["runs"]:
            if d["status"] != "failed":
                console.print(f"[green]✔[/] {d['table']}: {d['rows_written']:,} 行写入 rows written")
    if failure is not None:
        _fail(failure)


@ingest_app.command("intake")
def intake_cmd(
    table: Annotated[int, typer.Argument(help="Table id (see govdata ingest status).")],
    watch: Annotated[bool, typer.Option("--watch", help="Watch a drop folder for new files.")] = False,
    folder: Annotated[
        str | None, typer.Option("--folder", help="The drop folder (default: the source's intake/drop).")
    ] = None,
    pattern: Annotated[str, typer.Option("--pattern", help="Files of the folder to load, e.g. *.csv.")] = "*",
    settle: Annotated[
        float, typer.Option("--settle", help="Seconds a file must stay unchanged before it is loaded.")
    ] = 5.0,
    url: Annotated[
        str | None, typer.Option("--url", help="Download this http(s) URL before each run.")
    ] = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """文件来源 / set how a file table gets its file: --watch a folder, --url, or neither (uploads)."""
    from govdata.ingest.intake import IntakeOptions, set_intake

    try:
        platform = _platform(home)
        with platform.unit() as s:
            settings = set_intake(
                s,
                platform.audit,
                _actor(),
                table,
                options=IntakeOptions.from_settings(platform.settings),
                watch=watch,
                folder=folder,
                pattern=pattern,
                settle_seconds=settle,
                url=url,
            )
    except GovdataError as exc:
        _fail(exc)
        return
    if as_json:
        sys.stdout.write(json.dumps({"table_id": table, "intake": settings}, ensure_ascii=False) + "\n")
    elif settings.get("kind") == "watch":
        console.print(f"[green]监控目录 / watching[/]: {settings['folder']} ({settings['pattern']})")
    elif settings.get("kind") == "url":
        console.print(f"[green]从 URL 下载 / fetching[/]: {settings['url']}")
    else:
        console.print("上传或固定路径 / uploads or a fixed path")
