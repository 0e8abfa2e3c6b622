"""The ``parquet`` connector: a Parquet file or a directory of them, streamed through pyarrow.dataset.

Parquet is typed, so columns keep their types (unlike the text file connectors). A directory is read
as one dataset (hive-style ``key=value`` folders become columns; files starting with ``.`` or ``_``
are ignored). ``read`` honours ``columns``, ``limit``, ``where_equals`` and an inclusive cursor,
pushed down to the Parquet reader.
Raises ``InvalidInput``: ``ingest.file_not_found``, ``ingest.parquet_invalid`` (a file that is not
Parquet, naming it), ``ingest.parquet_column`` (a requested column the data lacks).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
from pydantic import Field

from govdata.errors import InvalidInput
from govdata.ingest.connectors.base import Capabilities, Connector, ConnectorConfig, ReadRequest

BATCH_ROWS = 64 * 1024


class ParquetConfig(ConnectorConfig):
    path: str = Field(description="A .parquet file, or a directory of them read as one dataset.")
    partitioning: str | None = Field(
        default="hive", description="Folder partitioning of a directory: hive (key=value) or empty for none."
    )


def _dataset(cfg: ParquetConfig) -> ds.Dataset:
    path = Path(cfg.path)
    if not path.exists():
        raise InvalidInput("ingest.file_not_found", file=cfg.path)
    try:
        return ds.dataset(path, format="parquet", partitioning=cfg.partitioning or None)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InvalidInput("ingest.parquet_invalid", file=cfg.path, detail=str(exc)[:300]) from exc


def _filter(schema: pa.Schema, request: ReadRequest) -> ds.Expression | None:
    """The request's cursor and equality lookups as one dataset expression (values cast to the column)."""
    terms: list[ds.Expression] = []
    if request.cursor_column and request.cursor_value is not None:
        terms.append(
            ds.field(request.cursor_column) >= _scalar(schema, request.cursor_column, request.cursor_value)
        )
    for name, value in request.where_equals:
        terms.append(ds.field(name) == _scalar(schema, name, value))
    expr: ds.Expression | None = None
    for term in terms:
        expr = term if expr is None else expr & term
    return expr


def _scalar(schema: pa.Schema, name: str, value: Any) -> pa.Scalar:
    if name not in schema.names:
        raise InvalidInput("ingest.parquet_column", column=name, known=", ".join(schema.names))
    target = schema.field(name).type
    if isinstance(value, str) and not pa.types.is_string(target):
        return pa.scalar(value).cast(target)  # ISO timestamps and numbers kept as text in run state
    return pa.scalar(value, target)


class ParquetConnector(Connector):
    name = "parquet"
    label = "ingest.connector.parquet"
    Config = ParquetConfig
    capabilities = Capabilities(incremental=True, upsert=True, delete_detection=True, lookup=True)

    def discover(self, config: Any) -> list[str]:
        return [Path(self.parse_config(config).path).stem]

    def schema(self, config: Any) -> pa.Schema:
        return _dataset(self.parse_config(config)).schema.remove_metadata()

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        dataset = _dataset(self.parse_config(config))
        request = request or ReadRequest()
        columns = list(request.columns) if request.columns else None
        for name in columns or []:
            if name not in dataset.schema.names:
                raise InvalidInput(
                    "ingest.parquet_column", column=name, known=", ".join(dataset.schema.names)
                )
        schema = dataset.schema.remove_metadata()
        if columns:
            schema = pa.schema([schema.field(n) for n in columns])
        left = request.limit
        try:
            scanner = dataset.scanner(
                columns=columns, filter=_filter(dataset.schema, request), batch_size=BATCH_ROWS
            )
            for batch in scanner.to_batches():
                if left is not None:
                    if left <= 0:
                        return
                    batch = batch.slice(0, left)
                    left -= batch.num_rows
                if batch.num_rows:
                    yield pa.RecordBatch.from_arrays(batch.columns, schema=schema)
        except pa.ArrowInvalid as exc:
            raise InvalidInput(
                "ingest.parquet_invalid",
                file=str(dataset.files[0] if dataset.files else ""),
                detail=str(exc)[:300],
            ) from exc
