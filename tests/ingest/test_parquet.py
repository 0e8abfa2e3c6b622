"""The ``parquet`` connector: files and partitioned directories, typed columns, narrowed reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from govdata.errors import InvalidInput
from govdata.ingest.connectors.base import ReadRequest
from govdata.ingest.connectors.parquet import ParquetConnector
from govdata.ingest.runner import load_to_lake
from govdata.lake import Lake, TableRef


def _people(n: int, start: int = 0) -> pa.Table:
    return pa.table(
        {
            "id": pa.array(range(start, start + n), pa.int64()),
            "name": [f"居民{i}" for i in range(start, start + n)],
            "updated": [
                dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=i) for i in range(start, start + n)
            ],
        }
    )


def test_file_keeps_types_and_loads_into_the_lake(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    pq.write_table(_people(1000), path, row_group_size=100)
    connector = ParquetConnector()
    assert connector.schema({"path": str(path)}).field("updated").type == pa.timestamp("us", tz="UTC")
    assert connector.discover({"path": str(path)}) == ["people"]
    lake = Lake(str(tmp_path / "lake"))
    result = load_to_lake(lake, "gaj", "people", "parquet", {"path": str(path)})
    assert result.rows_written == 1000
    assert lake.schema(TableRef("raw", "gaj", "people")).field("id").type == pa.int64()


def test_directory_with_partitions_columns_limit_and_cursor(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    for year, start in ((2023, 0), (2024, 50)):
        part = folder / f"year={year}"
        part.mkdir(parents=True)
        pq.write_table(_people(50, start), part / "part-0.parquet")
    (folder / "_SUCCESS").write_text("")
    connector = ParquetConnector()
    config = {"path": str(folder)}
    assert connector.schema(config).names == ["id", "name", "updated", "year"]
    batches = list(connector.read(config, ReadRequest(columns=("id",), limit=7)))
    assert sum(b.num_rows for b in batches) == 7 and batches[0].schema.names == ["id"]
    newer = pa.Table.from_batches(
        list(connector.read(config, ReadRequest(cursor_column="id", cursor_value=95)))
    )
    assert sorted(newer.column("id").to_pylist()) == [95, 96, 97, 98, 99]
    since = "2024-02-15T00:00:00+00:00"
    recent = pa.Table.from_batches(
        list(connector.read(config, ReadRequest(cursor_column="updated", cursor_value=since)))
    )
    assert recent.num_rows == 100 - 45
    one = pa.Table.from_batches(list(connector.read(config, ReadRequest(where_equals=(("id", 3),)))))
    assert one.column("name").to_pylist() == ["居民3"]


def test_bad_paths_and_files(tmp_path: Path) -> None:
    connector = ParquetConnector()
    with pytest.raises(InvalidInput) as err:
        connector.schema({"path": str(tmp_path / "nope.parquet")})
    assert err.value.code == "ingest.file_not_found"
    fake = tmp_path / "fake.parquet"
    fake.write_text("id,name\n1,a\n")
    with pytest.raises(InvalidInput) as err:
        connector.schema({"path": str(fake)})
    assert err.value.code == "ingest.parquet_invalid"
    good = tmp_path / "good.parquet"
    pq.write_table(_people(3), good)
    with pytest.raises(InvalidInput) as err:
        list(connector.read({"path": str(good)}, ReadRequest(columns=("nope",))))
    assert err.value.code == "ingest.parquet_column"
