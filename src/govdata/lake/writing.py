"""How the lake lays out the Parquet files of its Delta tables, and the read-ahead of a written stream.

``write_options`` are the ``write_deltalake``/``merge`` keyword arguments every lake write uses
(compression, row-group size, target file size — measured on the 1M-row people table, see
docs/benchmarks.md). The target file size is also a table property (``TABLE_CONFIGURATION``), because
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
TARGET_FILE_BYTES = 8 << 20  # small files: a MERGE rewrites only the files holding a changed key
TABLE_CONFIGURATION = {"delta.targetFileSize": str(TARGET_FILE_BYTES)}  # read by MERGE (and OPTIMIZE)


def write_options() -> dict[str, Any]:
    """Keyword arguments of ``write_deltalake`` for a lake table's data files."""
    from deltalake import WriterProperties

    return {
        "writer_properties": WriterProperties(compression="SNAPPY", max_row_group_size=ROW_GROUP_ROWS),
        "target_file_size": TARGET_FILE_BYTES,
        "configuration": TABLE_CONFIGURATION,  # applied when the write creates the table
    }


def writer_properties() -> Any:
    """The ``WriterProperties`` of ``write_options`` (for ``DeltaTable.merge``)."""
    return write_options()["writer_properties"]


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
