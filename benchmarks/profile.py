"""Profile benchmark: ``python -m benchmarks.profile [--rows N] [--repeat K]``.

A people-like table of ``--rows`` rows × 15 columns (text, numbers, dates, a timestamp, a boolean;
nulls, empty and blank strings planted) is written once as a Delta table in a temporary lake, then
profiled in separate processes:

- **govdata**: ``profile_table`` — one DuckDB statement: per column null/empty/blank counts, exact
  distinct count, typed min/max, mean/stddev, min/max length, top 10 values, top 10 value patterns;
- **pandas**: ``describe(include="all")`` + per column ``value_counts().head(10)``, ``isna().sum()``
  and ``nunique()`` on the same rows (read from the table's Parquet files first, not timed), and the
  same plus empty/blank counts, string lengths and top-10 patterns (``str.replace`` digit → 9 …)
  so that both do the same work. pandas comes from the bench interpreter ``PANDAS_PYTHON`` (or ours).

Prints seconds, rows/s and peak RSS of each, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PANDAS_PYTHON = os.environ.get("PANDAS_PYTHON", "/tmp/gxenv/bin/python")
REF = ("raw", "bench", "people")

TABLE_SQL = """
SELECT i AS id,
       CASE WHEN i % 53 = 0 THEN NULL WHEN i % 59 = 0 THEN '' ELSE '张' || chr(19968 + CAST(i % 800 AS INTEGER)) END AS xm,
       '110105' || CAST(19500101 + i % 500000 AS VARCHAR) || lpad(CAST(i % 1000 AS VARCHAR), 3, '0') || CAST(i % 10 AS VARCHAR) AS sfzh,
       CAST(1 + i % 2 AS VARCHAR) AS xb,
       DATE '1950-01-01' + CAST(i % 20000 AS INTEGER) AS csrq,
       CASE WHEN i % 61 = 0 THEN '  ' ELSE '13' || lpad(CAST(hash(i) % 1000000000 AS VARCHAR), 9, '0') END AS sjhm,
       lpad(CAST(1 + i % 56 AS VARCHAR), 2, '0') AS mz,
       CAST(hash(i) % 100 AS INTEGER) AS nl,
       CASE WHEN i % 67 = 0 THEN NULL ELSE (hash(i) % 100000) / 7.0 END AS income,
       '浙江省示例市西湖区文三路' || CAST(i % 5000 AS VARCHAR) || '号' AS zz,
       'D' || lpad(CAST(i % 40 AS VARCHAR), 3, '0') AS dept,
       TIMESTAMP '2024-01-01' + to_seconds(CAST(i AS BIGINT)) AS created_at,
       i % 3 = 0 AS active,
       CAST(i % 1000 AS BIGINT) * 3 AS score,
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'note-' || CAST(i % 97 AS VARCHAR) END AS remark
FROM range({rows}) r(i)
"""


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(own / 1024, 1)


def build(root: str, rows: int) -> list[str]:
    """Write the table to a lake under ``root``; its Parquet files for pandas."""
    import duckdb

    from govdata.lake import Lake, TableRef

    lake = Lake(root)
    ref = TableRef(*REF)
    con = duckdb.connect()
    batches = con.sql(TABLE_SQL.format(rows=rows)).to_arrow_reader(1 << 17)
    lake.write(ref, batches)
    from deltalake import DeltaTable

    return list(DeltaTable(lake.uri(ref)).file_uris())


def run_govdata(root: str) -> dict[str, Any]:
    from govdata.govern.profiling import profile_table
    from govdata.lake import Lake, TableRef

    start = time.perf_counter()
    profiled = profile_table(Lake(root), TableRef(*REF))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": profiled.rows, "columns": len(profiled.columns), "rss_mb": _rss_mb()}


PANDAS_CODE = r"""
import json, resource, sys, time
import pandas as pd, pyarrow as pa, pyarrow.parquet as pq
df = pa.concat_tables([pq.read_table(f) for f in sys.argv[1:]]).to_pandas()
t0 = time.perf_counter()
df.describe(include="all")
for c in df.columns:
    df[c].value_counts().head(10); df[c].isna().sum(); df[c].nunique()
t1 = time.perf_counter()
for c in df.columns:
    s = df[c]
    if isinstance(s.dtype, pd.StringDtype):
        (s == "").sum(); s.str.fullmatch(r"\s+").sum(); lens = s.str.len(); lens.min(); lens.max()
        p = s.str.slice(0, 40).str.replace(r"[0-9]", "9", regex=True).str.replace(r"[A-Za-z]", "A", regex=True)
        p.str.replace(r"[\u4e00-\u9fff]", "汉", regex=True).value_counts().head(10)
t2 = time.perf_counter()
print(json.dumps({"describe": t1 - t0, "with_patterns": t2 - t0, "rows": len(df),
                  "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", choices=["govdata"], help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case == "govdata":
        print(json.dumps(run_govdata(args.root)))
        return
    with tempfile.TemporaryDirectory() as root:
        files = build(root, args.rows)
        runs = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-m", "benchmarks.profile", "--case", "govdata", "--root", root],
                    cwd=ROOT, check=True, capture_output=True, text=True,
                ).stdout
            )
            for _ in range(args.repeat)
        ]  # fmt: skip
        pandas_runs = []
        if Path(PANDAS_PYTHON).exists():
            for _ in range(args.repeat):
                out = subprocess.run(
                    [PANDAS_PYTHON, "-c", PANDAS_CODE, *files], capture_output=True, text=True
                )
                if out.returncode:
                    sys.exit(f"pandas run failed:\n{out.stderr}")
                pandas_runs.append(json.loads(out.stdout))
    gov = statistics.median(r["seconds"] for r in runs)
    print(f"rows {args.rows:,} × 15 columns, median of {args.repeat}")
    print(
        f"govdata profile_table   {gov:7.2f} s  {args.rows / gov:12,.0f} rows/s  rss {runs[0]['rss_mb']} MB"
    )
    if pandas_runs:
        desc = statistics.median(r["describe"] for r in pandas_runs)
        full = statistics.median(r["with_patterns"] for r in pandas_runs)
        rss = pandas_runs[0]["rss_mb"]
        print(
            f"pandas describe+counts  {desc:7.2f} s  {args.rows / desc:12,.0f} rows/s  rss {rss} MB  ({desc / gov:.1f}×)"
        )
        print(f"pandas + patterns etc.  {full:7.2f} s  {args.rows / full:12,.0f} rows/s  ({full / gov:.1f}×)")
    else:
        print(f"pandas: {PANDAS_PYTHON} not found (set PANDAS_PYTHON)")


if __name__ == "__main__":
    main()
