"""Each thread keeps the tables it opened (``Lake._latest``) and still always sees the newest commit."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pyarrow as pa

from govdata.lake import Lake, TableRef

REF = TableRef("raw", "dept", "people")


def _rows(n: int, start: int = 0) -> pa.Table:
    return pa.table(
        {"id": pa.array(range(start, start + n), pa.int64()), "name": [f"名{i}" for i in range(n)]}
    )


def test_commits_of_another_writer_are_seen(tmp_path: Path) -> None:
    """Another process (here another Lake on the same root) commits; this one reads the new version."""
    reader, writer = Lake(str(tmp_path)), Lake(str(tmp_path))
    writer.write(REF, _rows(3))
    assert (reader.version(REF), reader.count(REF)) == (0, 3)
    writer.write(REF, _rows(2, start=3), mode="append")
    writer.merge(REF, _rows(1, start=4).set_column(1, "name", pa.array(["改"])), ["id"])
    assert (reader.version(REF), reader.count(REF)) == (2, 5)
    assert reader.stats(REF).records == 5
    with reader.connect(t=REF) as con:
        assert con.execute("SELECT name FROM t WHERE id = 4").fetchone() == ("改",)


def test_a_table_replaced_under_its_path_is_opened_afresh(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    lake.write(REF, _rows(5))
    lake.write(REF, _rows(5), mode="append")
    assert lake.version(REF) == 1
    shutil.rmtree(Path(lake.uri(REF)))
    Lake(str(tmp_path)).write(REF, pa.table({"code": ["a", "b"]}))
    assert lake.version(REF) == 0
    assert lake.schema(REF).names == ["code"]
    assert lake.count(REF) == 2


def test_threads_keep_their_own_copies(tmp_path: Path) -> None:
    lake = Lake(str(tmp_path))
    lake.write(REF, _rows(10))
    seen: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                lake.version(REF)
                seen.append(lake.count(REF))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    lake.write(REF, _rows(10, start=10), mode="append")
    for t in threads:
        t.join()
    assert not errors
    assert set(seen) <= {10, 20}
    assert lake.count(REF) == 20
