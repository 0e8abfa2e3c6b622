"""One measured case per process: ``python -m benchmarks.cases NAME '{json args}'``.

Prints one JSON line: ``{"seconds", "rows", "rss_mb"}``. Peak RSS is this process's own maximum
plus that of any tool it ran (``RUSAGE_SELF`` / ``RUSAGE_CHILDREN``), so each case is measured alone.
"""

from __future__ import annotations

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

from benchmarks.seed import MARIADB_URL, PG_URL, TABLE

CASES: dict[str, Callable[..., int]] = {}


def case(fn: Callable[..., int]) -> Callable[..., int]:
    CASES[fn.__name__] = fn
    return fn


@case
def floor_pg(out: str, **_: Any) -> int:
    """Single-stream floor: psql ``COPY … TO STDOUT`` into a file."""
    with open(out, "wb") as f:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-c",
                        f"COPY {TABLE} TO STDOUT"], stdout=f, check=True)  # fmt: skip
    return _lines(out)


@case
def floor_mariadb(out: str, **_: Any) -> int:
    """Single-stream floor: the mariadb client's unbuffered batch dump into a file."""
    with open(out, "wb") as f:
        subprocess.run(["mariadb", "-h", "127.0.0.1", "-u", "root", "--quick", "--batch", "--skip-column-names",
                        "test", "-e", f"SELECT * FROM {TABLE}"], stdout=f, check=True)  # fmt: skip  # noqa: S608 - constant name
    return _lines(out)


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


def _runner(work: str, backend: str) -> tuple[Any, Any, Any]:
    """The metadata store (SQLite under ``work``), its session and the people table's SourceTable."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import govdata.security.models as security
    from govdata.db.base import Base, make_engine
    from govdata.ingest.models import Source, SourceTable
    from govdata.ingest.runner import store_config

    meta = Path(work) / f"meta_{backend}.db"
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
        store_config(source, {"url": url, "table": TABLE, "batch_size": 131072}, RUNNER_KEY)
        session.add(source)
        session.add(SourceTable(source=source, source_table=TABLE, lake_table="people", mode="incremental",
                                key_columns=["id"], cursor_column="updated_at"))  # fmt: skip
        session.commit()
    table = session.execute(select(SourceTable)).scalars().one()
    return engine, session, table


RUNNER_KEY = "bench-secret-0123456789abcdef0123456789"


@case
def runner_full(lake: str, work: str, backend: str, **_: Any) -> int:
    """A snapshot of the table through ``run_table`` (full=True), which also sets the cursor."""
    from govdata.ingest.runner import run_table
    from govdata.lake import Lake

    shutil.rmtree(lake, ignore_errors=True)
    Path(work, f"meta_{backend}.db").unlink(missing_ok=True)
    engine, session, table = _runner(work, backend)
    run = run_table(session, Lake(lake), None, "bench", table, secret_key=RUNNER_KEY, full=True)
    session.close()
    engine.dispose()
    return int(run.rows_written)


@case
def runner_incremental(lake: str, work: str, backend: str, **_: Any) -> int:
    """The rows changed since the last run (``updated_at >= cursor``), merged by key through ``run_table``."""
    from govdata.ingest.runner import run_table
    from govdata.lake import Lake

    engine, session, table = _runner(work, backend)
    run = run_table(session, Lake(lake), None, "bench", table, secret_key=RUNNER_KEY)
    session.close()
    engine.dispose()
    return int(run.rows_written)


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


# imported before the clock starts: a case measures the load, not Python's start-up
WARM = {
    "govdata": ["govdata.ingest", "govdata.lake", "deltalake", "adbc_driver_postgresql.dbapi", "connectorx"],
    "runner_full": [
        "govdata.ingest.runner",
        "govdata.security.models",
        "govdata.lake",
        "deltalake",
        "adbc_driver_postgresql.dbapi",
        "connectorx",
    ],
    "runner_incremental": [
        "govdata.ingest.runner",
        "govdata.security.models",
        "govdata.lake",
        "deltalake",
        "adbc_driver_postgresql.dbapi",
        "connectorx",
    ],
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

        get_connector("sql")
    started = time.perf_counter()
    rows = CASES[name](**args)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tools = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": seconds, "rows": rows, "rss_mb": max(own, tools) / 1024}))


if __name__ == "__main__":
    main()
