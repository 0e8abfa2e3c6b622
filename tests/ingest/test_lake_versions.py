"""Lake MERGE atomicity, time travel, the quarantine area, and kill -9 in the middle of a load."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from govdata.errors import NotFound
from govdata.ingest.runner import run_table
from govdata.lake import Lake, TableRef
from tests.ingest.test_modes import KEY, add_table

REF = TableRef("raw", "gaj", "people")
SCHEMA = pa.schema([pa.field("id", pa.int64()), pa.field("name", pa.string())])


def _rows(lake: Lake, version: int | None = None) -> list[tuple[int, str]]:
    table = lake.dataset(REF, version).to_table().sort_by("id")
    return list(zip(table.column("id").to_pylist(), table.column("name").to_pylist(), strict=True))


def test_merge_updates_inserts_and_deletes_in_one_commit(lake: Lake) -> None:
    lake.write(REF, pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}, schema=SCHEMA))
    result = lake.merge(REF, pa.table({"id": [2, 4, 4], "name": ["B", "d", "D"]}, schema=SCHEMA), ["id"])
    assert (result.version, result.inserted, result.updated, result.deleted) == (1, 1, 1, 0)
    assert _rows(lake) == [(1, "a"), (2, "B"), (3, "c"), (4, "D")]  # a repeated key keeps its last row
    gone = lake.merge(REF, pa.table({"id": [1, 2, 4], "name": ["a", "B", "D"]}, schema=SCHEMA), ["id"],
                      delete_missing=True)  # fmt: skip
    assert (gone.version, gone.deleted) == (2, 1) and _rows(lake) == [(1, "a"), (2, "B"), (4, "D")]


def test_failing_merge_stream_leaves_the_previous_version(lake: Lake) -> None:
    lake.write(REF, pa.table({"id": [1], "name": ["a"]}, schema=SCHEMA))

    def batches() -> Iterator[pa.RecordBatch]:
        yield pa.RecordBatch.from_pydict({"id": [1, 2], "name": ["A", "b"]}, schema=SCHEMA)
        raise ConnectionResetError("source went away")

    with pytest.raises(ConnectionResetError):
        lake.merge(REF, batches(), ["id"], schema=SCHEMA)
    assert lake.version(REF) == 0 and _rows(lake) == [(1, "a")]


def test_time_travel_answers_what_the_table_held_at_a_date(lake: Lake) -> None:
    lake.write(REF, pa.table({"id": [1], "name": ["a"]}, schema=SCHEMA))
    time.sleep(0.05)
    between = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    lake.merge(REF, pa.table({"id": [1, 2], "name": ["A", "b"]}, schema=SCHEMA), ["id"])
    assert lake.version_at(REF, between) == 0
    assert lake.as_of(REF, between).to_table().to_pylist() == [{"id": 1, "name": "a"}]
    assert lake.version_at(REF, dt.datetime.now(dt.UTC)) == 1
    assert _rows(lake, version=0) == [(1, "a")]
    with pytest.raises(NotFound) as info:
        lake.as_of(REF, between - dt.timedelta(days=1))
    assert info.value.code == "lake.no_version_at"


CHILD = """
import sys, time
from sqlalchemy.orm import Session
import govdata.security.models  # noqa: F401
from govdata.db.base import make_engine
from govdata.ingest.models import SourceTable
from govdata.ingest.runner import run_table
from govdata.lake import Lake

meta, root, table_id, marker, key = sys.argv[1:]

def progress(rows):
    if rows >= 5000:
        open(marker, "w").close()
    time.sleep(0.02)

with Session(make_engine(f"sqlite:///{meta}")) as s:
    run_table(s, Lake(root), None, "killed", s.get(SourceTable, int(table_id)), secret_key=key, progress=progress)
print("finished")
"""


@pytest.mark.parametrize("mode", ["full", "upsert"])
def test_kill_9_mid_load_keeps_the_previous_version(
    session: Session, lake: Lake, tmp_path: Path, mode: str
) -> None:
    url = f"sqlite:///{tmp_path / 'src.db'}"
    source = create_engine(url)
    with source.begin() as conn:
        conn.execute(text("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)"))
        conn.execute(text(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) "
            "INSERT INTO people SELECT x, 'n' || x FROM c"
        ))  # fmt: skip
    cfg = {"url": url, "table": "people", "batch_size": 500}
    st = add_table(session, "sql", cfg, lake_table="people", mode=mode, key_columns=["id"])
    before = run_table(session, lake, None, None, st, secret_key=KEY)
    with source.begin() as conn:
        conn.execute(text(
            "WITH RECURSIVE c(x) AS (SELECT 1001 UNION ALL SELECT x + 1 FROM c WHERE x < 50000) "
            "INSERT INTO people SELECT x, 'n' || x FROM c"
        ))  # fmt: skip
        conn.execute(text("UPDATE people SET name = 'changed' WHERE id = 1"))
    source.dispose()
    marker = tmp_path / "mid-load"
    meta = tmp_path / "meta.db"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(meta), lake.root, str(st.id), str(marker), KEY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": os.getcwd()},
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the load never got going"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert lake.version(REF) == before.lake_version
    with lake.connect(t=REF) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id), max(id) FROM t").fetchall() == [
            (1000, 1000, 1000)
        ]
        assert con.execute("SELECT name FROM t WHERE id = 1").fetchall() == [("n1",)]
    after = run_table(session, lake, None, None, st, secret_key=KEY)
    assert after.status == "succeeded"
    with lake.connect(t=REF) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id), max(id) FROM t").fetchall() == [
            (50000, 50000, 50000)
        ]
        assert con.execute("SELECT name FROM t WHERE id = 1").fetchall() == [("changed",)]
    assert _rows(lake, version=before.lake_version)[:2] == [(1, "n1"), (2, "n2")]  # still readable
