"""The source of a MERGE staged on disk, so an upsert of millions of rows stays bounded in memory.

``Staged`` writes a batch stream to Parquet files in a private directory (each row numbered in
arrival order), then hands the MERGE its source back either as one Arrow table (small sources: the
Delta merge then prunes target files by the source's key statistics) or as a stream of batches
(large ones), with one row per key — the last one — and, for delete detection of an incremental
read, the keys the source still holds but did not send, flagged key-only. Deduplication and the
key-only rows are DuckDB queries over the staged files, which spill to the same directory.
The directory is removed when the ``with`` block ends. Raises nothing of its own; an error of the
stream propagates.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from govdata.errors import InvalidInput
from govdata.lake.sql import duck, quote_ident

if TYPE_CHECKING:
    from govdata.lake.store import TableRef

POS = "__pos"
ONLY_KEY = "__only_key"  # marks a source row that only says "this key still exists"
SMALL_ROWS = 1_000_000  # up to this many staged rows the source is handed over as one table
MEMORY_BYTES = 128 << 20  # a source up to this size (and SMALL_ROWS) is merged from memory, not staged
DUCKDB_MEMORY = "1GB"  # DuckDB spills to the staging directory beyond this
BATCH_ROWS = 64 * 1024


class Staged:
    """A batch stream written to Parquet under ``parent`` (a temporary directory when None)."""

    def __init__(self, data: Iterable[pa.RecordBatch], schema: pa.Schema, parent: str | None = None) -> None:
        if parent is not None:
            Path(parent).mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="merge-", dir=parent))
        self.schema = schema
        self.rows = 0
        self._con: Any = None
        try:
            self._write(data)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def _write(self, data: Iterable[pa.RecordBatch]) -> None:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        staged = pa.schema([*self.schema, pa.field(POS, pa.int64())])
        with pq.ParquetWriter(self.dir / "part-0.parquet", staged, compression="lz4") as writer:
            for batch in data:
                n = batch.num_rows
                if not n:
                    continue
                pos = pc.add(pc.cumulative_sum(pa.repeat(pa.scalar(1, pa.int64()), n)), self.rows - 1)
                writer.write_batch(pa.RecordBatch.from_arrays([*batch.columns, pos], schema=staged))
                self.rows += n

    @property
    def con(self) -> Any:
        if self._con is None:
            import duckdb

            con = duckdb.connect()
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
            con.execute(f"SET temp_directory = '{self.dir / 'spill'}'")
            con.execute("SET preserve_insertion_order = false")
            con.execute("SET TimeZone = 'UTC'")
            self._con = con
        return self._con

    @property
    def _files(self) -> str:
        return "read_parquet('" + str(self.dir / "part-*.parquet").replace("'", "''") + "')"

    def head(self) -> pa.Table:
        """The first staged rows (a row group's worth), without the position."""
        import pyarrow.parquet as pq

        with pq.ParquetFile(self.dir / "part-0.parquet") as file:
            first = file.read_row_group(0, columns=self.schema.names) if file.num_row_groups else None
        return first if first is not None else self.schema.empty_table()

    def duplicates(self, keys: list[str]) -> int:
        cols = ", ".join(quote_ident(k) for k in keys)
        sql = f"SELECT count(*) - count(DISTINCT ({cols})) FROM {self._files}"  # noqa: S608 - quoted
        return int(self.con.sql(sql).fetchall()[0][0])

    def key_range(self, key: str) -> tuple[Any, Any]:
        sql = f"SELECT min({quote_ident(key)}), max({quote_ident(key)}) FROM {self._files}"  # noqa: S608 - quoted
        low, high = self.con.sql(sql).fetchall()[0]
        return low, high

    def unique(self, keys: list[str]) -> Iterator[pa.RecordBatch]:
        """The staged rows (without the position), one per key: the last one to arrive."""
        if not self.duplicates(keys):
            import pyarrow.dataset as ds

            scanner = ds.dataset(str(self.dir / "part-0.parquet"), format="parquet").scanner(
                columns=self.schema.names, batch_size=BATCH_ROWS
            )
            yield from scanner.to_batches()
            return
        cols = ", ".join(quote_ident(k) for k in keys)
        sql = (
            f"SELECT * EXCLUDE ({POS}) FROM {self._files} QUALIFY row_number() OVER "  # noqa: S608 - quoted
            f"(PARTITION BY {cols} ORDER BY {POS} DESC) = 1"
        )
        for batch in self.con.sql(sql).to_arrow_reader(BATCH_ROWS):
            yield batch.cast(self.schema)

    def absent_keys(self, present: pa.Table, keys: list[str]) -> pa.Table:
        """The keys of ``present`` that no staged row carries."""
        on = " AND ".join(f"p.{quote_ident(k)} IS NOT DISTINCT FROM d.{quote_ident(k)}" for k in keys)
        self.con.register("present_keys", present.select(keys))
        sql = (
            f"SELECT p.* FROM present_keys p WHERE NOT EXISTS "  # noqa: S608 - quoted identifiers
            f"(SELECT 1 FROM (SELECT {', '.join(quote_ident(k) for k in keys)} FROM {self._files}) d WHERE {on})"
        )
        out = self.con.sql(sql).to_arrow_table()
        return out.cast(present.select(keys).schema)


# ---------------------------------------------------------------- a MERGE's source, in memory


def check_keys(ref: TableRef, schema: pa.Schema, keys: list[str]) -> None:
    """Raise ``lake.merge_keys`` unless ``keys`` is non-empty and every key is a column of ``schema``."""
    missing = [k for k in keys if k not in schema.names]
    if not keys or missing:
        raise InvalidInput("lake.merge_keys", table=ref.key, keys=", ".join(missing or keys) or "-")


def rangeable(type_: pa.DataType) -> bool:
    return pa.types.is_integer(type_) or pa.types.is_string(type_) or pa.types.is_large_string(type_)


def range_predicate(key: str, low: Any, high: Any) -> str | None:
    """``low <= t.key <= high`` as a merge predicate (integer or text keys), so files outside are skipped."""

    def literal(value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(int(value))
        return "'" + str(value).replace("'", "''") + "'"

    if low is None or high is None:
        return None
    col = f"t.{quote_ident(key)}"
    return f"{col} >= {literal(low)} AND {col} <= {literal(high)}"


def last_per_key(table: pa.Table, keys: list[str]) -> pa.Table:
    """``table`` with one row per key: the last one (rows later in the source win)."""
    if _distinct(table, keys) == table.num_rows:  # the usual case, answered without DuckDB
        return table
    cols = ", ".join(quote_ident(k) for k in keys)
    with duck() as con:
        numbered = table.append_column("__pos", pa.array(range(table.num_rows), pa.int64()))
        con.register("numbered", numbered)
        out = con.sql(
            f"SELECT * EXCLUDE (__pos, __rn) FROM (SELECT *, row_number() OVER "  # noqa: S608 — quoted identifiers
            f"(PARTITION BY {cols} ORDER BY __pos DESC) AS __rn FROM numbered) WHERE __rn = 1 ORDER BY __pos"
        ).to_arrow_table()
    return out.cast(table.schema)


def _distinct(table: pa.Table, keys: list[str]) -> int:
    """How many distinct keys ``table`` holds (a null counts as one value, as a repeated null does)."""
    import pyarrow.compute as pc

    if len(keys) == 1:
        return int(pc.count_distinct(table.column(keys[0]), mode="all").as_py())
    return int(table.select(keys).group_by(keys).aggregate([]).num_rows)


def absent(present: pa.Table, data: pa.Table, keys: list[str]) -> pa.Table:
    """The keys of ``present`` that ``data`` lacks."""
    on = " AND ".join(f"p.{quote_ident(k)} IS NOT DISTINCT FROM d.{quote_ident(k)}" for k in keys)
    with duck() as con:
        con.register("p", present.select(keys))
        con.register("d", data.select(keys))
        sql = f"SELECT p.* FROM p WHERE NOT EXISTS (SELECT 1 FROM d WHERE {on})"  # noqa: S608 — quoted
        return con.sql(sql).to_arrow_table()


def key_rows(extra: pa.Table, keys: list[str], schema: pa.Schema) -> pa.Table:
    """Rows of ``schema`` holding only the keys in ``extra``, flagged key-only."""
    n = extra.num_rows
    arrays = []
    for field in schema:
        if field.name == ONLY_KEY:
            arrays.append(pa.repeat(pa.scalar(True), n))
        elif field.name in keys:
            arrays.append(extra.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)
