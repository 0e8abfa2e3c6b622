"""Upsert by touching only the files that hold a source key — ``Lake.merge``'s path for a source in memory.

deltalake's MERGE learns which target files hold a matched key by joining every column of every
file whose key statistics overlap the source's key range. A PostgreSQL source's files span the whole
key range (its heap is not in key order), so 100k updates of a 10M-row table read all 10M rows to
rewrite three files: 6 s and 3.4 GB (docs/benchmarks.md). Here DuckDB reads the key columns only to
find the touched files and the positions of the replaced rows. Those rows are marked in deletion
vectors (``vectors``) — a few milliseconds, where copying a file costs its whole size — and a file is
copied without them only once a quarter of it would be marked. The source's rows are written as new
files; once a table would hold more than a few small files (earlier increments'), they are copied
together with the source's rows into one, so increments stay cheap and files do not pile up.
Everything is one commit, as MERGE's would be. The result is MERGE's: a matched row is replaced by
the source's row, an unmatched source row is inserted, a NULL key matches nothing.

Taken only where that is exactly a MERGE (``applicable``): a local, unpartitioned table of flat
columns that the source already has (no schema evolution), without delete detection, a change feed,
column mapping or constraints. Files get the lake's Parquet settings (``writing``); their Delta
statistics carry row count, null counts and exact minimum/maximum of integer, date and text columns
(no timestamp bounds: a reader then simply cannot skip on them).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote

import pyarrow as pa

from govdata.lake import vectors
from govdata.lake.sql import duck, quote_ident
from govdata.lake.writing import ROW_GROUP_ROWS, TARGET_FILE_BYTES, dictionary_columns

READ_ROWS = 65_536  # rows per batch read back from the touched files
MIN_FILE_ROWS = 1_000
DICTIONARY_SAMPLE_ROWS = 16_384
# at or below this many rows in the files whose key range overlaps the source's, deltalake's MERGE runs
# instead; 0: never — measured, MERGE is never the cheaper one — a realistic increment of the 1M-row people
# table (0.9 % new rows, 0.1 % updates of the newest, so only the newest file overlaps) took 0.24–0.32 s
# through MERGE and 0.10–0.15 s here, the newest file copied with the new rows (tests raise it to run MERGE)
SCAN_ROWS = 0
# past this share of a file marked deleted, an upsert copies the file instead (its vector folded in)
COMPACT_SHARE = 0.25
# a touched file of at most this many rows is copied rather than marked: a few milliseconds either
# way, and small tables (most of a city's) never need a vector or the protocol upgrade that allows them
COPY_ROWS = 10_000
# touched files are copied outright while they hold at most this share of the scanned rows; 0: never —
# marking a file's replaced rows costs a few milliseconds, copying it its whole size (tests raise it)
TOUCHED_SHARE = 0.0
# a file under this share of the target rows per file is small (an earlier increment's rows); once an
# upsert would leave more than SMALL_FILES of them, it copies them all together with its own rows —
# so increments cost little each time and the table never piles up small files
SMALL_SHARE = 0.5
SMALL_FILES = 4
_BOUNDED = (pa.types.is_integer, pa.types.is_date32, pa.types.is_string, pa.types.is_large_string)


def target_schema(table: Any) -> pa.Schema:
    return pa.schema(table.schema().to_arrow())


def applicable(table: Any, source: pa.Schema) -> bool:
    """Whether ``upsert`` is exactly the MERGE for ``source`` into ``table`` (see the module docstring)."""
    meta = table.metadata()
    if meta.partition_columns:
        return False
    config = meta.configuration
    if (
        config.get("delta.enableChangeDataFeed") == "true"
        or config.get("delta.columnMapping.mode", "none") != "none"  # files would need physical names
        or any(key.startswith("delta.constraints.") for key in config)  # MERGE enforces them, this would not
    ):
        return False
    target = target_schema(table)
    if sorted(target.names) != sorted(source.names) or any(pa.types.is_nested(f.type) for f in target):
        return False
    return all(_castable(source.field(f.name).type, f.type) for f in target)


def upsert(table: Any, root: str, source: pa.Table, keys: list[str]) -> tuple[int, int] | None:
    """Replace the rows of ``table`` (stored at the local path ``root``) whose key ``source`` has and
    add the others, in one commit; ``source`` holds one row per key. Returns (inserted, updated), or
    None without writing for an empty source, or when MERGE costs no more (``SCAN_ROWS``).

    The replaced rows of the files holding a changed key are marked in deletion vectors; a file whose
    marked rows would pass ``COMPACT_SHARE`` of it is copied without them instead, which folds its
    vector back in. Once more than ``SMALL_FILES`` small files would be left, they are all copied
    together with the source's rows (``_split``).
    """
    schema = target_schema(table)
    adds = pa.table(table.get_add_actions(flatten=True))
    records = dict(zip(adds.column("path").to_pylist(), adds.column("num_records").to_pylist(), strict=True))
    candidates = _candidates(adds, source, keys)
    scanned = sum(int(records[p] or 0) for p in candidates)
    if not source.num_rows or (SCAN_ROWS and scanned <= SCAN_ROWS):
        return None
    source = source.select(schema.names).cast(schema)
    # the log's current adds, replayed once: they name the vectors read here and the ones the commit replaces
    current = vectors.current_adds(root, int(table.version())) if vectors.enabled(table) else None
    gone = vectors.deleted(table, current)
    dead = {os.path.relpath(path, root): rows for path, rows in gone.items()}
    with duck() as con:
        con.register("s", source.select(keys))
        con.register("dead", vectors.positions_table(gone))
        using = ", ".join(quote_ident(k) for k in keys)
        live = "ANTI JOIN dead USING (filename, file_row_number)"
        hit: dict[str, pa.Array] = {}
        if candidates:  # none: every source key lies outside every file's range (rows past the end)
            hits = con.sql(
                f"SELECT filename, file_row_number FROM read_parquet($files, filename = true, file_row_number = true, "  # noqa: S608 - quoted names
                f"union_by_name = true) SEMI JOIN s USING ({using}) {live}",
                params={"files": [os.path.join(root, p) for p in candidates]},
            ).to_arrow_table()
            hit = _by_file(hits, root)
        touched = {path: len(rows) for path, rows in hit.items()}
        target_bytes = int(table.metadata().configuration.get("delta.targetFileSize", TARGET_FILE_BYTES))
        per_file = _rows_per_file(adds, target_bytes)
        copy, mark = _split(touched, dead, records, scanned, per_file, source.num_rows)
        kept: Iterator[pa.RecordBatch] = iter(())
        if copy:
            columns = ", ".join(quote_ident(n) for n in schema.names)
            reader = con.sql(
                f"SELECT {columns} FROM read_parquet($files, filename = true, file_row_number = true, "  # noqa: S608
                f"union_by_name = true) {live} ANTI JOIN s USING ({using})",
                params={"files": [os.path.join(root, p) for p in copy]},
            ).to_arrow_reader(READ_ROWS)
            kept = (batch.cast(schema) for batch in reader)
        added = _write(root, _chain(kept, source, READ_ROWS), schema, per_file, _dictionaries(root, adds))
    updated = sum(touched.values())
    note = {
        "govdata.operation": "upsert",
        "govdata.updated": updated,
        "govdata.inserted": source.num_rows - updated,
    }
    if mark or any(p in dead for p in copy):
        marks = {p: _union(dead.get(p), hit[p]) for p in mark}
        _commit_vectors(table, root, copy, marks, added, note, current)
        table.update_incremental()
        _checkpoint_when_due(table)
    else:
        _commit(table, adds, copy, added, note)
        table.update_incremental()
    return source.num_rows - updated, updated


def _checkpoint_when_due(table: Any) -> None:
    """A checkpoint at every ``delta.checkpointInterval``-th version (100 by default), as deltalake
    writes after its own commits: a commit written to the log directly skips deltalake's post-commit
    hook, and without checkpoints every open of the table — and ``vectors.current_adds`` — would
    replay a log that grows by one file per increment."""
    interval = int(table.metadata().configuration.get("delta.checkpointInterval") or 100)
    if interval > 0 and (int(table.version()) + 1) % interval == 0:
        table.create_checkpoint()


def _split(
    touched: dict[str, int],
    dead: dict[str, pa.Array],
    records: dict[str, Any],
    scanned: int,
    per_file: int,
    adding: int,
) -> tuple[list[str], list[str]]:
    """(files to copy, files to mark) for an upsert that writes ``adding`` rows of its own (its source).

    A touched file is marked, or copied when it holds at most ``COPY_ROWS`` rows or once its marked
    rows would pass ``COMPACT_SHARE`` of it (all touched files are copied while they hold at most
    ``TOUCHED_SHARE`` of the ``scanned`` rows). When the table would be left with more than
    ``SMALL_FILES`` small files (``SMALL_SHARE``), counting the one this upsert writes, every small
    file is copied along with the upsert's rows."""
    rows = {path: int(n or 0) for path, n in records.items()}
    copy: set[str] = set()
    mark: set[str] = set()
    if touched and sum(rows[p] for p in touched) <= TOUCHED_SHARE * scanned:
        copy.update(touched)
    else:
        for path, n in touched.items():
            gone = n + (len(dead[path]) if path in dead else 0)
            (copy if gone > COMPACT_SHARE * rows[path] or rows[path] <= COPY_ROWS else mark).add(path)
    small = {path for path, n in rows.items() if n < SMALL_SHARE * per_file and path not in copy}
    if len(small) + (0 < adding < SMALL_SHARE * per_file) > SMALL_FILES:
        copy |= small
        mark -= small
    return sorted(copy), sorted(mark)


