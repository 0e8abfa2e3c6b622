"""One measured case per process: ``python -m benchmarks.cases NAME '{json args}'``.

Prints one JSON line: ``{"seconds", "rows", "rss_mb"}``. Peak RSS is this process's own maximum
plus that of any tool it ran (``RUSAGE_SELF`` / ``RUSAGE_CHILDREN``), so each case is measured alone.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.seed import MARIADB_URL, PG_URL, TABLE, touch_warm, warm_table

CASES: dict[str, Callable[..., Any]] = {}


def case(fn: Callable[..., Any]) -> Callable[..., Any]:
    CASES[fn.__name__] = fn
    return fn


@case
def floor_pg(out: str, since: str | None = None, **_: Any) -> int:
    """Single-stream floor: psql ``COPY … TO STDOUT`` into a file (``since``: only the rows an
    increment reads, ``updated_at >= since``)."""
    query = f"({_select(since)})" if since else TABLE
    with open(out, "wb") as f:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c",
                        f"COPY {query} TO STDOUT"], stdout=f, check=True)  # fmt: skip
    return _lines(out)


@case
def floor_mariadb(out: str, since: str | None = None, **_: Any) -> int:
    """Single-stream floor: the mariadb client's unbuffered batch dump into a file (``since``: as above)."""
    with open(out, "wb") as f:
        subprocess.run(["mariadb", "-h", "127.0.0.1", "-u", "root", "--quick", "--batch", "--skip-column-names",
                        "test", "-e", _select(since)], stdout=f, check=True)  # fmt: skip
    return _lines(out)


def _select(since: str | None) -> str:
    """The rows of the people table, or those ``updated_at >= since`` (a timestamp, checked as one)."""
    if since is None:
        return f"SELECT * FROM {TABLE}"  # noqa: S608 - constant name
    stamp = dt.datetime.fromisoformat(since)
    return f"SELECT * FROM {TABLE} WHERE updated_at >= TIMESTAMP '{stamp:%Y-%m-%d %H:%M:%S.%f}'"  # noqa: S608


def cursor_of(work: str, backend: str) -> str | None:
    """The cursor the next ``runner_incremental`` reads from (the people table's source-table state)."""
    import sqlite3

    meta = Path(work) / f"meta_{backend}.db"
    with sqlite3.connect(meta) as con:
        row = con.execute("SELECT state FROM ingest_source_tables").fetchone()
    return json.loads(row[0]).get("cursor") if row and row[0] else None


def _lines(path: str) -> int:
    with open(path, "rb") as f:
        return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 22), b""))


@case
def govdata(lake: str, backend: str, engine: str = "auto", parallel: int = 1, **_: Any) -> int:
    """govdata's full load: the sql connector → one committed Delta raw table."""
    from govdata.ingest import load_to_lake
    from govdata.lake import Lake

    url = PG_URL if backend == "postgresql" else MARIADB_URL
    config = {"url": url, "table": TABLE, "engine": engine, "parallel": parallel, "batch_size": 131072}
    shutil.rmtree(lake, ignore_errors=True)
    return load_to_lake(Lake(lake), "bench", "people", "sql", config).rows_written


