"""Delta Lake tables under ``<root>/<layer>/<dept>/<table>`` and DuckDB queries over them.

Owns writes (``write``: overwrite/append; ``merge``: one Delta MERGE by key, optionally deleting
target rows whose key the source no longer has), time travel (``version_at``/``as_of``/
``dataset(version=…)``) and the quarantine tables of rejected rows, kept outside the five layers
under ``<root>/_quarantine/<dept>/<table>`` so ``tables()`` never lists them.
Reads go through ``to_pyarrow_dataset()`` (never ``to_pyarrow_table()``, which aborts the process at
exit with deltalake 1.6), so DuckDB scans lazily and pushes filters down.
Raises ``InvalidInput`` (``lake.bad_layer``, ``lake.bad_name``, ``lake.schema_required``,
``lake.merge_keys``) and ``NotFound`` (``lake.table_not_found``, ``lake.no_version_at``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from govdata.errors import InvalidInput, NotFound
from govdata.lake import rewrite, vectors
from govdata.lake.sql import duck, quote_ident
from govdata.lake.staging import (
    MEMORY_BYTES,
    ONLY_KEY,
    SMALL_ROWS,
    Staged,
    absent,
    check_keys,
    key_rows,
    last_per_key,
    range_predicate,
    rangeable,
)
from govdata.lake.writing import (
    PREFETCH,
    TABLE_CONFIGURATION,
    prefetch,
    write_options,
    writer_properties,
)

LAYERS = ("raw", "std", "fact", "topic", "base")
QUARANTINE = "_quarantine"  # rejected rows; deliberately not a layer
STAGING = "_staging"  # MERGE sources staged on disk while a merge runs
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
OPEN_TABLES = 8  # tables each thread keeps open between calls (``Lake._latest``)


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
    """The version a write committed and the rows it wrote (for a merge: inserted + updated)."""

    version: int
    rows: int
    inserted: int = 0
    updated: int = 0
    deleted: int = 0


class Lake:
    """A lake rooted at a local path or an object-store URL."""

    def __init__(self, root: str, storage_options: dict[str, str] | None = None) -> None:
        self.root = root.rstrip("/")
        self.storage_options = storage_options
        self._local = threading.local()  # per thread: the tables it opened (``_latest``)
        if "://" not in self.root:
            Path(self.root).mkdir(parents=True, exist_ok=True)

    def uri(self, ref: TableRef) -> str:
        return f"{self.root}/{ref.layer}/{ref.dept}/{ref.table}"

    def exists(self, ref: TableRef) -> bool:
        from deltalake import DeltaTable

        return bool(DeltaTable.is_deltatable(self.uri(ref), storage_options=self.storage_options))

    def _table(self, ref: TableRef, version: int | None = None) -> Any:
        from deltalake import DeltaTable

        if version is None and "://" not in self.root:
            return self._latest(ref)
        if not self.exists(ref):
            raise NotFound("lake.table_not_found", table=ref.key)
        return DeltaTable(self.uri(ref), version=version, storage_options=self.storage_options)

    def _latest(self, ref: TableRef) -> Any:
        """A local table at its newest version, brought up to date from this thread's open copy.

        Opening a table replays its log (~5 ms); a load asks for its table four or five times
        (schema, MERGE, version, stats), so each thread keeps the last ``OPEN_TABLES`` it opened and
        reads only the commits made since (~1 ms). A table whose log was replaced (its first commit
        file is another file now) is opened afresh.
        """
        from deltalake import DeltaTable

        uri = self.uri(ref)
        cache = self._open_tables()
        held = cache.pop(uri, None)
        mark = _log_mark(uri)
        if held is not None and mark is not None and held[1] == mark:
            table = held[0]
            table.update_incremental()
        else:
            if not self.exists(ref):
                raise NotFound("lake.table_not_found", table=ref.key)
            table = DeltaTable(uri, storage_options=self.storage_options)
        if mark is not None:
            cache[uri] = (table, mark)
            while len(cache) > OPEN_TABLES:
                cache.pop(next(iter(cache)))
        return table

    def _open_tables(self) -> dict[str, tuple[Any, tuple[int, int]]]:
        tables: dict[str, tuple[Any, tuple[int, int]]] | None = getattr(self._local, "tables", None)
        if tables is None:
            tables = self._local.tables = {}
        return tables

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
        sample: pa.RecordBatch | pa.Table | None
        if isinstance(data, pa.Table):
            source: Any = data
            counter.rows = data.num_rows
            sample = data
        else:
            if isinstance(data, pa.RecordBatchReader):
                schema = data.schema
            elif schema is None:
                raise InvalidInput("lake.schema_required", table=ref.key)
            batches = prefetch(data, PREFETCH)
            sample = next(batches, None)  # the first batch decides the columns' encodings
            ahead = itertools.chain([sample] if sample is not None else [], batches)
            source = pa.RecordBatchReader.from_batches(schema, counter.wrap(ahead))
        try:
            write_deltalake(
                self.uri(ref),
                source,
                mode=mode,  # type: ignore[arg-type]
                schema_mode="overwrite" if mode == "overwrite" else "merge",
                storage_options=self.storage_options,
                **write_options(sample),
            )
        except Exception:
            # The writer wraps an error raised by the batch stream in its own; give the caller the
            # original (a source error, a rejected-run decision) rather than the Delta wrapper.
            if counter.error is not None:
                raise counter.error from None
            raise
        return WriteResult(version=self.version(ref), rows=counter.rows)

    def merge(
        self,
        ref: TableRef,
        data: pa.Table | pa.RecordBatchReader | Iterable[pa.RecordBatch],
        keys: Iterable[str],
        *,
        delete_missing: bool = False,
        present_keys: pa.Table | None = None,
        schema: pa.Schema | None = None,
        evolve: bool = False,
    ) -> WriteResult:
        """Upsert ``data`` into ``ref`` by ``keys`` as one atomic Delta MERGE commit.

        Matched rows are updated, unmatched ones inserted; a key repeated in ``data`` keeps its last
        row. With ``delete_missing`` the target rows whose key is absent from the source are deleted:
        the source is ``data`` itself, or — for an incremental read that carries only changed rows —
        ``data`` plus ``present_keys`` (every key the source holds now). ``evolve`` adds new
        columns of ``data`` to the table. If the stream raises, nothing is committed.
        A stream that fits in ``MEMORY_BYTES`` (and ``SMALL_ROWS``) is merged from memory; a larger
        one is staged to Parquet on disk first (see ``staging``), so memory stays bounded.
        """
        keys = list(keys)
        if isinstance(data, pa.Table):
            check_keys(ref, data.schema, keys)
            table = last_per_key(data, keys)
            return self._merge_table(ref, table, keys, delete_missing, present_keys, evolve)
        if isinstance(data, pa.RecordBatchReader):
            schema = data.schema
        elif schema is None:
            raise InvalidInput("lake.schema_required", table=ref.key)
        check_keys(ref, schema, keys)
        batches = prefetch(data, PREFETCH)
        held: list[pa.RecordBatch] = []
        rows = size = 0
        for batch in batches:
            held.append(batch)
            rows, size = rows + batch.num_rows, size + batch.nbytes
            if rows > SMALL_ROWS or size > MEMORY_BYTES:
                break
        else:  # the whole stream fits: merge it from memory, without staging it on disk
            table = last_per_key(pa.Table.from_batches(held, schema=schema), keys)
            return self._merge_table(ref, table, keys, delete_missing, present_keys, evolve)
        with Staged(itertools.chain(held, batches), schema, self._staging_dir()) as staged:
            if staged.rows <= SMALL_ROWS:
                table = pa.Table.from_batches(list(staged.unique(keys)), schema=schema)
                return self._merge_table(ref, table, keys, delete_missing, present_keys, evolve)
            if not self.exists(ref):
                written = self.write(ref, staged.unique(keys), schema=schema, mode="overwrite")
                return WriteResult(version=written.version, rows=written.rows, inserted=written.rows)
            return self._merge_staged(ref, staged, keys, delete_missing, present_keys, evolve)

    def _staging_dir(self) -> str | None:
        """Where a MERGE stages its source: inside a local lake (not a layer), else a temp dir."""
        return None if "://" in self.root else f"{self.root}/{STAGING}"

    def _merge_table(
        self,
        ref: TableRef,
        table: pa.Table,
        keys: list[str],
        delete_missing: bool,
        present_keys: pa.Table | None,
        evolve: bool,
    ) -> WriteResult:
        if not self.exists(ref):
            self.write(ref, table, mode="overwrite")
            return WriteResult(version=self.version(ref), rows=table.num_rows, inserted=table.num_rows)
        if not delete_missing and "://" not in self.root:
            target = self._with_layout(self._table(ref))
            done = (
                rewrite.upsert(target, self.uri(ref), table, keys)
                if rewrite.applicable(target, table.schema)
                else None
            )
            if done is not None:  # MERGE's result, having read only the key columns of most files
                inserted, updated = done
                version = int(target.version())
                return WriteResult(
                    version=version, rows=inserted + updated, inserted=inserted, updated=updated
                )
        source = table.append_column(ONLY_KEY, pa.repeat(pa.scalar(False), table.num_rows))
        if delete_missing and present_keys is not None:
            extra = absent(present_keys, table, keys)
            source = pa.concat_tables([source, key_rows(extra, keys, source.schema)])
        prune = None
        if not delete_missing and len(keys) == 1 and rangeable(table.schema.field(keys[0]).type):
            import pyarrow.compute as pc

            bounds = pc.min_max(table.column(keys[0]))
            prune = range_predicate(keys[0], bounds["min"].as_py(), bounds["max"].as_py())
        # a materialised source also lets the merge prune target files by the source's statistics
        return self._execute(
            ref, source, keys, delete_missing, evolve, streamed=False, prune=prune, sample=table
        )

    def _merge_staged(
        self,
        ref: TableRef,
        staged: Staged,
        keys: list[str],
        delete_missing: bool,
        present_keys: pa.Table | None,
        evolve: bool,
    ) -> WriteResult:
        schema = pa.schema([*staged.schema, pa.field(ONLY_KEY, pa.bool_())])
        extra = None
        if delete_missing and present_keys is not None:
            extra = key_rows(staged.absent_keys(present_keys, keys), keys, schema)

        def batches() -> Iterator[pa.RecordBatch]:
            for batch in staged.unique(keys):
                flag = pa.repeat(pa.scalar(False), batch.num_rows)
                yield pa.RecordBatch.from_arrays([*batch.columns, flag], schema=schema)
            if extra is not None:
                yield from extra.to_batches()

        prune = None
        if not delete_missing and len(keys) == 1 and rangeable(staged.schema.field(keys[0]).type):
            prune = range_predicate(keys[0], *staged.key_range(keys[0]))
        source = pa.RecordBatchReader.from_batches(schema, batches())
        sample = staged.head()
        return self._execute(
            ref, source, keys, delete_missing, evolve, streamed=True, prune=prune, sample=sample
        )

    def _execute(
        self,
        ref: TableRef,
        source: Any,
        keys: list[str],
        delete_missing: bool,
        evolve: bool,
        *,
        streamed: bool,
        prune: str | None,
        sample: pa.Table | None,
    ) -> WriteResult:
        predicate = " AND ".join(f"{_q('t', k)} = {_q('s', k)}" for k in keys)
        if prune:  # never with delete_missing: target rows outside the range would count as unmatched
            predicate = f"{predicate} AND {prune}"
        target = self._with_layout(self._table(ref))
        merger = target.merge(
            source,
            predicate,
            source_alias="s",
            target_alias="t",
            merge_schema=evolve,
            writer_properties=writer_properties(sample),
            streamed_exec=streamed,
        )
        merger = merger.when_matched_update_all(predicate=f"s.{ONLY_KEY} = false", except_cols=[ONLY_KEY])
        merger = merger.when_not_matched_insert_all(predicate=f"s.{ONLY_KEY} = false", except_cols=[ONLY_KEY])
        if delete_missing:
            merger = merger.when_not_matched_by_source_delete()
        metrics = merger.execute()
        inserted = int(metrics.get("num_target_rows_inserted", 0))
        updated = int(metrics.get("num_target_rows_updated", 0))
        return WriteResult(
            version=int(target.version()),  # the merge moved ``target`` to the version it committed
            rows=inserted + updated,
            inserted=inserted,
            updated=updated,
            deleted=int(metrics.get("num_target_rows_deleted", 0)),
        )

    def _with_layout(self, table: Any) -> Any:
        """``table`` with the lake's file-size property, set once on a table written before it existed.

        deltalake's MERGE sizes its files by ``delta.targetFileSize`` only; an older table without it
        gets it in a metadata-only commit before its first MERGE.
        """
        config = table.metadata().configuration
        missing = {k: v for k, v in TABLE_CONFIGURATION.items() if config.get(k) != v}
        if not missing:
            return table
        table.alter.set_table_properties(missing)
        return table

    def version(self, ref: TableRef) -> int:
        return int(self._table(ref).version())

    def version_at(self, ref: TableRef, when: dt.datetime) -> int:
        """The version in force at ``when`` (naive = UTC): the last commit made at or before it."""
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        limit = when.timestamp() * 1000
        found = [int(h["version"]) for h in self.history(ref) if float(h.get("timestamp", 0)) <= limit]
        if not found:
            raise NotFound("lake.no_version_at", table=ref.key, when=when.isoformat())
        return max(found)

    def as_of(self, ref: TableRef, when: dt.datetime) -> Any:
        """A lazy dataset of the table as it stood at ``when`` (time travel)."""
        return self.dataset(ref, self.version_at(ref, when))

    def history(self, ref: TableRef) -> list[dict[str, Any]]:
        return list(self._table(ref).history())

    def dataset(self, ref: TableRef, version: int | None = None) -> Any:
        """A pyarrow dataset of the table (optionally at an earlier ``version``): lazy, except for a
        table with deletion vectors, which deltalake's pyarrow reader refuses — its rows are then read
        through ``register`` into memory. Code that scans tables uses ``register`` (DuckDB)."""
        table = self._table(ref, version)
        if not vectors.enabled(table):
            return table.to_pyarrow_dataset()
        import pyarrow.dataset as ds

        with self.connect() as con:
            self.register(con, "t", ref, version)
            return ds.dataset(con.sql("SELECT * FROM t").to_arrow_table())

    def schema(self, ref: TableRef, version: int | None = None) -> pa.Schema:
        """The table's Arrow schema (at ``version``), from the Delta log alone."""
        return pa.schema(self._table(ref, version).schema().to_arrow())

    def count(self, ref: TableRef) -> int:
        return self.stats(ref).records

    def stats(self, ref: TableRef) -> TableStats:
        """Records, user fields, bytes and version from the Delta log alone — no data is scanned."""
        import pyarrow.compute as pc

        dt = self._table(ref)
        actions = pa.table(dt.get_add_actions(flatten=True))
        records = size = 0
        if actions.num_rows:
            records = int(pc.sum(actions.column("num_records")).as_py() or 0)
            size = int(pc.sum(actions.column("size_bytes")).as_py() or 0)
        records -= vectors.deleted_rows(dt)  # the log's counts include rows its vectors mark deleted
        fields = sum(1 for f in dt.schema().fields if not f.name.startswith("_"))
        return TableStats(records=records, fields=fields, bytes=size, version=int(dt.version()))

    def quarantine_uri(self, dept: str, table: str) -> str:
        for part in (dept, table):
            if not _NAME.match(part):
                raise InvalidInput("lake.bad_name", name=part)
        return f"{self.root}/{QUARANTINE}/{dept}/{table}"

    def append_quarantine(self, dept: str, table: str, rows: pa.Table) -> int:
        """Append rejected ``rows`` to the quarantine table of ``dept``/``table``; its new version."""
        from deltalake import DeltaTable, write_deltalake

        uri = self.quarantine_uri(dept, table)
        write_deltalake(uri, rows, mode="append", schema_mode="merge", storage_options=self.storage_options)
        return int(DeltaTable(uri, storage_options=self.storage_options).version())

    def quarantine_dataset(self, dept: str, table: str) -> Any | None:
        """The quarantine table of ``dept``/``table`` as a lazy dataset, or None if nothing was rejected."""
        from deltalake import DeltaTable

        uri = self.quarantine_uri(dept, table)
        if not DeltaTable.is_deltatable(uri, storage_options=self.storage_options):
            return None
        return DeltaTable(uri, storage_options=self.storage_options).to_pyarrow_dataset()

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
        with duck() as con:
            for name, ref in tables.items():
                self.register(con, name, ref)
            yield con

    def register(self, con: Any, name: str, ref: TableRef, version: int | None = None) -> None:
        """Make ``name`` on DuckDB connection ``con`` the table's rows (at ``version``).

        Local tables are read by DuckDB's own Parquet reader over the files of that Delta version:
        files that deltalake's MERGE and DELETE write carry ``string_view`` columns, which the
        pyarrow dataset scanner cannot compare with a ``string`` filter (delta-rs #4579), while
        DuckDB reads every Parquet string as VARCHAR. Object-store tables go through the pyarrow
        dataset (DuckDB's remote readers are extensions fetched at run time, which is not possible
        on an isolated network).
        """
        dt = self._table(ref, version)
        files = dt.file_uris()
        if "://" in self.root or not files:
            con.register(name, dt.to_pyarrow_dataset())
            return
        columns = ", ".join(quote_ident(f.name) for f in pa.schema(dt.schema().to_arrow()))
        gone = vectors.deleted(dt)
        if not gone:
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {quote_ident(name)} AS "  # noqa: S608 — quoted names, escaped paths
                f"SELECT {columns} FROM read_parquet({_listing(files)}, union_by_name = true)"
            )
            return
        # files with a deletion vector: their deleted row positions are left out by an anti-join
        dead = f"__deleted_{name}"
        con.register(dead, vectors.positions_table(gone))
        plain = [f for f in files if f not in gone]
        marked = [f for f in files if f in gone]
        parts = [
            f"SELECT {columns} FROM read_parquet({_listing(marked)}, filename = true, file_row_number = true, "  # noqa: S608
            f"union_by_name = true) ANTI JOIN {quote_ident(dead)} USING (filename, file_row_number)"
        ]
        if plain:
            parts.insert(0, f"SELECT {columns} FROM read_parquet({_listing(plain)}, union_by_name = true)")  # noqa: S608
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {quote_ident(name)} AS "  # noqa: S608 — quoted names, escaped paths
            + " UNION ALL BY NAME ".join(parts)
        )


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


def _listing(files: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _log_mark(uri: str) -> tuple[int, int] | None:
    """Inode and mtime of a local table's first commit file (None once log cleanup removed it)."""
    try:
        found = os.stat(os.path.join(uri, "_delta_log", "00000000000000000000.json"))
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns


def _q(alias: str, name: str) -> str:
    return f"{alias}.{quote_ident(name)}"