def _by_file(hits: pa.Table, root: str) -> dict[str, pa.Array]:
    """Row positions of ``hits`` (filename, file_row_number) per data file path relative to ``root``."""
    grouped = hits.group_by("filename").aggregate([("file_row_number", "list")])
    names = grouped.column("filename").to_pylist()
    rows = grouped.column("file_row_number_list").combine_chunks()
    return {
        os.path.relpath(str(name), root): positions.values.cast(pa.uint64())
        for name, positions in zip(names, rows, strict=True)
    }


def _union(old: pa.Array | None, new: pa.Array) -> Any:
    from pyroaring import BitMap64

    positions = BitMap64(new.to_pylist())  # numpy is not a dependency of the platform
    if old is not None:
        positions |= BitMap64(old.to_pylist())
    return positions


def _commit(
    table: Any, adds: pa.Table, removed_paths: list[str], added: list[Any], note: dict[str, Any]
) -> None:
    """Removes and adds in one commit through deltalake (no file involved carries a vector)."""
    from deltalake import CommitProperties

    now = int(time.time() * 1000)
    sizes = dict(zip(adds.column("path").to_pylist(), adds.column("size_bytes").to_pylist(), strict=True))
    removed = [_remove(path, now, int(sizes[path])) for path in removed_paths]
    table.create_write_transaction(
        [*removed, *added],
        mode="append",
        schema=table.schema(),
        commit_properties=CommitProperties(custom_metadata=note),
    )


