"""The lake's file layout, the read-ahead of written streams, and MERGE from a source staged on disk."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import govdata.lake.store as store
from govdata.lake import Lake, TableRef
from govdata.lake.writing import ROW_GROUP_ROWS, prefetch

REF = TableRef("raw", "lk", "people")
SCHEMA = pa.schema([pa.field("id", pa.int64()), pa.field("name", pa.string())])


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(str(tmp_path / "lake"))


def _people(ids: range, tag: str = "") -> pa.Table:
    return pa.table({"id": list(ids), "name": [f"n{i}{tag}" for i in ids]}, schema=SCHEMA)


def _rows(lake: Lake) -> list[tuple[int, str]]:
    table = lake.dataset(REF).to_table().sort_by("id")
    return list(zip(table.column("id").to_pylist(), table.column("name").to_pylist(), strict=True))


def test_writes_use_the_measured_parquet_layout(lake: Lake) -> None:
    lake.write(REF, iter(_people(range(200_000)).to_batches(50_000)), schema=SCHEMA)
    files = lake._table(REF).file_uris()
    meta = pq.ParquetFile(files[0]).metadata
    assert meta.row_group(0).column(0).compression == "SNAPPY"
    assert max(meta.row_group(i).num_rows for i in range(meta.num_row_groups)) <= ROW_GROUP_ROWS
    assert lake.count(REF) == 200_000


def test_a_failing_stream_raises_its_own_error_and_commits_nothing(lake: Lake) -> None:
    lake.write(REF, _people(range(3)))

    def batches() -> Iterator[pa.RecordBatch]:
        yield from _people(range(10)).to_batches()
        raise ValueError("source went away")

    with pytest.raises(ValueError, match="source went away"):
        lake.write(REF, batches(), schema=SCHEMA)
    assert lake.version(REF) == 0 and _rows(lake) == [(i, f"n{i}") for i in range(3)]


def test_prefetch_keeps_order_and_stops_its_thread_when_abandoned() -> None:
    batches = _people(range(1000)).to_batches(10)
    assert [b.num_rows for b in prefetch(iter(batches), 2)] == [10] * 100
    before = threading.active_count()
    reader = prefetch(iter(batches), 2)
    next(reader)
    reader.close()  # the consumer stops early: the reading thread ends too
    assert threading.active_count() <= before


@pytest.fixture
def staged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every streamed merge takes the large-source path (staged, streamed, key-range pruned)."""
    monkeypatch.setattr(store, "SMALL_ROWS", 0)


@pytest.mark.usefixtures("staged")
def test_staged_merge_updates_inserts_and_keeps_the_last_row_per_key(lake: Lake) -> None:
    lake.write(REF, _people(range(100)))
    source = pa.concat_tables([_people(range(50, 60), "x"), _people(range(55, 65), "y")])
    result = lake.merge(REF, iter(source.to_batches(7)), ["id"], schema=SCHEMA)
    assert (result.version, result.updated, result.inserted) == (
        1,
        15,
        0,
    )  # 50..64; 55..59 repeated: last wins
    rows = dict(_rows(lake))
    assert rows[0] == "n0" and rows[50] == "n50x" and rows[57] == "n57y" and rows[99] == "n99"
    assert len(rows) == 100  # rows outside the source's key range untouched by the pruned MERGE
    grown = lake.merge(REF, iter(_people(range(95, 120), "z").to_batches()), ["id"], schema=SCHEMA)
    assert (grown.updated, grown.inserted) == (5, 20) and lake.count(REF) == 120
    assert not any((Path(lake.root) / store.STAGING).iterdir())  # staging removed


@pytest.mark.usefixtures("staged")
def test_staged_merge_deletes_keys_the_source_no_longer_holds(lake: Lake) -> None:
    lake.write(REF, _people(range(10)))
    present = pa.table({"id": [0, 1, 2, 3, 5]})
    changed = iter(_people(range(2, 4), "c").to_batches())
    result = lake.merge(REF, changed, ["id"], schema=SCHEMA, delete_missing=True, present_keys=present)
    assert (result.updated, result.deleted) == (2, 5)
    assert _rows(lake) == [(0, "n0"), (1, "n1"), (2, "n2c"), (3, "n3c"), (5, "n5")]


@pytest.mark.usefixtures("staged")
def test_staged_merge_creates_the_table_and_a_failing_stream_commits_nothing(lake: Lake) -> None:
    first = lake.merge(REF, iter(_people(range(5)).to_batches()), ["id"], schema=SCHEMA)
    assert (first.version, first.inserted) == (0, 5)

    def batches() -> Iterator[pa.RecordBatch]:
        yield from _people(range(5), "u").to_batches()
        raise RuntimeError("cut")

    with pytest.raises(RuntimeError, match="cut"):
        lake.merge(REF, batches(), ["id"], schema=SCHEMA)
    assert lake.version(REF) == 0 and _rows(lake) == [(i, f"n{i}") for i in range(5)]


