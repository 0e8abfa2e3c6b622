"""Synthetic people tables for the benchmarks, written fast: DuckDB → CSV → COPY / LOAD DATA.

A people table like the demo's registry (hj_rk): an integer key, the 12-character person number,
name, ID number (as text), gender, birth date, ethnicity and marital codes, address, household
number, phone, registration date, and ``updated_at`` (the incremental cursor, indexed).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pymysql

PG_DSN = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_URL = "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"
TABLE = "bench_people"

COLUMNS = (
    "id bigint NOT NULL PRIMARY KEY, rkid varchar(12), xm varchar(50), sfzh varchar(18), xb char(1), csrq date,"
    " mz char(2), hyzk char(2), hjdz varchar(200), hh varchar(16), lxdh varchar(20), djrq date,"
    " updated_at timestamp NULL"
)

_SELECT = """
SELECT i AS id,
       printf('%012d', i) AS rkid,
       (['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + i % 10]
         || (['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳'])[1 + (i // 10) % 12] AS xm,
       '3301' || printf('%02d', i % 7) || strftime(DATE '1940-01-01' + CAST(i % 29000 AS INTEGER), '%Y%m%d')
         || printf('%03d', i % 1000) || (['0','1','2','3','4','5','6','7','8','9','X'])[1 + i % 11] AS sfzh,
       CAST(1 + i % 2 AS VARCHAR) AS xb,
       DATE '1940-01-01' + CAST(i % 29000 AS INTEGER) AS csrq,
       printf('%02d', 1 + i % 56) AS mz,
       (['10','20','21','30','40'])[1 + i % 5] AS hyzk,
       '示例市' || (['上城区','拱墅区','西湖区','滨江区','萧山区'])[1 + i % 5] || '某某街道' || (i % 300)
         || '号' || (i % 30) || '幢' AS hjdz,
       printf('%016d', i // 3) AS hh,
       '1' || (['3','5','8'])[1 + i % 3] || printf('%09d', (i * 7919) % 1000000000) AS lxdh,
       DATE '2000-01-01' + CAST(i % 8000 AS INTEGER) AS djrq,
       TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(i % 86400 AS BIGINT)) AS updated_at
FROM range(1, {n} + 1) t(i)
"""


def people_csv(path: Path, rows: int) -> Path:
    """``rows`` people as a headerless UTF-8 CSV at ``path`` (reused when already there)."""
    if path.exists():
        return path
    con = duckdb.connect()
    con.execute(f"COPY ({_SELECT.format(n=int(rows))}) TO '{path}' (HEADER false, DELIMITER ',')")
    con.close()
    return path


def seed_postgresql(csv: Path, rows: int) -> float:
    """(Re)create the table in PostgreSQL from ``csv`` with COPY; seconds taken."""
    started = time.monotonic()
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        existing = conn.execute(f"SELECT to_regclass('{TABLE}') IS NOT NULL").fetchone()
        if existing and existing[0] and conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == rows:  # type: ignore[index]  # noqa: S608 - constant name
            _compact_postgresql(conn, rows)
            return 0.0
        conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
        conn.execute(f"CREATE TABLE {TABLE} ({COLUMNS})")
        with conn.cursor().copy(f"COPY {TABLE} FROM STDIN (FORMAT csv)") as copy, csv.open("rb") as f:
            while block := f.read(1 << 20):
                copy.write(block)
        conn.execute(f"CREATE INDEX ON {TABLE} (updated_at)")
        conn.execute(f"VACUUM ANALYZE {TABLE}")
    return time.monotonic() - started


def _compact_postgresql(conn: psycopg.Connection[Any], rows: int) -> None:
    """Earlier runs' updates leave dead row versions behind; on a server with autovacuum off (as on
    the benchmark machine) they pile up and every later full load reads them too (332 MB instead of
    ~170 MB after a few dozen increments). Rewrite the table once they pass a tenth of its rows."""
    dead = conn.execute(
        "SELECT coalesce(n_dead_tup, 0) FROM pg_stat_user_tables WHERE relname = %s", (TABLE,)
    ).fetchone()
    if dead and dead[0] > rows // 10:
        conn.execute(f"VACUUM FULL ANALYZE {TABLE}")


def seed_mariadb(csv: Path, rows: int) -> float:
    """(Re)create the table in MariaDB from ``csv`` with LOAD DATA LOCAL INFILE; seconds taken."""
    started = time.monotonic()
    conn = pymysql.connect(
        host="127.0.0.1", user="root", database="test", local_infile=True, charset="utf8mb4"
    )
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = %s", (TABLE,))
            if cur.fetchone()[0]:  # type: ignore[index]
                cur.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 - constant name
                if cur.fetchone()[0] == rows:  # type: ignore[index]  # noqa: S608 - constant name
                    return 0.0
            cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cur.execute(f"CREATE TABLE {TABLE} ({COLUMNS}, INDEX (updated_at)) DEFAULT CHARSET utf8mb4")
            cur.execute(
                f"LOAD DATA LOCAL INFILE %s INTO TABLE {TABLE} CHARACTER SET utf8mb4 "
                "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'",
                (str(csv),),
            )
        conn.commit()
    finally:
        conn.close()
    return time.monotonic() - started


def _execute(backend: str, *sql: str) -> list[tuple[object, ...]]:
    """Run ``sql`` statements on ``backend``; the rows of the last one."""
    rows: list[tuple[object, ...]] = []
    if backend == "postgresql":
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            for stmt in sql:
                cur = conn.execute(stmt)
                rows = list(cur.fetchall()) if cur.description else []
        return rows
    conn = pymysql.connect(host="127.0.0.1", user="root", database="test")
    try:
        with conn.cursor() as cur:
            for stmt in sql:
                cur.execute(stmt)
                rows = list(cur.fetchall())
        conn.commit()
    finally:
        conn.close()
    return rows


def _next_stamp(backend: str, table: str = TABLE) -> str:
    """A timestamp one minute past every ``updated_at`` in ``table`` (the next change's cursor)."""
    (top,) = _execute(backend, f"SELECT max(updated_at) FROM {table}")[0]  # noqa: S608 - constant name
    return f"{top + dt.timedelta(minutes=1):%Y-%m-%d %H:%M:%S}"  # type: ignore[operator]


def _spread(backend: str, stamp: str) -> str:
    """SQL for ``stamp`` plus ``id`` seconds: changed rows get distinct cursor values, as in real
    systems — so the inclusive cursor re-reads one row at the boundary, not a whole batch."""
    if backend == "postgresql":
        return f"TIMESTAMP '{stamp}' + id * INTERVAL '1 second'"
    return f"TIMESTAMP '{stamp}' + INTERVAL id SECOND"


def touch_one_percent(backend: str, rows: int) -> None:
    """Random 1 % updates: every 100th row gets a new marital code and a new ``updated_at``."""
    stamp = _spread(backend, _next_stamp(backend))
    _execute(backend, f"UPDATE {TABLE} SET updated_at = {stamp}, hyzk = '22' WHERE id % 100 = 0")  # noqa: S608


def add_new_rows(backend: str, rows: int) -> None:
    """A realistic increment of 1 %: 0.9 % new rows (keys past the end) + 0.1 % updates of recent rows."""
    stamp = _spread(backend, _next_stamp(backend))
    new, recent = rows * 9 // 1000, rows // 1000
    _execute(
        backend,
        f"INSERT INTO {TABLE} SELECT id + {rows}, rkid, xm, sfzh, xb, csrq, mz, hyzk, hjdz, hh, lxdh, djrq, "  # noqa: S608
        f"{stamp} FROM {TABLE} WHERE id <= {new}",
        f"UPDATE {TABLE} SET updated_at = {stamp}, hyzk = '23' WHERE id > {rows - recent} AND id <= {rows}",  # noqa: S608
    )


def drop_new_rows(backend: str, rows: int) -> None:
    """Remove the rows ``add_new_rows`` added, so the table has ``rows`` rows again."""
    _execute(backend, f"DELETE FROM {TABLE} WHERE id > {rows}")  # noqa: S608 - constant name


WARM_TABLE = "bench_warm"


def touch_warm(backend: str) -> None:
    """A quarter of the warm-up table changed, so the warm-up increment takes an upsert's whole path."""
    stamp = _spread(backend, _next_stamp(backend, WARM_TABLE))
    _execute(backend, f"UPDATE {WARM_TABLE} SET updated_at = {stamp}, hyzk = '21' WHERE id % 4 = 0")  # noqa: S608


def warm_table(backend: str, rows: int = 20_000) -> str:
    """A small copy of the people table (its first ``rows`` rows), for a worker's warm-up load."""
    pk = f"ALTER TABLE {WARM_TABLE} ADD PRIMARY KEY (id)"
    _execute(
        backend,
        f"DROP TABLE IF EXISTS {WARM_TABLE}",
        f"CREATE TABLE {WARM_TABLE} AS SELECT * FROM {TABLE} WHERE id <= {int(rows)}",  # noqa: S608
        pk,
    )
    return WARM_TABLE