def _commit_vectors(
    table: Any,
    root: str,
    copied: list[str],
    marked: dict[str, Any],
    added: list[Any],
    note: dict[str, Any],
    current: dict[str, dict[str, Any]] | None,
) -> None:
    """One commit that copies, marks and adds, written to the log directly: deltalake's transaction
    API has no deletion vectors, and a file's old vector must be named in its ``remove``. ``current``:
    the log's adds at the table's version (None: not read yet — the table had no vectors)."""
    if marked and not vectors.enabled(table):
        table.alter.set_table_properties(vectors.FEATURE)  # the protocol upgrade, a commit of its own
    version = int(table.version())
    if current is None:  # the upgrade's commit changes no file: adds read before it stay current
        current = vectors.current_adds(root, version)
    descriptors = vectors.write(root, marked) if marked else {}
    now = int(time.time() * 1000)
    actions: list[dict[str, Any]] = [
        {"remove": vectors.remove_of(current[p], now)} for p in [*copied, *marked]
    ]
    for path, descriptor in descriptors.items():
        actions.append({"add": vectors.add_with(current[path], descriptor, now)})
    actions += [{"add": vectors.add_of(a)} for a in added]
    info = {
        "timestamp": now,
        "operation": "WRITE",
        "operationParameters": {"mode": "Append"},
        "engineInfo": "govdata",
    }
    vectors.commit(
        root, version + 1, [{"commitInfo": {**info, **note, "govdata.vectors": len(descriptors)}}, *actions]
    )


