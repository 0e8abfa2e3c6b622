"""Delta Lake tables under ``<root>/<layer>/<dept>/<table>`` and DuckDB queries over them.

Reads go through ``to_pyarrow_dataset()`` (never ``to_pyarrow_table()``, which aborts the process at
exit with deltalake 1.6), so DuckDB scans lazily and pushes filters down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from govdata.errors import InvalidInput, NotFound

LAYERS = ("raw", "std", "fact", "topic", "base")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class TableRef:
    """Address of a lake table: layer, department code, table name."""

    layer: str
    dept: str
    table: str

    def __post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise InvalidInput("lake.bad_layer", layer=self.layer, known=", ".join(LAYERS))
        for part in (self.dept, self.table):
            if not _NAME.match(part):
                raise InvalidInput("lake.bad_name", name=part)

    @property
    def key(self) -> str:
        return f"{self.layer}.{self.dept}.{self.table}"

    @classmethod
    def parse(cls, key: str) -> TableRef:
        parts = key.split(".")
        if len(parts) != 3:
            raise InvalidInput("lake.bad_name", name=key)
        return cls(*parts)


@dataclass(frozen=True)
class TableStats:
    records: int
    fields: int  # columns, not counting the platform's own ``_``-prefixed ones
    bytes: int
    version: int


@dataclass(frozen=True)
class WriteResult:
    version: int
    rows: int


class Lake:
    """A lake rooted at a local path or an object-store URL."""

    def __init__(self, root: str, storage_options: dict[str, str] | None = None) -> None:
        self.root = root.rstrip("/")
        self.storage_options = storage_options
        if "://" not in self.root:
            Path(self.root).mkdir(parents=True, exist_ok=True)

    def uri(self, ref: TableRef) -> str:
        return f"{self.root}/{ref.layer}/{ref.dept}/{ref.table}"

    def exists(self, ref: TableRef) -> bool:
        from deltalake import DeltaTable

        return bool(DeltaTable.is_deltatable(self.uri(ref), storage_options=self.storage_options))

    def _table(self, ref: TableRef, version: int | None = None) -> Any:
        from deltalake import DeltaTable

        if not self.exists(ref):
            raise NotFound("lake.table_not_found", table=ref.key)
        return DeltaTable(self.uri(ref), version=version, storage_options=self.storage_options)

    def write(
        self,
        ref: TableRef,
        data: pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch],
        schema: pa.Schema | None = None,
        mode: str = "overwrite",
    ) -> WriteResult:
        """Write ``data`` as one atomic Delta commit (``overwrite`` replaces, ``append`` adds).

        A stream of batches is written as it arrives; if the stream raises, nothing is committed
        and the table keeps its previous version.
        """
        from deltalake import write_deltalake

        counter = _RowCounter()
        if isinstance(data, pa.Table):
            source: Any = data
            counter.rows = data.num_rows
        elif isinstance(data, pa.RecordBatchReader):
            source = pa.RecordBatchReader.from_batches(data.schema, counter.wrap(data))
        else:
            if schema is None:
                raise InvalidInput("lake.schema_required", table=ref.key)
            source = pa.RecordBatchReader.from_batches(schema, counter.wrap(data))
        try:
            write_deltalake(
                self.uri(ref),
                source,
                mode=mode,  # type: ignore[arg-type]
                schema_mode="overwrite" if mode == "overwrite" else "merge",
                storage_options=self.storage_options,
            )
        except Exception:
            # The writer wraps an error raised by the batch stream in its own; give the caller the
            # original (a source error, a rejected-run decision) rather than the Delta wrapper.
            if counter.error is not None:
                raise counter.error from None
            raise
        return WriteResult(version=self.version(ref), rows=counter.rows)

    def version(self, ref: TableRef) -> int:
        return int(self._table(ref).version())

    def history(self, ref: TableRef) -> list[dict[str, Any]]:
        return list(self._table(ref).history())

    def dataset(self, ref: TableRef, version: int | None = None) -> Any:
        """A lazy pyarrow dataset of the table (optionally at an earlier ``version``)."""
        return self._table(ref, version).to_pyarrow_dataset()

    def schema(self, ref: TableRef) -> pa.Schema:
        return self.dataset(ref).schema

    def count(self, ref: TableRef) -> int:
        return int(self.dataset(ref).count_rows())

    def stats(self, ref: TableRef) -> TableStats:
        """Records, user fields, bytes and version from the Delta log alone — no data is scanned."""
        import pyarrow.compute as pc

        dt = self._table(ref)
        actions = pa.table(dt.get_add_actions(flatten=True))
        records = size = 0
        if actions.num_rows:
            records = int(pc.sum(actions.column("num_records")).as_py() or 0)
            size = int(pc.sum(actions.column("size_bytes")).as_py() or 0)
        fields = sum(1 for f in dt.schema().fields if not f.name.startswith("_"))
        return TableStats(records=records, fields=fields, bytes=size, version=int(dt.version()))

    def tables(self, layer: str | None = None) -> list[TableRef]:
        """Every table in the lake (local roots only)."""
        root = Path(self.root)
        refs = []
        for lay in [layer] if layer else list(LAYERS):
            base = root / lay
            if not base.is_dir():
                continue
            for dept in sorted(p for p in base.iterdir() if p.is_dir()):
                for tbl in sorted(p for p in dept.iterdir() if (p / "_delta_log").is_dir()):
                    refs.append(TableRef(lay, dept.name, tbl.name))
        return refs

    @contextmanager
    def connect(self, **tables: TableRef) -> Iterator[Any]:
        """A DuckDB connection with each ``name=ref`` registered as a view over the Delta table."""
        import duckdb

        con = duckdb.connect()
        try:
            for name, ref in tables.items():
                con.register(name, self.dataset(ref))
            yield con
        finally:
            con.close()


class _RowCounter:
    def __init__(self) -> None:
        self.rows = 0
        self.error: BaseException | None = None

    def wrap(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        try:
            for batch in batches:
                self.rows += batch.num_rows
                yield batch
        except Exception as exc:
            self.error = exc
            raise
