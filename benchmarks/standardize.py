"""Standardization benchmark: ``python -m benchmarks.standardize [--rows N] [--repeat K]``.

A raw people table as departments deliver it — ID numbers in 15 and 18 digits with lower-case x,
full-width digits and stray spaces; birth dates in six formats; gender as 男/M/1/女/F/2; phones
with +86, spaces, dashes and full-width digits; names with spaces; one row in 50 a second load of
the previous person under the old 15-digit ID — standardized by one spec (ID, name, gender by code
table, date, phone; dedup by the normalized ID) two ways, each in its own process: govdata's
``standardize`` (one DuckDB statement → one Delta commit, audited, lineage recorded) and the same
spec in pandas writing Parquet. Prints time, rows/s, peak RSS and the ratio, and fails when the two
disagree on rows out or on the unparseable values per column. The target is ≥ 1M rows/s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PANDAS_PYTHON = "/tmp/gxenv/bin/python"  # an interpreter with pandas, when ours has none (bench group)
TABLE = "raw.bench.people_std"
GENDER = "GB/T 2261.1-2003"
COLUMNS = ("sfzh", "xm", "xb", "csrq", "sjhm")
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_FULL = "".join(chr(0xFF10 + d) for d in range(10))
_MACROS = [
    "CREATE MACRO born(p) AS DATE '1950-01-01' + CAST((p // 1000) % 18000 AS INTEGER)",
    "CREATE MACRO body(p) AS '110105' || strftime(born(p), '%Y%m%d') || lpad(CAST(p % 1000 AS VARCHAR), 3, '0')",
    "CREATE MACRO id18(p) AS body(p) || substr('10X98765432', (("
    + " + ".join(f"CAST(substr(body(p), {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_W))
    + ") % 11) + 1, 1)",
    "CREATE MACRO id15(p) AS '110105' || strftime(born(p), '%y%m%d') || lpad(CAST(p % 1000 AS VARCHAR), 3, '0')",
]
# one row in 50 repeats the previous person (as the old 15-digit ID); planted unparseable values
DUPLICATE, BAD_DATE, BAD_GENDER = 50, 997, 1009
RAW_SQL = f"""
SELECT
  CASE WHEN i % {DUPLICATE} = {DUPLICATE - 1} THEN id15(p)
       WHEN i % 10 = 0 THEN id15(p)
       WHEN i % 10 = 1 THEN lower(id18(p))
       WHEN i % 10 = 2 THEN translate(id18(p), '0123456789', '{_FULL}')
       WHEN i % 10 = 3 THEN ' ' || id18(p) || ' '
       ELSE id18(p) END AS sfzh,
  ['张', '李', '王', '赵'][i % 4 + 1] || CASE WHEN i % 3 = 0 THEN ' ' ELSE '' END || ['伟', '芳', '娜', '敏', '静'][i % 5 + 1] AS xm,
  CASE WHEN i % {BAD_GENDER} = 0 THEN '?' ELSE ['男', 'M', '1', '女', 'F', '2'][i % 6 + 1] END AS xb,
  CASE WHEN i % {BAD_DATE} = 0 THEN '1999-02-30'
       WHEN i % 6 = 0 THEN strftime(born(p), '%Y年%-m月%-d日')
       WHEN i % 6 = 1 THEN strftime(born(p), '%Y/%-m/%-d')
       WHEN i % 6 = 2 THEN strftime(born(p), '%Y-%m-%d')
       WHEN i % 6 = 3 THEN strftime(born(p), '%Y.%m.%d')
       WHEN i % 6 = 4 THEN strftime(born(p), '%Y%m%d')
       ELSE strftime(born(p), '%Y-%m-%d') || ' 08:30:00' END AS csrq,
  CASE WHEN i % 4 = 0 THEN '+86 138 ' || lpad(CAST(p % 10000 AS VARCHAR), 4, '0') || ' 5678'
       WHEN i % 4 = 1 THEN '139-' || lpad(CAST(p % 10000 AS VARCHAR), 4, '0') || '-5678'
       WHEN i % 4 = 2 THEN translate('137' || lpad(CAST(p % 100000000 AS VARCHAR), 8, '0'), '0123456789', '{_FULL}')
       ELSE '136' || lpad(CAST(p % 100000000 AS VARCHAR), 8, '0') END AS sjhm,
  CAST(i + 1 AS BIGINT) AS _source_row