def _runner(work: str, backend: str, table: str = TABLE, meta_name: str = "meta") -> tuple[Any, Any, Any]:
    """The metadata store (SQLite under ``work``), its session and the people table's SourceTable."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import govdata.security.models as security
    from govdata.db.base import Base, make_engine
    from govdata.ingest.models import Source, SourceTable
    from govdata.ingest.runner import store_config

    meta = Path(work) / f"{meta_name}_{backend}.db"
    fresh = not meta.exists()
    engine = make_engine(f"sqlite:///{meta}")
    Base.metadata.create_all(engine)
    session = Session(engine, expire_on_commit=False)
    if fresh:
        session.add(security.Region(code="330100", name="示例市", level="city"))
        session.add(security.Department(id=1, code="bench", name="基准部门", uscc="91350100M000100Y43",
                                        region_code="330100"))  # fmt: skip
        session.flush()
        source = Source(department_id=1, name=f"bench_{backend}", connector="sql")
        url = PG_URL if backend == "postgresql" else MARIADB_URL
        store_config(source, {"url": url, "table": table, "batch_size": 131072}, RUNNER_KEY)
        session.add(source)
        session.add(SourceTable(source=source, source_table=table, lake_table="people", mode="incremental",
                                key_columns=["id"], cursor_column="updated_at"))  # fmt: skip
        session.commit()
    table = session.execute(select(SourceTable)).scalars().one()
    return engine, session, table


RUNNER_KEY = "bench-secret-0123456789abcdef0123456789"


def _warm_worker(work: str, backend: str) -> None:
    """What a scheduler process has done before the run measured: a full load and an increment of
    another (small: 20,000 rows, a quarter changed) table — so one-time costs (DataFusion's, DuckDB's
    and Arrow's first calls, statement caches, lazily imported modules) are not counted as the cost
    of every run."""
    from govdata.ingest.runner import run_table
    from govdata.lake import Lake

    name = warm_table(backend)
    lake = Lake(str(Path(work) / "lake" / f"{backend}_warm"))
    engine, session, table = _runner(work, backend, table=name, meta_name="meta_warm")
    run_table(session, lake, None, "bench", table, secret_key=RUNNER_KEY, full=True)
    touch_warm(backend)
    run_table(session, lake, None, "bench", table, secret_key=RUNNER_KEY)
    session.close()
    engine.dispose()


def _timed_run(lake: str, work: str, backend: str, full: bool) -> tuple[int, float, dict[str, Any]]:
    """``run_table`` on the people table, timed alone: the metadata store is opened before the clock,
    as a scheduler holds it open."""
    from govdata.ingest.runner import run_table
    from govdata.lake import Lake

    engine, session, table = _runner(work, backend)
    started = time.perf_counter()
    run = run_table(session, Lake(lake), None, "bench", table, secret_key=RUNNER_KEY, full=full)
    seconds = time.perf_counter() - started
    session.close()
    engine.dispose()
    return int(run.rows_written), seconds, {}


@case
def runner_full(lake: str, work: str, backend: str, **_: Any) -> tuple[int, float, dict[str, Any]]:
    """A snapshot of the table through ``run_table`` (full=True), which also sets the cursor."""
    shutil.rmtree(lake, ignore_errors=True)
    Path(work, f"meta_{backend}.db").unlink(missing_ok=True)
    return _timed_run(lake, work, backend, full=True)


@case
def runner_incremental(lake: str, work: str, backend: str, **_: Any) -> tuple[int, float, dict[str, Any]]:
    """The rows changed since the last run (``updated_at >= cursor``), merged by key through ``run_table``."""
    return _timed_run(lake, work, backend, full=False)


GOVERNED_CODE = "330100/1010/bench-0001"


def _governed(work: str, backend: str, fresh: bool) -> tuple[Any, Any]:
    """A platform under ``work`` whose people table is linked to a published catalog resource, so
    each run is followed by governance's after-load steps; and the table's SourceTable id."""
    from pydantic import SecretStr
    from sqlalchemy import select

    from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
    from govdata.config import Settings
    from govdata.ingest.models import SourceTable
    from govdata.ingest.service import add_table, register_source
    from govdata.runtime import Platform
    from govdata.security.actor import Actor
    from govdata.security.org import create_department, ensure_region

    home = Path(work) / f"governed_{backend}"
    if fresh:
        shutil.rmtree(home, ignore_errors=True)
    platform = Platform.open(Settings(home=home, secret_key=SecretStr(RUNNER_KEY)))
    if not fresh:
        with platform.sessions() as s:
            return platform, s.scalars(select(SourceTable.id)).one()
    system = Actor.system("bench")
    items = [ItemIn(column="rkid", name="人口编号", length=12), ItemIn(column="xm", name="姓名", required=True,
             masking="name", sensitive=True), ItemIn(column="sfzh", name="公民身份号码", length=18,
             masking="id_number", sensitive=True), ItemIn(column="xb", name="性别"), ItemIn(column="csrq",
             name="出生日期", data_type="日期"), ItemIn(column="hjdz", name="户籍地址", masking="address",
             sensitive=True), ItemIn(column="lxdh", name="联系电话", masking="mobile", sensitive=True)]  # fmt: skip
    url = PG_URL if backend == "postgresql" else MARIADB_URL
    with platform.unit() as s:
        ensure_region(s, "330000", "浙江省", "province", None)
        ensure_region(s, "330100", "示例市", "city", "330000")
        create_department(s, platform.audit, system, code="bench", name="基准部门", uscc="91350100M000100Y43",
                          region_code="330100")  # fmt: skip
        create_resource(s, platform.audit, system, ResourceIn(code=GOVERNED_CODE, name="户籍人口（基准）",
                        department="bench", summary="基准测试用的户籍人口", category="基础", format="数据库",
                        share_type="有条件共享", share_condition="仅限履行法定职责使用", open_type="不予开放",
                        update_cycle="每日", lake_table="raw.bench.people", key_column="id", items=items))  # fmt: skip
        publish_resource(s, platform.audit, system, GOVERNED_CODE)
        source = register_source(s, platform.audit, system, "bench", f"bench_{backend}", "sql",
                                 {"url": url, "table": TABLE, "batch_size": 131072}, secret_key=RUNNER_KEY)  # fmt: skip
        table = add_table(s, platform.audit, system, source.id, TABLE, "people", key_columns=["id"],
                          mode="incremental", cursor_column="updated_at", resource_code=GOVERNED_CODE)  # fmt: skip
        return platform, table.id


def _timed_steps() -> dict[str, float]:
    """Time each of governance's after-load steps (the pipeline looks them up at every run)."""
    import govdata.govern.pipeline as pipeline

    took: dict[str, float] = {}
    real = pipeline.steps

    def timed() -> list[tuple[str, Callable[[Any], None]]]:
        def wrap(name: str, step: Callable[[Any], None]) -> Callable[[Any], None]:
            def run(ctx: Any) -> None:
                started = time.perf_counter()
                try:
                    step(ctx)
                finally:
                    took[name] = round(time.perf_counter() - started, 3)

            return run

        return [(name, wrap(name, step)) for name, step in real()]

    pipeline.steps = timed  # type: ignore[assignment]
    return took


def _governed_run(work: str, backend: str, full: bool) -> tuple[int, float, dict[str, Any]]:
    from govdata.ingest.models import SourceTable
    from govdata.ingest.runner import run_table
    from govdata.security.actor import Actor

    platform, table_id = _governed(work, backend, fresh=full)
    took = _timed_steps()
    with platform.sessions() as s:
        table = s.get(SourceTable, table_id)
        started = time.perf_counter()
        run = run_table(s, platform.lake, platform.audit, Actor.system("bench"), table, secret_key=RUNNER_KEY,
                        full=full)  # fmt: skip
        seconds = time.perf_counter() - started
    platform.engine.dispose()
    return int(run.rows_written), seconds, {"load": round(seconds - sum(took.values()), 3), **took}


@case
def governed_full(work: str, backend: str, **_: Any) -> tuple[int, float, dict[str, Any]]:
    """A full load of the table linked to a catalog resource, governance's after-load steps included."""
    return _governed_run(work, backend, full=True)


@case
def governed_incremental(work: str, backend: str, **_: Any) -> tuple[int, float, dict[str, Any]]:
    """An increment of the governed table: the load, then lineage, standardize, quality, profile."""
    return _governed_run(work, backend, full=False)


@case
def dlt_load(lake: str, backend: str, dlt_backend: str, **_: Any) -> int:
    """dlt's sql_table source with ``dlt_backend`` into a local filesystem Delta table."""
    import dlt
    from dlt.sources.sql_database import sql_table

    url = PG_URL if backend == "postgresql" else MARIADB_URL.split("?")[0]
    shutil.rmtree(lake, ignore_errors=True)
    Path(lake).mkdir(parents=True)
    source = sql_table(credentials=url, table=TABLE, backend=dlt_backend, chunk_size=100_000)
    pipeline = dlt.pipeline(
        pipeline_name=f"bench_{dlt_backend}",
        pipelines_dir=str(Path(lake) / ".dlt"),
        destination=dlt.destinations.filesystem(bucket_url=str(Path(lake) / "out")),
        dataset_name="bench",
    )
    info = pipeline.run(source, table_format="delta", loader_file_format="parquet")
    info.raise_on_failed_jobs()
    return int(pipeline.last_trace.last_normalize_info.row_counts.get(TABLE, 0))  # type: ignore[union-attr]


@case
def csv_govdata(path: str, lake: str, **_: Any) -> int:
    """govdata's csv connector (encoding detected) → Delta."""
    from govdata.ingest import load_to_lake
    from govdata.lake import Lake

    shutil.rmtree(lake, ignore_errors=True)
    return load_to_lake(Lake(lake), "bench", "people_csv", "csv", {"path": path}).rows_written


@case
def csv_pandas(path: str, **_: Any) -> int:
    """pandas.read_csv(encoding="gbk", dtype=str) into a DataFrame (no lake write)."""
    import pandas as pd

    return len(pd.read_csv(path, encoding="gbk", dtype=str))


@case
def excel_govdata(path: str, lake: str, **_: Any) -> int:
    """govdata's excel connector (header located, values as text) → Delta."""
    from govdata.ingest import load_to_lake
    from govdata.lake import Lake

    shutil.rmtree(lake, ignore_errors=True)
    return load_to_lake(Lake(lake), "bench", "people_xlsx", "excel", {"path": path}).rows_written


@case
def excel_pandas(path: str, **_: Any) -> int:
    """pandas.read_excel(engine="openpyxl", dtype=str) into a DataFrame (no lake write)."""
    import pandas as pd

    return len(pd.read_excel(path, dtype=str, engine="openpyxl"))


# what a scheduler process has imported before its first run: the runner calls the catalog and
# governance after each load, and the sql connector the source's SQLAlchemy dialect
RUNNER_MODULES = [
    "govdata.ingest.runner",
    "govdata.security.models",
    "govdata.catalog.follow",
    "govdata.govern.pipeline",
    "govdata.govern.quality.blocking",
    "govdata.govern.quality.stored",
    "govdata.lake",
    "deltalake",
    "adbc_driver_postgresql.dbapi",
    "connectorx",
    "sqlalchemy.dialects.postgresql.psycopg",
    "sqlalchemy.dialects.mysql.pymysql",
]

# imported before the clock starts: a case measures the load, not Python's start-up
WARM = {
    "govdata": ["govdata.ingest", "govdata.lake", "deltalake", "adbc_driver_postgresql.dbapi", "connectorx"],
    "runner_full": RUNNER_MODULES,
    "runner_incremental": RUNNER_MODULES,
    "governed_full": [*RUNNER_MODULES, "govdata.runtime", "govdata.catalog"],
    "governed_incremental": [*RUNNER_MODULES, "govdata.runtime", "govdata.catalog"],
    "dlt_load": ["dlt", "dlt.sources.sql_database", "deltalake", "connectorx"],
    "csv_govdata": ["govdata.ingest", "govdata.lake", "deltalake"],
    "excel_govdata": ["govdata.ingest", "govdata.lake", "deltalake", "openpyxl"],
    "csv_pandas": ["pandas"],
    "excel_pandas": ["pandas", "openpyxl"],
}


def main() -> None:
    name, args = sys.argv[1], json.loads(sys.argv[2])
    for module in WARM.get(name, []):
        importlib.import_module(module)
    if "govdata.lake" in WARM.get(name, []):  # the connector registry imports every connector once
        from govdata.ingest import get_connector

        connector = get_connector("sql")
        if "backend" in args:  # a first look at the source, as a worker that has run before has had
            connector.schema(
                {"url": PG_URL if args["backend"] == "postgresql" else MARIADB_URL, "table": TABLE}
            )
    if name.startswith("runner_"):
        _warm_worker(args["work"], args["backend"])
    started = time.perf_counter()
    result = CASES[name](**args)
    seconds = time.perf_counter() - started
    detail: dict[str, Any] = {}
    if isinstance(result, tuple):  # the case timed its own part (setup excluded), with details
        result, seconds, detail = result
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps({"seconds": seconds, "rows": result, "rss_mb": max(own, tools) / 1024, "detail": detail})
    )


if __name__ == "__main__":
    main()
