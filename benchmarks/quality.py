"""Quality-rule benchmark: ``python -m benchmarks.quality [--rows N] [--repeat K] [--skip-gx]``.

Ten rules (not-null ×2, ID pattern + checksum, phone pattern, uniqueness, code-table membership,
birth date vs ID, gender vs ID, range, referential) over a people table with planted defects, checked
three ways, each in its own process: govdata's ``check_table`` (one statement, every rule), one
hand-written single-pass DuckDB query doing the same checks, and Great Expectations (pandas) with the
expectations it can express. Prints time, rows/s, the ratios and every rule's defect count, and
fails when govdata's counts differ from the hand-written query's or from the planted defects.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
GX_PYTHON = "/tmp/gxenv/bin/python"  # a separate virtualenv with great_expectations, when ours has none
PEOPLE, REGISTRY = "raw.bench.people", "raw.bench.registry"
KEY = "id"

# one valid 18-digit ID per person number p: region 110105, a birth date, sequence, MOD 11-2 check
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_MACROS = [
    "CREATE MACRO born(p) AS DATE '1950-01-01' + CAST((p // 1000) % 20000 AS INTEGER)",  # unique IDs below 20M
    "CREATE MACRO body(p) AS '110105' || strftime(born(p), '%Y%m%d') || lpad(CAST(p % 1000 AS VARCHAR), 3, '0')",
    "CREATE MACRO idgen(p) AS body(p) || substr('10X98765432', (("
    + " + ".join(f"CAST(substr(body(p), {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_WEIGHTS))
    + ") % 11) + 1, 1)",
]
# planted defects: row i is defective for a rule when i % m = 0 (the moduli are distinct primes)
PLANTED = {"xm_null": 103, "sfzh_null": 101, "check_char": 97, "duplicate": 89, "phone": 107,
           "code_set": 109, "birth": 113, "gender": 127, "range": 131, "dangling": 137}  # fmt: skip


def people_sql(rows: int, registry: int) -> str:
    """The people table: person p (row i, or i-1 for a planted duplicate), then each planted defect."""
    m = PLANTED
    sfzh = (
        f"CASE WHEN i % {m['sfzh_null']} = 0 THEN NULL "
        f"WHEN i % {m['check_char']} = 0 THEN body(p) || CASE WHEN right(idgen(p), 1) = '0' THEN '1' ELSE '0' END "
        "ELSE idgen(p) END"
    )
    birth = f"born(p) + CASE WHEN i % {m['birth']} = 0 THEN 1 ELSE 0 END"
    return f"""
        SELECT i AS id,
               CASE WHEN i % {m["xm_null"]} = 0 THEN NULL ELSE '姓名' || CAST(i AS VARCHAR) END AS xm,
               {sfzh} AS sfzh,
               CASE WHEN i % 2 = 0 THEN strftime({birth}, '%Y%m%d') ELSE strftime({birth}, '%Y-%m-%d') END AS csrq,
               CAST(((p % 1000) % 2 = 0) <> (i % {m["gender"]} = 0) AS INTEGER) + 1 AS xb_code,
               CASE WHEN i % {m["phone"]} = 0 THEN '12345' ELSE '13' || lpad(CAST(hash(i) % 1000000000 AS VARCHAR), 9, '0') END AS sjhm,
               CASE WHEN i % {m["code_set"]} = 0 THEN '77' ELSE lpad(CAST(1 + i % 56 AS VARCHAR), 2, '0') END AS mz,
               CASE WHEN i % {m["range"]} = 0 THEN 150 ELSE CAST(hash(i) % 100 AS INTEGER) END AS nl,
               CASE WHEN i % {m["dangling"]} = 0 THEN idgen({registry} + i) ELSE idgen(i % {registry}) END AS fqsfzh
        FROM (SELECT i, CASE WHEN i % {m["duplicate"]} = 0 THEN i - 1 ELSE i END AS p FROM range(1, {rows} + 1) r(i))
    """  # noqa: S608 - numbers only


def build(work: Path, rows: int) -> None:
    """Write the people table (``rows``) and the registry it references (rows / 4 people) once."""
    import duckdb

    from govdata.lake import Lake, TableRef

    lake = Lake(str(work / "lake"))
    people = TableRef.parse(PEOPLE)
    if lake.exists(people) and lake.count(people) == rows:
        return
    registry = max(rows // 4, 1)
    con = duckdb.connect()
    for macro in _MACROS:
        con.execute(macro)
    # gender is written as 1/2; the xb column is text so it can hold 男/女 too
    table = con.sql(
        f"SELECT * EXCLUDE (xb_code), CAST(xb_code AS VARCHAR) AS xb FROM ({people_sql(rows, registry)})"  # noqa: S608
    ).to_arrow_table()
    lake.write(people, table, mode="overwrite")
    reg = con.sql(f"SELECT i AS id, idgen(i) AS sfzh FROM range(0, {registry}) r(i)").to_arrow_table()  # noqa: S608
    lake.write(TableRef.parse(REGISTRY), reg, mode="overwrite")
    con.close()


def bindings() -> list[Any]:
    from govdata.govern.quality import RuleBinding

    return [
        RuleBinding("not_null", ("xm",)),
        RuleBinding("not_null", ("sfzh",)),
        RuleBinding("id_number", ("sfzh",)),
        RuleBinding("phone", ("sjhm",)),
        RuleBinding("uniqueness", ("sfzh",)),
        RuleBinding("code_set", ("mz",), {"values": [f"{i:02d}" for i in range(1, 57)]}),
        RuleBinding("id_birth_date", ("sfzh", "csrq")),
        RuleBinding("id_gender", ("sfzh", "xb")),
        RuleBinding("range", ("nl",), {"min": 0, "max": 120}),
        RuleBinding("referential", ("fqsfzh",), {"table": REGISTRY, "column": "sfzh"}),
    ]


NAMES = ["not_null(xm)", "not_null(sfzh)", "id_number(sfzh)", "phone(sjhm)", "uniqueness(sfzh)",
         "code_set(mz)", "id_birth_date(sfzh, csrq)", "id_gender(sfzh, xb)", "range(nl)", "referential(fqsfzh)"]  # fmt: skip

# The hand-written query: one pass, each check written directly for this table's data.
_ID = "upper(trim(sfzh))"
_ID_OK = f"regexp_full_match({_ID}, '[0-9]{{17}}[0-9X]')"
_SUM = " + ".join(f"CAST(substr({_ID}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_WEIGHTS))
_CODES = ", ".join(f"'{i:02d}'" for i in range(1, 57))
HAND_SQL = f"""
WITH reg AS (SELECT DISTINCT upper(trim(sfzh)) AS k FROM registry WHERE sfzh IS NOT NULL)
SELECT
  count_if(xm IS NULL OR trim(xm) = ''),
  count_if(sfzh IS NULL OR trim(sfzh) = ''),
  count_if(trim(sfzh) <> '' AND NOT ({_ID_OK} AND substr({_ID}, 1, 2) IN ('11','12','13','14','15','21','22','23',
    '31','32','33','34','35','36','37','41','42','43','44','45','46','50','51','52','53','54','61','62','63','64',
    '65','71','81','82','83') AND try_strptime(substr({_ID}, 7, 8), '%Y%m%d') <= current_date
    AND substr('10X98765432', (({_SUM}) % 11) + 1, 1) = substr({_ID}, 18, 1))),
  count_if(trim(sjhm) <> '' AND NOT regexp_full_match(replace(trim(sjhm), '-', ''), '(?:\\+?86)?1[3-9][0-9]{{9}}')),
  count(sfzh) FILTER (WHERE trim(sfzh) <> '') - count(DISTINCT {_ID}) FILTER (WHERE trim(sfzh) <> ''),
  count_if(trim(mz) <> '' AND trim(mz) NOT IN ({_CODES})),
  count_if({_ID_OK} AND replace(csrq, '-', '') <> substr({_ID}, 7, 8)),
  count_if({_ID_OK} AND xb IN ('1', '2') AND CAST(xb AS INTEGER) % 2 <> CAST(substr({_ID}, 17, 1) AS INTEGER) % 2),
  count_if(nl < 0 OR nl > 120),
  count_if(trim(fqsfzh) <> '' AND upper(trim(fqsfzh)) NOT IN (SELECT k FROM reg))
