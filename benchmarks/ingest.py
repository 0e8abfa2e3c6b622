"""Aggregation benchmarks, side by side in one run: ``python -m benchmarks.ingest [--rows N] [--write-docs]``.

Full load of a people table from PostgreSQL and MariaDB into a committed Delta raw table — govdata
(single stream and partitioned parallel) vs dlt's default (sqlalchemy) and fast (connectorx, pyarrow)
backends vs the single-stream floor (psql ``COPY … TO STDOUT`` / the mariadb client into a file);
an incremental load of 1 % changed rows; peak RSS per case; a GBK CSV and an Excel file vs pandas.
Every case runs in its own process (``benchmarks.cases``). Results go to stdout and, with
``--write-docs``, into ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import seed
from benchmarks.cases import cursor_of

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
FULL = "govdata full load (run_table, full=True)"
INC_RANDOM = "incremental 1 %: random updates (run_table)"
INC_NEW = "incremental 1 %: 0.9 % new + 0.1 % recent updates (run_table)"
INC_RANDOM_FLOOR = "source's own read of the random 1 % (client → file)"
INC_NEW_FLOOR = "source's own read of the new + recent 1 % (client → file)"
GOV_FULL = "governed full load (run_table + governance after-load)"
GOV_NEW = "governed incremental 1 %: 0.9 % new + 0.1 % recent (run_table + governance)"


@dataclass
class Result:
    group: str
    name: str
    rows: int
    seconds: float
    rss_mb: float
    detail: dict[str, Any] = field(default_factory=dict)  # seconds per phase, or per-round ratios

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def run_case(group: str, name: str, case: str, **args: Any) -> Result | None:
    print(f"  {group:<10} {name:<40}", end="", flush=True)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.cases", case, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if proc.returncode != 0:
        print(" FAILED:", (proc.stderr.strip().splitlines() or ["?"])[-1][:200])
        return None
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    result = Result(group, name, int(data["rows"]), float(data["seconds"]), float(data["rss_mb"]))
    result.detail = data.get("detail") or {}
    print(
        f" {result.rows:>10,} rows {result.seconds:8.2f} s {result.rate:>12,.0f} rows/s {result.rss_mb:8.0f} MB"
        + (f"  {result.detail}" if result.detail else "")
    )
    return result


def database_cases(args: argparse.Namespace, work: Path) -> list[Result]:
    csv = seed.people_csv(work / f"people_{args.rows}.csv", args.rows)
    out: list[Result] = []
    for backend in args.backends:
        took = (seed.seed_postgresql if backend == "postgresql" else seed.seed_mariadb)(csv, args.rows)
        print(f"{backend}: seeded {args.rows:,} rows in {took:.1f} s" if took else f"{backend}: table ready")
        lake = str(work / "lake" / backend)
        floor = "floor_pg" if backend == "postgresql" else "floor_mariadb"
        tool = "psql COPY TO STDOUT → file" if backend == "postgresql" else "mariadb --quick client → file"
        cases: list[tuple[str, str, dict[str, Any]]] = [(tool, floor, {"out": str(work / f"{backend}.dump")})]
        if args.runner_only:
            cases = []
        engines = ["adbc", "connectorx"] if backend == "postgresql" else ["connectorx"]
        for engine in engines if not args.runner_only else []:
            cases.append(
                (f"govdata {engine}", "govdata", {"lake": lake, "backend": backend, "engine": engine})
            )
        for n in args.parallel if not args.runner_only else []:
            cases.append(
                (f"govdata auto, parallel {n}", "govdata", {"lake": lake, "backend": backend, "parallel": n})
            )
        dlt_backends = ["connectorx", "pyarrow"] + ([] if args.skip_dlt_default else ["sqlalchemy"])
        for name in dlt_backends if not args.runner_only else []:
            cases.append((f"dlt {name} → delta", "dlt_load",
                          {"lake": str(work / "dlt" / backend), "backend": backend, "dlt_backend": name}))  # fmt: skip
        for name, case, kwargs in cases:
            if (result := run_case(backend, name, case, **kwargs)) is not None:
                out.append(result)
        out += runner_cases(backend, args, work, floor)
        if args.governed:
            out += governed_cases(backend, args, work)
    return out


def runner_cases(backend: str, args: argparse.Namespace, work: Path, floor: str) -> list[Result]:
    """``run_table``: a full load (which sets the cursor), then two kinds of 1 % change, each beside
    the source's own read of its rows — ``args.repeat`` times over; each case reports its median run
    and, in ``detail``, the ratio of each round's full load to its increment."""
    inc_args = {"lake": str(work / "lake" / f"{backend}_runner"), "work": str(work), "backend": backend}
    inc = str(work / f"{backend}.inc")
    rounds: dict[str, list[Result]] = {}

    def keep(name: str, result: Result | None) -> Result | None:
        if result is not None:
            rounds.setdefault(name, []).append(result)
        return result

    for _ in range(args.repeat):
        seed.touch_one_percent(backend, args.rows)  # distinct cursor values before the snapshot
        full = keep(FULL, run_case(backend, FULL, "runner_full", **inc_args))
        seed.add_new_rows(backend, args.rows)
        try:
            since = cursor_of(str(work), backend)
            fresh = keep(INC_NEW, run_case(backend, INC_NEW, "runner_incremental", **inc_args))
            # the source's own read of the same rows, after govdata's (which paid PostgreSQL's first
            # read of freshly updated rows, setting their hint bits): the increment's floor
            keep(INC_NEW_FLOOR, run_case(backend, INC_NEW_FLOOR, floor, out=inc, since=since))
        finally:
            seed.drop_new_rows(backend, args.rows)
        seed.touch_one_percent(backend, args.rows)  # later than the rows above: only these are read
        since = cursor_of(str(work), backend)
        random = keep(INC_RANDOM, run_case(backend, INC_RANDOM, "runner_incremental", **inc_args))
        keep(INC_RANDOM_FLOOR, run_case(backend, INC_RANDOM_FLOOR, floor, out=inc, since=since))
        for result in (fresh, random):
            if full is not None and result is not None:
                result.detail = {"ratio": round(full.seconds / result.seconds, 1)}
    out = []
    for name in (FULL, INC_RANDOM, INC_RANDOM_FLOOR, INC_NEW, INC_NEW_FLOOR):
        runs = sorted(rounds.get(name, []), key=lambda r: r.seconds)
        if runs:
            middle = runs[len(runs) // 2]
            ratios = sorted(r.detail["ratio"] for r in runs if "ratio" in r.detail)
            middle.detail = {"ratios": ratios} if len(ratios) > 1 else middle.detail
            out.append(middle)
    return out


def governed_cases(backend: str, args: argparse.Namespace, work: Path) -> list[Result]:
    """The same full load and realistic increment of the table linked to a catalog resource, so each run
    is followed by governance's after-load steps (lineage, standardize, quality + issues, profile)."""
    gov_args = {"work": str(work), "backend": backend}
    full = run_case(backend, GOV_FULL, "governed_full", **gov_args)
    seed.add_new_rows(backend, args.rows)
    try:
        fresh = run_case(backend, GOV_NEW, "governed_incremental", **gov_args)
    finally:
        seed.drop_new_rows(backend, args.rows)
    return [r for r in (full, fresh) if r is not None]


def file_cases(args: argparse.Namespace, work: Path) -> list[Result]:
    gbk = work / f"people_{args.rows}.gbk.csv"
    if not gbk.exists():
        utf8 = seed.people_csv(work / f"people_{args.rows}.csv", args.rows)
        header = "id,rkid,xm,sfzh,xb,csrq,mz,hyzk,hjdz,hh,lxdh,djrq,updated_at\n"
        with utf8.open(encoding="utf-8") as src, gbk.open("w", encoding="gbk", newline="") as dst:
            dst.write(header)
            shutil.copyfileobj(src, dst, 1 << 22)
    xlsx = work / f"people_{args.excel_rows}.xlsx"
    if not xlsx.exists():
        _excel(work / f"people_{args.rows}.csv", xlsx, args.excel_rows)
    lake = str(work / "lake" / "files")
    cases = [
        ("csv", "govdata csv (GBK detected) → delta", "csv_govdata", {"path": str(gbk), "lake": lake}),
        ("csv", "pandas.read_csv(gbk, dtype=str)", "csv_pandas", {"path": str(gbk)}),
        ("excel", "govdata excel → delta", "excel_govdata", {"path": str(xlsx), "lake": lake}),
        ("excel", "pandas.read_excel(openpyxl, dtype=str)", "excel_pandas", {"path": str(xlsx)}),
    ]
    return [r for g, name, case, kw in cases if (r := run_case(g, name, case, **kw)) is not None]


def _excel(csv: Path, xlsx: Path, rows: int) -> None:
    import csv as csvmod

    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人口")
    ws.append(
        [
            "人口编号",
            "姓名",
            "公民身份号码",
            "性别",
            "出生日期",
            "民族",
            "婚姻状况",
            "户籍地址",
            "户号",
            "联系电话",
        ]
    )
    with csv.open(encoding="utf-8") as f:
        for i, row in enumerate(csvmod.reader(f)):
            if i >= rows:
                break
            ws.append(row[1:11])
    wb.save(xlsx)


def _version(package: str) -> str:
    import importlib.metadata as md

    try:
        return md.version(package)
    except md.PackageNotFoundError:
        return "not installed"


def machine() -> str:

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    names = ("deltalake", "pyarrow", "duckdb", "adbc-driver-postgresql", "connectorx", "dlt", "pandas")
    versions = ", ".join(f"{p} {_version(p)}" for p in names)
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip()  # fmt: skip
    maria = subprocess.run(["mariadb", "-h", "127.0.0.1", "-u", "root", "-N", "-e",
                            "SELECT CONCAT(VERSION(), ', buffer pool ', @@innodb_buffer_pool_size DIV 1048576, ' MB')"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    pg_buffers = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-Atc",
                                 "SHOW shared_buffers"], capture_output=True, text=True).stdout.strip()  # fmt: skip
    return (f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; PostgreSQL {pg} (shared_buffers {pg_buffers}), "
            f"MariaDB {maria} (loopback); {versions}")  # fmt: skip


def table(results: list[Result]) -> str:
    floors = {r.group: r for r in results if r.name.startswith(("psql", "mariadb"))}
    pandas = {r.group: r for r in results if r.name.startswith("pandas")}
    lines = ["| source | case | rows | seconds | rows/s | vs floor / pandas | peak RSS MB |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for r in results:
        base = floors.get(r.group) or pandas.get(r.group)
        ratio = f"{r.rate / base.rate:.2f}×" if base and base.rate else ""
        lines.append(
            f"| {r.group} | {r.name} | {r.rows:,} | {r.seconds:.2f} | {r.rate:,.0f} | {ratio} | {r.rss_mb:.0f} |"
        )
    return "\n".join(lines)


def summary(results: list[Result]) -> str:
    out = []
    for group in ("postgresql", "mariadb"):
        rs = [r for r in results if r.group == group]
        if not rs:
            continue
        floor = next((r for r in rs if r.name.startswith(("psql", "mariadb"))), None)
        single = [
            r
            for r in rs
            if r.name.startswith("govdata ") and "parallel" not in r.name and "incr" not in r.name
        ]
        par = [r for r in rs if "parallel" in r.name]
        dlt_fast = [r for r in rs if r.name.startswith(("dlt connectorx", "dlt pyarrow"))]
        dlt_default = next((r for r in rs if r.name.startswith("dlt sqlalchemy")), None)
        best_single = max(single, key=lambda r: r.rate, default=None)
        best = max(single + par, key=lambda r: r.rate, default=None)
        if not best or not best_single:
            continue
        parts = [f"**{group}** — best single stream: {best_single.name} ({best_single.rate:,.0f} rows/s)"]
        if floor:
            parts.append(f"single stream / floor = {best_single.rate / floor.rate:.2f} (target ≥ 0.90)")
            parts.append(f"best overall ({best.name}) / floor = {best.rate / floor.rate:.2f} (target > 1)")
        if dlt_fast:
            fastest = max(dlt_fast, key=lambda r: r.rate)
            parts.append(
                f"vs dlt's fastest ({fastest.name}) = {best.seconds and fastest.seconds / best.seconds:.2f}× faster"
            )
        if dlt_default:
            parts.append(f"vs dlt default = {dlt_default.seconds / best.seconds:.1f}× faster (target ≥ 10×)")
        full = next((r for r in rs if r.name.startswith("govdata full load")), None)
        for label, name, floor_name in (
            ("random", INC_RANDOM, INC_RANDOM_FLOOR),
            ("new rows + recent updates", INC_NEW, INC_NEW_FLOOR),
        ):
            inc = next((r for r in rs if r.name == name), None)
            own = next((r for r in rs if r.name == floor_name), None)
            if inc and full:
                ratios = inc.detail.get("ratios")
                spread = f"; rounds {', '.join(f'{r:.1f}×' for r in ratios)}" if ratios else ""
                parts.append(
                    f"incremental 1 % ({label}) vs full load = {full.seconds / inc.seconds:.1f}× faster "
                    f"(medians{spread}; target ≥ 10×)"
                    + (f", the source's own read of its rows {own.seconds:.2f} s" if own else "")
                )
        parts.append(f"peak RSS of govdata loads ≤ {max(r.rss_mb for r in single + par):.0f} MB")
        governed = next((r for r in rs if r.name == GOV_NEW), None)
        if governed and governed.detail:
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in governed.detail.items() if k != "load")
            parts.append(
                f"governed increment: load {governed.detail.get('load', 0):.2f} s, then governance {steps} "
                f"({governed.seconds / max(governed.detail.get('load', 0), 1e-9):.0f}× the load)"
            )
        out.append("- " + "; ".join(parts))
    return "\n".join(out)


def write_docs(results: list[Result], command: str) -> None:
    """Replace the results between ``<!-- results -->`` and ``<!-- notes -->``; the notes after stay."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    marker, notes = "<!-- results -->", "<!-- notes -->"
    head = text.split(marker)[0] if marker in text else text
    tail = notes + text.split(notes, 1)[1] if notes in text else f"{notes}\n"
    body = (f"{marker}\nRun {dt.date.today().isoformat()} on: {machine()}\n\nCommand: `{command}`\n\n"
            f"{table(results)}\n\n{summary(results)}\n\n")  # fmt: skip
    DOCS.write_text(head + body + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="rows in the people table (10000000 for 10M)"
    )
    parser.add_argument("--backends", nargs="+", default=["postgresql", "mariadb"])
    parser.add_argument("--parallel", type=int, nargs="+", default=[2, 4], help="reader counts to try")
    parser.add_argument("--skip-dlt-default", action="store_true", help="skip dlt's slow sqlalchemy backend")
    parser.add_argument("--no-files", action="store_true", help="skip the GBK CSV and Excel cases")
    parser.add_argument(
        "--runner-only", action="store_true", help="only the run_table cases (full load and the increments)"
    )
    parser.add_argument(
        "--governed",
        action="store_true",
        help="also load the table linked to a catalog resource, governance's after-load steps included",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of the run_table cases (each reports its median)"
    )
    parser.add_argument("--excel-rows", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/govdata-bench"))
    parser.add_argument("--write-docs", action="store_true", help=f"write the results into {DOCS}")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = database_cases(args, args.work)
    if not args.no_files:
        results += file_cases(args, args.work)
    print()
    print(table(results))
    print()
    print(summary(results))
    if args.write_docs:
        write_docs(results, "python -m benchmarks.ingest " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
