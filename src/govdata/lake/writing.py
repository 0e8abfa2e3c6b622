"""How the lake lays out the Parquet files of its Delta tables, and the read-ahead of a written stream.

``write_options`` are the ``write_deltalake``/``merge`` keyword arguments every lake write uses
(compression, row-group size, target file size — measured on the 1M-row people table, see
docs/benchmarks.md). Dictionary encoding is chosen per column from a sample of the data
(``dictionary_columns``): only columns whose distinct values fit one dictionary page get it, because
for a column of IDs or phone numbers the Parquet writer fills a dictionary it then throws away — that
was half the CPU of writing the people table. The target file size is also a table property
(``TABLE_CONFIGURATION``), because
deltalake's MERGE ignores ``target_file_size`` and reads ``delta.targetFileSize`` instead: without it
one MERGE that touches every file rewrites the table into one large file per thread. ``prefetch``
runs a batch iterator in its own thread, a bounded number of batches ahead, so reading the source
overlaps encoding Parquet; an error of the iterator is raised in the consumer. Raises nothing of
its own.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

PREFETCH = 4  # batches read ahead of the writer: memory stays a few batches
ROW_GROUP_ROWS = 64 * 1024
DICTIONARY_PAGE_BYTES = 1 << 20  # the Parquet writer's limit: a column past it falls back to plain
MIN_SAMPLE_ROWS = 4096  # below this a sample says little: every column keeps the writer's default
# small files: a MERGE rewrites only the files holding a changed key. 6 MB is ~120k people rows with
# dictionaries chosen per column — about the rows 8 MB held when every column had one
TARGET_FILE_BYTES = 6 << 20
TABLE_CONFIGURATION = {"delta.targetFileSize": str(TARGET_FILE_BYTES)}  # read by MERGE (and OPTIMIZE)


def write_options(sample: pa.RecordBatch | pa.Table | None = None) -> dict[str, Any]:
    """Keyword arguments of ``write_deltalake`` for a lake table's data files (``sample``: the first rows)."""
    return {
        "writer_properties": writer_properties(sample),
        "target_file_size": TARGET_FILE_BYTES,
        "configuration": TABLE_CONFIGURATION,  # applied when the write creates the table
    }


def writer_properties(sample: pa.RecordBatch | pa.Table | None = None) -> Any:
    """Snappy, ``ROW_GROUP_ROWS``-row groups, and dictionaries for ``dictionary_columns(sample)`` only.

    Without a sample of at least ``MIN_SAMPLE_ROWS`` rows every column keeps the writer's default
    (dictionary on, falling back to plain when the page fills).
    """
    from deltalake import ColumnProperties, WriterProperties

    base = {"compression": "SNAPPY", "max_row_group_size": ROW_GROUP_ROWS}
    if sample is None or sample.num_rows < MIN_SAMPLE_ROWS:
        return WriterProperties(**base)  # type: ignore[arg-type]
    return WriterProperties(
        **base,  # type: ignore[arg-type]
        default_column_properties=ColumnProperties(dictionary_enabled=False),
        column_properties={n: ColumnProperties(dictionary_enabled=True) for n in dictionary_columns(sample)},
    )


def dictionary_columns(sample: pa.RecordBatch | pa.Table) -> list[str]:
    """The flat columns of ``sample`` worth a dictionary: in its first row group's worth of rows, at
    most half the values distinct and the distinct values within one dictionary page."""
    import pyarrow.compute as pc

    rows = sample.slice(0, ROW_GROUP_ROWS)
    chosen = []
    for field, column in zip(rows.schema, rows.columns, strict=True):
        kind = field.type
        if pa.types.is_nested(kind) or pa.types.is_boolean(kind) or pa.types.is_dictionary(kind):
            continue
        distinct = pc.unique(column)
        if len(distinct) > rows.num_rows // 2:
            continue
        try:
            size = len(distinct) * max(1, kind.bit_width // 8)
        except ValueError:  # variable width: the bytes of the distinct values
            size = int(pc.sum(pc.binary_length(distinct.cast(pa.large_binary()))).as_py() or 0)
        if size <= DICTIONARY_PAGE_BYTES:
            chosen.append(field.name)
    return chosen


_DONE = object()


def prefetch(batches: Iterable[pa.RecordBatch], depth: int = PREFETCH) -> Iterator[pa.RecordBatch]:
    """``batches`` read by a thread of their own, at most ``depth`` batches ahead of the consumer."""
    if depth <= 0:
        yield from batches
        return
    inbox: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                inbox.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for batch in batches:
                if not put(batch):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which re-raises it
            put(_Failed(exc))
            return
        finally:
            close = getattr(batches, "close", None)
            if stop.is_set() and callable(close):
                close()
        put(_DONE)

    thread = threading.Thread(target=work, name="lake-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            item = inbox.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error
