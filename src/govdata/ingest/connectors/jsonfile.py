"""The ``json`` connector: a JSON array of objects or JSON Lines, every value kept as text.

Columns are the union of keys across records in first-seen order (a missing key is null); nested
objects and arrays become JSON strings, numbers and booleans their JSON spelling. ``_source_row``
is the record's 1-based number in the file (a skipped non-object keeps its number).
Raises ``InvalidInput``: ``ingest.file_not_found``, ``ingest.bad_encoding``, ``ingest.json_syntax``
(file, line), ``ingest.json_not_array`` (top level neither an array nor JSON Lines) and
``ingest.json_not_object`` (file and 0-based record index of the first non-object) — unless the
runner set ``reject``: then a record that is not an object is reported there and skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput
from govdata.ingest.connectors.base import Connector, ConnectorConfig, ReadRequest, clean_names, string_schema
from govdata.ingest.connectors.csvfile import check_file
from govdata.ingest.encoding import detect_encoding

BATCH_ROWS = 10_000


class JsonConfig(ConnectorConfig):
    path: str = Field(description="Path of a .json (array of objects) or .jsonl file.")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _records(path: Path, reject: Callable[[Any], None] | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(1-based record number, record) of each object in the file; a non-object goes to ``reject``."""
    encoding = detect_encoding(path)
    with path.open(encoding=encoding) as fh:
        head = fh.read(4096).lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        with path.open(encoding=encoding) as fh:
            try:
                data = json.load(fh)
            except json.JSONDecodeError as exc:
                raise InvalidInput("ingest.json_syntax", file=str(path), line=exc.lineno) from exc
        for index, record in enumerate(data):
            if not isinstance(record, dict):
                _not_object(path, index, record, reject)
                continue
            yield index + 1, record
        return
    if not head.startswith("{"):
        raise InvalidInput("ingest.json_not_array", file=str(path))
    with path.open(encoding=encoding) as fh:
        index = 0
        for lineno, line in enumerate(fh, start=1):
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                if lineno == 1:
                    _refuse_single_document(path, encoding)
                raise InvalidInput("ingest.json_syntax", file=str(path), line=lineno) from exc
            index += 1
            if not isinstance(record, dict):
                _not_object(path, index - 1, record, reject)
                continue
            yield index, record


def _not_object(path: Path, index: int, record: Any, reject: Callable[[Any], None] | None) -> None:
    if reject is None:
        raise InvalidInput("ingest.json_not_object", file=str(path), index=index)
    from govdata.ingest.quarantine import Rejected

    reject(Rejected(index + 1, "ingest.reject.json_not_object", raw=record, file=str(path)))


def _refuse_single_document(path: Path, encoding: str) -> None:
    """A first line that is not a whole object: either one pretty-printed object or bad syntax."""
    with path.open(encoding=encoding) as fh:
        try:
            json.load(fh)
        except json.JSONDecodeError as exc:
            raise InvalidInput("ingest.json_syntax", file=str(path), line=exc.lineno) from exc
    raise InvalidInput("ingest.json_not_array", file=str(path))


class JsonConnector(Connector):
    name = "json"
    label = "ingest.connector.json"
    Config = JsonConfig
    reject: Callable[[Any], None] | None = None  # receives a quarantine.Rejected per non-object record

    def discover(self, config: Any) -> list[str]:
        return [Path(self.parse_config(config).path).stem]

    def _keys(self, path: Path) -> list[str]:
        keys: dict[str, None] = {}
        skip = (lambda _: None) if self.reject is not None else None  # reported once, by read
        for _, record in _records(path, skip):
            keys.update(dict.fromkeys(record))
        return list(keys)

    def schema(self, config: Any) -> pa.Schema:
        path = check_file(self.parse_config(config).path)
        return string_schema(clean_names(self._keys(path)), with_source_row=True)

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        path = check_file(self.parse_config(config).path)
        keys = self._keys(path)
        schema = string_schema(clean_names(keys), with_source_row=True)
        records = _records(path, self.reject)
        while chunk := list(islice(records, BATCH_ROWS)):
            columns = [pa.array([_text(r.get(k)) for _, r in chunk], pa.string()) for k in keys]
            columns.append(pa.array([n for n, _ in chunk], pa.int64()))
            yield pa.RecordBatch.from_arrays(columns, schema=schema)