FROM people
"""  # noqa: S608 - constant


def expected_counts(rows: int) -> dict[str, int]:
    """The planted defects per rule, computed from the moduli (for the rules whose defects overlap
    nothing else: a planted blank ID is not checked by the ID rules, etc.)."""
    ids = range(1, rows + 1)
    null_id = {i for i in ids if i % PLANTED["sfzh_null"] == 0}
    bad_check = {i for i in ids if i % PLANTED["check_char"] == 0} - null_id
    dups = {i for i in ids if i % PLANTED["duplicate"] == 0 and i - 1 >= 1} - null_id - bad_check
    dups -= {i for i in dups if (i - 1) in null_id or (i - 1) in bad_check}
    return {
        "not_null(xm)": rows // PLANTED["xm_null"],
        "not_null(sfzh)": len(null_id),
        "id_number(sfzh)": len(bad_check),
        "phone(sjhm)": rows // PLANTED["phone"],
        "uniqueness(sfzh)": len(dups),
        "code_set(mz)": rows // PLANTED["code_set"],
        "range(nl)": rows // PLANTED["range"],
        "referential(fqsfzh)": rows // PLANTED["dangling"],
    }


# --- the cases, each run in its own process: python -m benchmarks.quality --case NAME '{json}'


def case_govdata(work: str) -> dict[str, Any]:
    from govdata.govern.quality import check_table
    from govdata.lake import Lake, TableRef

    lake = Lake(str(Path(work) / "lake"))
    chosen = bindings()
    check_table(lake, TableRef.parse(PEOPLE), chosen[:1], [KEY])  # warm the registry and the reader
    started, cpu = time.perf_counter(), _cpu()
    report = check_table(lake, TableRef.parse(PEOPLE), chosen, [KEY])
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu,
        "rows": report.rows,
        "counts": dict(zip(NAMES, [r.failed_rows for r in report.results], strict=True)),
    }


def case_hand(work: str) -> dict[str, Any]:
    from govdata.lake import Lake, TableRef

    lake = Lake(str(Path(work) / "lake"))
    with lake.connect(people=TableRef.parse(PEOPLE), registry=TableRef.parse(REGISTRY)) as con:
        rows = con.execute("SELECT count(*) FROM people").fetchone()[0]
        started, cpu = time.perf_counter(), _cpu()
        counts = con.execute(HAND_SQL).fetchone()
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu": _cpu() - cpu,
        "rows": rows,
        "counts": dict(zip(NAMES, counts, strict=True)),
    }


def _cpu() -> float:
    """CPU seconds of this process, every thread: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def case_gx_files(work: str) -> dict[str, Any]:
    """The Parquet files of both tables, for the GE process (which reads no Delta log)."""
    from deltalake import DeltaTable

    lake = Path(work) / "lake" / "raw" / "bench"
    return {
        "files": DeltaTable(str(lake / "people")).file_uris(),
        "registry": DeltaTable(str(lake / "registry")).file_uris(),
    }


