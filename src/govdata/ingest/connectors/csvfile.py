"""The ``csv`` connector: delimited text files, every column read as text into the raw layer.

Encoding is detected per STANDARDS.md §12 (``govdata.ingest.encoding``) unless given; the delimiter
is sniffed among comma, tab, ``|`` and ``;`` unless given. Reading streams through
``pyarrow.csv.open_csv``, which transcodes to UTF-8 as it goes.
A record with the wrong number of fields is reported to ``reject`` (set by the runner to collect
rejected rows) and skipped; without ``reject`` it fails the read as ``ingest.csv_parse``.
Raises ``InvalidInput``: ``ingest.file_not_found``, ``ingest.bad_encoding``, ``ingest.empty_file``,
``ingest.csv_parse`` (naming the file and the parser's complaint).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput
from govdata.ingest.connectors.base import Connector, ConnectorConfig, ReadRequest, clean_names, string_schema
from govdata.ingest.encoding import check_encoding, detect_encoding

DELIMITERS = ",\t|;"
_SAMPLE_BYTES = 64 * 1024
_BLOCK_SIZE = 4 << 20


class CsvConfig(ConnectorConfig):
    path: str = Field(description="Path of the file on the platform's file drop.")
    encoding: str | None = Field(default=None, description="Codec name; detected when empty.")
    delimiter: str | None = Field(default=None, description="One character; sniffed when empty.")


def check_file(path: str) -> Path:
    """``path`` as a Path, or ``InvalidInput("ingest.file_not_found")``."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput("ingest.file_not_found", file=path)
    return p


def sniff_delimiter(sample: str) -> str:
    """The most plausible delimiter of ``sample`` (decoded text), comma when undecidable."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line short
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = ""
    if found in DELIMITERS and found:
        return found
    # fall back to the candidate that splits the header and stays constant across lines
    best, best_score = ",", 0
    for cand in DELIMITERS:
        counts = [line.count(cand) for line in lines]
        if counts and counts[0] > 0:
            score = counts[0] * sum(1 for c in counts if c == counts[0])
            if score > best_score:
                best, best_score = cand, score
    return best


class CsvConnector(Connector):
    name = "csv"
    label = "ingest.connector.csv"
    Config = CsvConfig
    reject: Callable[[Any], None] | None = None  # receives a quarantine.Rejected per bad record

    def discover(self, config: Any) -> list[str]:
        cfg = self.parse_config(config)
        return [Path(cfg.path).stem]

    def _prepare(self, cfg: CsvConfig) -> tuple[Path, str, str, list[str]]:
        path = check_file(cfg.path)
        if cfg.encoding:
            try:
                codecs.lookup(cfg.encoding)
            except LookupError as exc:
                raise InvalidInput("ingest.unknown_encoding", encoding=cfg.encoding) from exc
            check_encoding(path, cfg.encoding)
            encoding = cfg.encoding
        else:
            encoding = detect_encoding(path)
        with path.open("rb") as fh:
            raw = fh.read(_SAMPLE_BYTES)
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        sample = decoder.decode(raw, final=len(raw) < _SAMPLE_BYTES).lstrip("\ufeff")
        if not sample.strip():
            raise InvalidInput("ingest.empty_file", file=str(path))
        delimiter = cfg.delimiter or sniff_delimiter(sample)
        header = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
        return path, encoding, delimiter, clean_names(header)

    def schema(self, config: Any) -> pa.Schema:
        _, _, _, names = self._prepare(self.parse_config(config))
        return string_schema(names)

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        from pyarrow import csv as pacsv

        path, encoding, delimiter, names = self._prepare(self.parse_config(config))
        schema = string_schema(names)
        handler = self._bad_row_handler(path) if self.reject is not None else None
        try:
            reader = pacsv.open_csv(
                path,
                read_options=pacsv.ReadOptions(
                    encoding=encoding, column_names=names, skip_rows=1, block_size=_BLOCK_SIZE
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, invalid_row_handler=handler
                ),
                convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=False),
            )
            yield from reader
        except pa.ArrowInvalid as exc:
            raise InvalidInput("ingest.csv_parse", file=str(path), detail=str(exc)[:300]) from exc

    def _bad_row_handler(self, path: Path) -> Callable[[Any], str]:
        from govdata.ingest.quarantine import Rejected

        report = self.reject
        assert report is not None

        def handle(row: Any) -> str:
            # the parser knows no line number when values may span lines; the text identifies the row
            report(
                Rejected(
                    row.number if row.number is not None and row.number > 0 else None,
                    "ingest.reject.csv_fields",
                    raw=row.text,
                    file=str(path),
                    params={"expected": row.expected_columns, "actual": row.actual_columns},
                )
            )
            return "skip"

        return handle