def test_text_keys_are_pruned_with_quoted_literals(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "SMALL_ROWS", 0)
    schema = pa.schema([pa.field("code", pa.string()), pa.field("v", pa.int64())])
    lake.write(REF, pa.table({"code": ["a", "b'", "c"], "v": [1, 2, 3]}, schema=schema))
    source = pa.table({"code": ["b'", "d"], "v": [20, 40]}, schema=schema)
    lake.merge(REF, iter(source.to_batches()), ["code"], schema=schema)
    got = lake.dataset(REF).to_table().sort_by("code").to_pylist()
    assert got == [
        {"code": "a", "v": 1},
        {"code": "b'", "v": 20},
        {"code": "c", "v": 3},
        {"code": "d", "v": 40},
    ]


def test_a_merge_touching_every_file_keeps_the_file_size(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    """deltalake's MERGE sizes files by the table property only: without it, one MERGE whose keys
    sit in every file rewrote the whole table into one or two large files."""
    small = {"delta.targetFileSize": str(256 << 10)}
    monkeypatch.setattr("govdata.lake.writing.TARGET_FILE_BYTES", 256 << 10)
    monkeypatch.setattr("govdata.lake.writing.TABLE_CONFIGURATION", small)
    monkeypatch.setattr(store, "TABLE_CONFIGURATION", small)
    lake.write(REF, _people(range(300_000)))
    before = len(lake._table(REF).file_uris())
    assert before >= 4
    assert lake._table(REF).metadata().configuration["delta.targetFileSize"] == small["delta.targetFileSize"]
    lake.merge(REF, _people(range(0, 300_000, 100), "x"), ["id"])  # one key in 100 — every file
    after = lake._table(REF).file_uris()
    assert len(after) >= 4 and max(Path(f).stat().st_size for f in after) <= 2 * (256 << 10)
    assert lake.count(REF) == 300_000
    assert dict(_rows(lake))[12_300] == "n12300x"


def test_a_table_written_before_the_property_gets_it_at_its_first_merge(lake: Lake) -> None:
    from deltalake import DeltaTable, write_deltalake

    uri = lake.uri(REF)
    write_deltalake(uri, _people(range(10)))  # as tables were written before: no properties
    assert "delta.targetFileSize" not in DeltaTable(uri).metadata().configuration
    written = lake.merge(REF, _people(range(5, 15), "x"), ["id"])
    config = DeltaTable(uri).metadata().configuration
    assert config["delta.targetFileSize"] == store.TABLE_CONFIGURATION["delta.targetFileSize"]
    assert (written.inserted, written.updated) == (5, 5)
    assert _rows(lake)[5:7] == [(5, "n5x"), (6, "n6x")]
    # later merges add no further metadata commit
    version = lake.version(REF)
    lake.merge(REF, _people(range(1), "y"), ["id"])
    assert lake.version(REF) == version + 1


def test_a_small_stream_is_merged_from_memory_without_staging(
    lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An increment that fits in memory skips the Parquet round trip on disk: the same rows, one commit."""

    def no_staging(*_: object, **__: object) -> None:
        raise AssertionError("a small source was staged on disk")

    monkeypatch.setattr(store, "Staged", no_staging)
    lake.write(REF, _people(range(100)))
    source = pa.concat_tables([_people(range(90, 110), "x"), _people(range(95, 97), "y")])
    result = lake.merge(REF, iter(source.to_batches(7)), ["id"], schema=SCHEMA)
    assert (result.version, result.updated, result.inserted) == (1, 10, 10)
    rows = dict(_rows(lake))
    assert len(rows) == 110 and rows[0] == "n0" and rows[90] == "n90x" and rows[96] == "n96y"
    assert lake.version(REF) == result.version  # the version the merge reports is the one committed


def test_a_stream_past_the_memory_budget_is_staged(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    staged: list[int] = []
    real = store.Staged

    def counting(*args: object, **kwargs: object) -> store.Staged:
        out = real(*args, **kwargs)  # type: ignore[arg-type]
        staged.append(out.rows)
        return out

    monkeypatch.setattr(store, "Staged", counting)
    monkeypatch.setattr(store, "MEMORY_BYTES", 1)  # the first batch already exceeds it
    lake.write(REF, _people(range(10)))
    source = pa.concat_tables([_people(range(5, 15), "x"), _people(range(12, 14), "y")])
    result = lake.merge(REF, iter(source.to_batches(4)), ["id"], schema=SCHEMA)
    assert staged == [12]  # every batch reached the staged files, the held first one included
    assert (result.updated, result.inserted) == (5, 5)
    rows = dict(_rows(lake))
    assert rows[12] == "n12y" and rows[14] == "n14x" and rows[4] == "n4"


def test_a_failing_small_stream_commits_nothing(lake: Lake) -> None:
    lake.write(REF, _people(range(5)))

    def batches() -> Iterator[pa.RecordBatch]:
        yield from _people(range(3), "u").to_batches()
        raise RuntimeError("cut")

    with pytest.raises(RuntimeError, match="cut"):
        lake.merge(REF, batches(), ["id"], schema=SCHEMA)
    assert lake.version(REF) == 0 and _rows(lake) == [(i, f"n{i}") for i in range(5)]


def test_last_per_key_keeps_the_last_row_and_counts_a_null_key_once() -> None:
    from govdata.lake.staging import last_per_key

    table = pa.table({"a": [1, 1, None, None, 2], "b": ["x", "x", "y", "y", "z"], "v": [1, 2, 3, 4, 5]})
    assert last_per_key(table, ["a"]).column("v").to_pylist() == [2, 4, 5]
    assert last_per_key(table, ["a", "b"]).column("v").to_pylist() == [2, 4, 5]
    unique = table.slice(1, 3)  # 1, None, None → one repeat of the null key
    assert last_per_key(unique, ["v"]) is unique  # no repeats: handed back as it is
    assert last_per_key(unique, ["a"]).column("v").to_pylist() == [2, 4]


def test_the_schema_from_the_log_is_the_datasets(lake: Lake) -> None:
    table = pa.table(
        {
            "id": pa.array([1], pa.int64()),
            "at": pa.array([0], pa.timestamp("us", tz="UTC")),
            "local": pa.array([0], pa.timestamp("us")),
            "day": pa.array([0], pa.date32()),
            "money": pa.array([1], pa.decimal128(14, 3)),
            "blob": pa.array([b"x"], pa.binary()),
            "flag": pa.array([True], pa.bool_()),
        }
    )
    lake.write(REF, table)
    assert lake.schema(REF) == lake.dataset(REF).schema


def test_only_columns_whose_values_fit_a_dictionary_page_get_one() -> None:
    from govdata.lake.writing import dictionary_columns

    n = 10_000
    sample = pa.table(
        {
            "id": pa.array(range(n), pa.int64()),  # every value distinct
            "sfzh": pa.array([f"{i:018d}" for i in range(n)]),
            "xb": pa.array(["1", "2"] * (n // 2)),
            "born": pa.array([i % 300 for i in range(n)], pa.int32()).cast(pa.date32()),
            "wide": pa.array([f"{i % 2000:04d}" + "x" * 1000 for i in range(n)]),  # 2,000 values of 1 kB
            "flag": pa.array([i % 2 == 0 for i in range(n)]),
            "tags": pa.array([["a"]] * n),
            "none": pa.nulls(n, pa.string()),
        }
    )
    assert dictionary_columns(sample) == ["xb", "born", "none"]


def test_a_written_stream_encodes_repeated_values_with_a_dictionary_and_unique_ones_plainly(
    lake: Lake,
) -> None:
    n = 20_000
    table = pa.table(
        {"id": pa.array(range(n), pa.int64()), "name": pa.array([f"n{i % 7}" for i in range(n)])}
    )
    lake.write(REF, iter(table.to_batches(5_000)), schema=table.schema)
    column = pq.ParquetFile(lake._table(REF).file_uris()[0]).metadata.row_group(0).column
    assert not any("DICTIONARY" in e for e in column(0).encodings)  # id
    assert any("DICTIONARY" in e for e in column(1).encodings)  # name
    assert lake.count(REF) == n


def test_a_small_sample_keeps_the_writers_default() -> None:
    """A few rows say little about a column: a small increment's MERGE keeps dictionaries everywhere."""
    from govdata.lake.writing import MIN_SAMPLE_ROWS, writer_properties

    small = writer_properties(_people(range(MIN_SAMPLE_ROWS - 1)))
    assert small.column_properties is None and small.default_column_properties is None
    large = writer_properties(_people(range(MIN_SAMPLE_ROWS)))
    assert large.default_column_properties is not None and large.column_properties == {}  # all distinct
    assert (small.compression, small.max_row_group_size) == ("SNAPPY", ROW_GROUP_ROWS)