FROM (SELECT i, CASE WHEN i % {DUPLICATE} = {DUPLICATE - 1} THEN i - 1 ELSE i END AS p FROM range(?) t(i))
"""  # noqa: S608 - constants only


def build(work: Path, rows: int) -> None:
    """The raw table (skipped when ``work`` already holds it) and a migrated, seeded platform."""
    import duckdb
    from pydantic import SecretStr

    from govdata.config import Settings
    from govdata.lake import Lake, TableRef
    from govdata.runtime import Platform

    if (work / "ready").exists():
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    con = duckdb.connect()
    for macro in _MACROS:
        con.execute(macro)
    Lake(str(work / "home" / "lake")).write(
        TableRef.parse(TABLE), con.sql(RAW_SQL, params=[rows]).to_arrow_reader(131072)
    )
    platform = Platform.open(
        Settings(home=work / "home", secret_key=SecretStr("bench-secret-0123456789abcdef-xyz"))
    )
    platform.close()
    (work / "ready").touch()


def spec() -> Any:
    from govdata.govern.standardize import ColumnStep, Dedup, StdSpec

    return StdSpec(
        columns=[
            ColumnStep(target="sfzh", source="sfzh", normalizer="id_number_18"),
            ColumnStep(target="xm", source="xm", normalizer="person_name"),
            ColumnStep(target="xb", source="xb", normalizer="code_table", code_table=GENDER),
            ColumnStep(target="csrq", source="csrq", normalizer="date"),
            ColumnStep(target="sjhm", source="sjhm", normalizer="phone"),
        ],
        dedup=Dedup(keys=["sfzh"]),
    )


# --- the cases, each run in its own process: python -m benchmarks.standardize --case NAME '{json}'


def _platform(work: str) -> Any:
    from pydantic import SecretStr

    from govdata.config import Settings
    from govdata.runtime import Platform

    return Platform.open(
        Settings(home=Path(work) / "home", secret_key=SecretStr("bench-secret-0123456789abcdef-xyz"))
    )


def case_govdata(work: str) -> dict[str, Any]:
    from govdata.govern.standardize import standardize
    from govdata.lake import TableRef
    from govdata.security.actor import Actor

    platform = _platform(work)
    with platform.unit() as s:
        started, cpu = time.perf_counter(), _cpu()
        report = standardize(
            s, platform.lake, platform.audit, Actor.system("bench"), TableRef.parse(TABLE), spec()
        )
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
    platform.close()
    bad = {c.target: c.unparseable for c in report.columns}
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rows": report.rows_in,
        "rows_out": report.rows_out,
        "unparseable": bad,
    }


def _cpu() -> float:
    """CPU seconds of this process, every thread: what 2 cores' worth of wall time is spent on."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def case_inputs(work: str) -> dict[str, Any]:
    """The raw table's Parquet files and the gender lookup, for the pandas process."""
    from deltalake import DeltaTable

    from govdata.govern.library import code_lookup

    platform = _platform(work)
    with platform.unit() as s:
        codes = code_lookup(s, GENDER)
    platform.close()
    files = DeltaTable(str(Path(work) / "home" / "lake" / "raw" / "bench" / "people_std")).file_uris()
    return {"files": files, "codes": codes, "out": str(Path(work) / "pandas.parquet")}


def run(name: str, work: Path) -> dict[str, Any]:
    if name == "pandas":
        python = sys.executable
        try:
            import pandas  # noqa: F401
        except ImportError:
            python = PANDAS_PYTHON
        cmd = [python, str(ROOT / "benchmarks" / "standardize_pandas.py"), json.dumps(run("inputs", work))]
    else:
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.standardize",
            "--case",
            name,
            json.dumps({"work": str(work)}),
        ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"case {name} failed: {proc.stderr.strip()[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.standardize", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the median counts")
    parser.add_argument("--work", default="/tmp/govdata-bench-std")
    parser.add_argument("--skip-pandas", action="store_true", help="leave the pandas implementation out")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="?", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.case:
        out = globals()[f"case_{opts.case}"](**json.loads(opts.args))
        out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    work = Path(opts.work) / str(opts.rows)
    started = time.perf_counter()
    build(work, opts.rows)
    print(f"data: {opts.rows:,} rows ready in {time.perf_counter() - started:.1f} s ({work})")
    cases = ["govdata"] + ([] if opts.skip_pandas else ["pandas"])
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in cases}
    for _ in range(opts.repeat):
        for name in cases:
            results[name].append(run(name, work))
    report(opts.rows, results)


def report(rows: int, results: dict[str, list[dict[str, Any]]]) -> None:
    labels = {"govdata": "govdata standardize (one statement, one Delta commit)",
              "pandas": "pandas, the same spec (Parquet out)"}  # fmt: skip
    median = {name: statistics.median(r["seconds"] for r in runs) for name, runs in results.items()}
    for name, seconds in median.items():
        runs = ", ".join(f"{r['seconds']:.2f}" for r in results[name])
        rss = max(r["rss_mb"] for r in results[name])
        print(
            f"  {labels[name]:<56} {seconds:7.2f} s {rows / seconds:>12,.0f} rows/s  {rss:7.0f} MB   (runs: {runs})"
        )
    print(f"govdata: {rows / median['govdata'] / 1e6:.2f} M rows/s (target ≥ 1 M rows/s on 2 cores)")
    cpu = statistics.median(r["cpu"] for r in results["govdata"])
    print(
        f"  govdata CPU seconds (median) {cpu:.2f}: {rows / cpu * 2 / 1e6:.2f} M rows/s if both cores "
        "were busy the whole run"
    )
    gov = results["govdata"][0]
    print(f"  rows out {gov['rows_out']:,}; unparseable {gov['unparseable']}")
    if "pandas" in median:
        print(f"govdata / pandas: {median['pandas'] / median['govdata']:.1f}× the rows/s")
        pd_ = results["pandas"][0]
        if (pd_["rows_out"], pd_["unparseable"]) != (gov["rows_out"], gov["unparseable"]):
            raise SystemExit(f"govdata and pandas disagree: {gov} vs {pd_}")
        print("rows out and unparseable values agree (govdata = pandas)")


if __name__ == "__main__":
    main()