def _castable(got: pa.DataType, want: pa.DataType) -> bool:
    if got == want:
        return True
    text = (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view)
    if any(t(got) for t in text) and any(t(want) for t in text):
        return True
    return pa.types.is_integer(got) and pa.types.is_integer(want) and got.bit_width <= want.bit_width


def _candidates(adds: pa.Table, source: pa.Table, keys: list[str]) -> list[str]:
    """Files whose key statistics overlap the source's key range (every file when they cannot say)."""
    import pyarrow.compute as pc

    paths: list[str] = adds.column("path").to_pylist()
    if len(keys) != 1 or not source.num_rows:
        return paths if source.num_rows else []
    key = keys[0]
    low_col, high_col = f"min.{key}", f"max.{key}"
    if low_col not in adds.column_names or not pa.types.is_integer(source.schema.field(key).type):
        return paths
    bounds = pc.min_max(source.column(key))
    low, high = bounds["min"].as_py(), bounds["max"].as_py()
    if low is None:  # only NULL keys: they match nothing
        return []
    chosen = []
    for path, lo, hi in zip(
        paths, adds.column(low_col).to_pylist(), adds.column(high_col).to_pylist(), strict=True
    ):
        if lo is None or hi is None or (lo <= high and hi >= low):
            chosen.append(path)
    return chosen


def _chain(kept: Iterator[pa.RecordBatch], source: pa.Table, rows: int) -> Iterator[pa.RecordBatch]:
    yield from kept
    yield from source.to_batches(rows)


def _rows_per_file(adds: pa.Table, target_bytes: int) -> int:
    """Rows that make about ``target_bytes`` of Parquet (the table's ``delta.targetFileSize``, as
    MERGE reads it), judged by the bytes per row of the table's own files."""
    import pyarrow.compute as pc

    rows = int(pc.sum(adds.column("num_records")).as_py() or 0)
    size = int(pc.sum(adds.column("size_bytes")).as_py() or 0)
    if not rows or not size:
        return 100_000
    return max(MIN_FILE_ROWS, int(target_bytes * rows / size))


def _dictionaries(root: str, adds: pa.Table) -> list[str] | None:
    """The columns the table's largest file has dictionary-encoded — the choice ``dictionary_columns``
    made on a sample when the table was loaded, read from one footer instead of hashing every column
    of a sample again (10–20 ms an increment). None when the table has no file to ask."""
    import pyarrow.parquet as pq

    if not adds.num_rows:
        return None
    sizes = adds.column("size_bytes").to_pylist()
    path = adds.column("path")[sizes.index(max(sizes))].as_py()
    try:
        meta = pq.read_metadata(os.path.join(root, unquote(path)))
    except (OSError, pa.ArrowException):
        return None
    if not meta.num_row_groups:
        return None
    group = meta.row_group(0)
    chosen = []
    for i in range(group.num_columns):
        column = group.column(i)
        if any("DICTIONARY" in encoding for encoding in column.encodings):
            chosen.append(column.path_in_schema)
    return chosen


