"""Lineage benchmark: ``python -m benchmarks.lineage [--tables N] [--columns C] [--url URL]``.

Builds ``--tables`` chains source → raw → std → base of ``--columns`` columns each (a fresh SQLite
metadata store unless ``--url``), recording each hop with ``record_lineage`` as the jobs do, then
times: one recorded run (mean), the same run recorded again (idempotent refresh), a column's full
lineage both ways (``column_lineage``), a table's, and a pull of 100 OpenLineage events.
Prints milliseconds per operation as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy.orm import sessionmaker

import govdata.db.models  # noqa: F401 - every table, for the migration
from govdata.db.base import make_engine, migrate
from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.govern.lineage.events import events_since
from govdata.govern.lineage.graph import column_lineage, table_lineage
from govdata.security.actor import Actor


def _hop(session, job: str, kind: str, src: str, dst: str, columns: list[str]) -> None:  # type: ignore[no-untyped-def]
    edges = [ColumnEdge(src, c, dst, c, kind) for c in columns]
    record_lineage(session, job=job, kind=kind, inputs=[src], outputs=[dst], column_edges=edges, version=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=500)
    parser.add_argument("--columns", type=int, default=30)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'lineage.db'}"
    engine = make_engine(url)
    migrate(engine)
    sessions = sessionmaker(engine)
    columns = [f"c{i:02d}" for i in range(args.columns)]
    record_ms: list[float] = []
    for t in range(args.tables):
        dept = f"d{t % 40:02d}"
        names = [f"source:{dept}/db/t{t}", f"raw.{dept}.t{t}", f"std.{dept}.t{t}", f"base.{dept}.t{t}"]
        with sessions() as s:
            for i, kind in enumerate(("ingest", "standardize", "merge")):
                started = time.perf_counter()
                _hop(s, f"{kind} {names[i + 1]}", kind, names[i], names[i + 1], columns)
                record_ms.append((time.perf_counter() - started) * 1000)
            s.commit()
    last = args.tables - 1
    dept = f"d{last % 40:02d}"
    actor = Actor.system("bench")
    timings: dict[str, float] = {"record_run_ms": round(statistics.mean(record_ms), 2)}
    with sessions() as s:
        started = time.perf_counter()
        _hop(s, f"merge base.{dept}.t{last}", "merge", f"std.{dept}.t{last}", f"base.{dept}.t{last}", columns)
        s.commit()
        timings["record_again_ms"] = round((time.perf_counter() - started) * 1000, 2)
        for name, call in (
            ("column_lineage_ms", lambda: column_lineage(s, actor, f"std.{dept}.t{last}", "c00", "both")),
            ("table_lineage_ms", lambda: table_lineage(s, actor, f"std.{dept}.t{last}", "both")),
            ("events_100_ms", lambda: events_since(s, actor, None, 100)),
        ):
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                call()
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = round(statistics.median(runs), 2)
    edges = args.tables * 3 * args.columns
    print(json.dumps({"tables": args.tables, "columns": args.columns, "column_edges": edges, **timings}))


if __name__ == "__main__":
    main()