def run(name: str, work: Path) -> dict[str, Any]:
    if name == "gx":
        files = run("gx_files", work)
        python = sys.executable
        try:
            import great_expectations  # noqa: F401
        except ImportError:
            python = GX_PYTHON
        cmd = [python, str(ROOT / "benchmarks" / "quality_gx.py"), json.dumps(files)]
    else:
        cmd = [sys.executable, "-m", "benchmarks.quality", "--case", name, json.dumps({"work": str(work)})]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"case {name} failed: {proc.stderr.strip()[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.quality", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the median counts")
    parser.add_argument("--work", default="/tmp/govdata-bench-quality")
    parser.add_argument("--skip-gx", action="store_true", help="leave Great Expectations out")
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
    cases = ["govdata", "hand"] + ([] if opts.skip_gx else ["gx"])
    results: dict[str, list[dict[str, Any]]] = {c: [] for c in cases}
    for _ in range(opts.repeat):
        for name in cases:
            results[name].append(run(name, work))
    report(opts.rows, results)


def report(rows: int, results: dict[str, list[dict[str, Any]]]) -> None:
    labels = {"govdata": "govdata check_table (10 rules, one statement)",
              "hand": "hand-written single-pass DuckDB query (10 checks)",
              "gx": "Great Expectations, pandas (8 expectations it can express)"}  # fmt: skip
    median = {name: statistics.median(r["seconds"] for r in runs) for name, runs in results.items()}
    for name, seconds in median.items():
        runs = ", ".join(f"{r['seconds']:.2f}" for r in results[name])
        print(f"  {labels[name]:<62} {seconds:7.2f} s {rows / seconds:>12,.0f} rows/s   (runs: {runs})")
    print(f"govdata / hand-written: {median['govdata'] / median['hand']:.2f}× the time (target ≤ 1.3×)")
    cpu = {name: statistics.median(r["cpu"] for r in results[name]) for name in ("govdata", "hand")}
    print(
        f"CPU seconds, median: govdata {cpu['govdata']:.2f}, hand-written {cpu['hand']:.2f} "
        f"({cpu['govdata'] / cpu['hand']:.2f}×)"
    )
    if "gx" in median:
        print(
            f"govdata / Great Expectations: {median['gx'] / median['govdata']:.1f}× the rows/s (target ≥ 3×)"
        )
    gov, hand = results["govdata"][0]["counts"], results["hand"][0]["counts"]
    gx = results["gx"][0]["counts"] if "gx" in results else {}
    planted = expected_counts(rows)
    print(f"  {'rule':<28} {'govdata':>9} {'hand':>9} {'planted':>9} {'GE':>9}")
    for name in NAMES:
        ge = gx.get(name, "")
        print(f"  {name:<28} {gov[name]:>9,} {hand[name]:>9,} {planted.get(name, ''):>9} {ge:>9}")
    if gx:
        print(
            f"  GE: ID pattern only (no checksum) {gx['id pattern(sfzh)']:,}; uniqueness counts every row of a"
        )
        print(
            "  duplicated group (govdata and the hand query: all but the first); no birth-date or gender check"
        )
    wrong = [n for n in NAMES if gov[n] != hand[n] or (n in planted and planted[n] != gov[n])]
    if wrong:
        raise SystemExit(f"defect counts disagree: {', '.join(wrong)}")
    print("defect counts agree (govdata = hand-written = planted)")


if __name__ == "__main__":
    main()