def _write(
    root: str,
    batches: Iterator[pa.RecordBatch],
    schema: pa.Schema,
    per_file: int,
    dictionaries: list[str] | None = None,
) -> list[Any]:
    """``batches`` as Parquet files of about ``per_file`` rows under ``root``; their add actions.
    ``dictionaries``: the columns to dictionary-encode (None: chosen on the first rows).

    Two files are encoded at a time (pyarrow's writer releases the GIL), while the next is read.
    """
    jobs = []
    pool = _writers()
    try:
        for chunk in _chunks(batches, schema, per_file):
            if dictionaries is None:  # decided on the first rows, as ``writing.writer_properties`` does
                sample = chunk.slice(0, DICTIONARY_SAMPLE_ROWS)
                dictionaries = dictionary_columns(sample) if sample.num_rows >= 4096 else []
            jobs.append(pool.submit(_write_file, root, chunk, dictionaries))
            if len(jobs) >= 2:
                jobs[-2].result()  # at most two chunks in memory beyond the one being read
        return [job.result() for job in jobs]
    except BaseException:
        for job in jobs:  # no write outlives the upsert that failed (its files are then unused)
            if not job.cancel():
                job.exception()  # waits for a write already running
        raise


_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None


def _writers() -> ThreadPoolExecutor:
    """The process's two Parquet-writing threads, kept between upserts: starting a pool and a new
    thread's first Arrow allocations cost 5–30 ms, more than writing a 10k-row increment (~11 ms)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lake-rewrite")
        return _pool


def _forget_writers() -> None:
    """A forked child has none of its parent's threads: it starts its own pool."""
    global _pool, _pool_lock
    _pool, _pool_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_writers)


def _chunks(batches: Iterator[pa.RecordBatch], schema: pa.Schema, per_file: int) -> Iterator[pa.Table]:
    held: list[pa.RecordBatch] = []
    rows = 0
    for batch in batches:
        while batch.num_rows:
            take = min(batch.num_rows, per_file - rows)
            held.append(batch.slice(0, take))
            rows += take
            batch = batch.slice(take)
            if rows == per_file:
                yield pa.Table.from_batches(held, schema=schema)
                held, rows = [], 0
    if rows:
        yield pa.Table.from_batches(held, schema=schema)


def _write_file(root: str, chunk: pa.Table, dictionaries: list[str]) -> Any:
    import pyarrow.parquet as pq
    from deltalake.transaction import AddAction

    name = f"part-00000-{uuid.uuid4()}-c000.snappy.parquet"
    path = os.path.join(root, name)
    pq.write_table(
        chunk,
        path,
        row_group_size=ROW_GROUP_ROWS,
        compression="snappy",
        use_dictionary=dictionaries,
        write_statistics=True,
    )
    return AddAction(
        path=name,
        size=os.path.getsize(path),
        partition_values={},
        modification_time=int(time.time() * 1000),
        data_change=True,
        stats=json.dumps(_stats(chunk), ensure_ascii=False),
    )


def _stats(chunk: pa.Table) -> dict[str, Any]:
    """Delta file statistics: row count, null counts, exact bounds of integer, date and text columns."""
    import pyarrow.compute as pc

    low: dict[str, Any] = {}
    high: dict[str, Any] = {}
    for field, column in zip(chunk.schema, chunk.columns, strict=True):
        if not any(test(field.type) for test in _BOUNDED) or column.null_count == len(column):
            continue
        bounds = pc.min_max(column)
        lo, hi = bounds["min"].as_py(), bounds["max"].as_py()
        low[field.name] = lo.isoformat() if pa.types.is_date32(field.type) else lo
        high[field.name] = hi.isoformat() if pa.types.is_date32(field.type) else hi
    nulls = {field.name: column.null_count for field, column in zip(chunk.schema, chunk.columns, strict=True)}
    return {"numRecords": chunk.num_rows, "minValues": low, "maxValues": high, "nullCount": nulls}


def _remove(path: str, now: int, size: int) -> Any:
    from deltalake.transaction import RemoveAction

    return RemoveAction(path=path, data_change=True, deletion_timestamp=now, size=size, partition_values={})
