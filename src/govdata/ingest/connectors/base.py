"""The connector contract: what every source type (built-in or plug-in) provides.

A connector has a stable English ``name``, a ``label`` i18n key, a Pydantic ``Config`` (which also
renders the portal form), declared ``capabilities`` and three operations: ``schema(config)``,
``read(config, state)`` yielding Arrow record batches of exactly that schema, and ``discover(config)``.
The runner, not the connector, commits to the lake and records the run. One load runs inside
``opened(config)``: a connector may keep what it learnt about the source there (the SQL connector
reflects a table once per load, not once per call); outside it every call asks the source afresh.

A connector may put a ``_source_row`` int64 column in its batches (Excel uses the sheet row number);
otherwise the runner numbers the records 1, 2, 3 … in source order.
Raises ``InvalidInput("ingest.bad_config")`` for a config that does not validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, ValidationError

from govdata.errors import InvalidInput

SOURCE_ROW = "_source_row"
INGESTED_AT = "_ingested_at"
RESERVED_COLUMNS = (SOURCE_ROW, INGESTED_AT)


@dataclass(frozen=True)
class Capabilities:
    """What load modes a connector supports beyond a full load."""

    incremental: bool = False  # honours ReadRequest.cursor_column / cursor_value
    upsert: bool = False  # rows carry a stable key, so a MERGE by key is meaningful
    delete_detection: bool = False  # can list every current key cheaply (ReadRequest.columns)
    lookup: bool = False  # honours ReadRequest.where_equals (logical aggregation: queried in place)
    partitioned: bool = False  # can split one read into parallel ranges


@dataclass(frozen=True)
class ReadRequest:
    """What the runner asks a connector for; the default is every row and column.

    ``cursor_value`` is inclusive (rows with ``cursor >= value``): the runner merges by key, so rows
    sharing the last cursor value are re-read rather than lost, and the merge removes the repeats.
    """

    cursor_column: str | None = None
    cursor_value: Any = None
    columns: tuple[str, ...] | None = None  # only these columns (delete detection reads keys only)
    where_equals: tuple[tuple[str, Any], ...] = ()  # column = value filters (lookups)
    limit: int | None = None


class ConnectorConfig(BaseModel):
    """Base of every connector's ``Config``: unknown keys are refused, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Connector:
    """Base class of connectors; subclasses set the class attributes and implement the methods."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    Config: ClassVar[type[ConnectorConfig]] = ConnectorConfig
    capabilities: ClassVar[Capabilities] = Capabilities()

    def parse_config(self, raw: Mapping[str, Any] | ConnectorConfig) -> Any:
        """Validate ``raw`` into this connector's ``Config``."""
        if isinstance(raw, self.Config):
            return raw
        try:
            return self.Config.model_validate(dict(raw))
        except ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '-'}: {err['msg']}" for err in exc.errors()
            )
            raise InvalidInput("ingest.bad_config", connector=self.name, detail=detail) from exc

    def opened(self, config: Any) -> AbstractContextManager[None]:
        """A block in which ``schema`` and ``read`` of ``config`` may share one look at the source.

        The runner wraps each load in it, so the schema it checks for drift is the one the read
        uses. The default keeps nothing.
        """
        return nullcontext()

    def schema(self, config: Any) -> pa.Schema:
        """The Arrow schema every batch of ``read`` will have."""
        raise NotImplementedError

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        """Yield the source's records as Arrow batches, narrowed by ``request`` where capable.

        A connector without a capability ignores that part of the request; the runner checks
        ``capabilities`` before relying on it.
        """
        raise NotImplementedError

    def discover(self, config: Any) -> list[str]:
        """Tables this source offers; a file source offers one (itself)."""
        return []

    def split_secret(self, config: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        """Separate the secret (password, token) from a raw config so it can be stored encrypted."""
        return dict(config), None

    def join_secret(self, config: Mapping[str, Any], secret: str | None) -> dict[str, Any]:
        """Put a secret split off by ``split_secret`` back into the config."""
        return dict(config)


_SPACES = re.compile(r"[\s\u3000]+")


def clean_names(names: list[Any]) -> list[str]:
    """Usable, unique column names: trimmed, inner line breaks and runs of spaces collapsed.

    An empty name becomes ``column_<n>`` (1-based position); a repeated name gets ``_2``, ``_3`` …
    """
    out: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(names, start=1):
        name = "" if raw is None else str(raw).lstrip("\ufeff")
        # a header wrapped inside its cell is one word in Chinese, so line breaks are dropped
        name = _SPACES.sub(" ", name.replace("\r", "").replace("\n", "")).strip()
        if not name:
            name = f"column_{position}"
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def string_schema(names: list[str], *, with_source_row: bool = False) -> pa.Schema:
    """A schema of nullable string columns (the raw layer keeps file values as text)."""
    fields = [pa.field(n, pa.string()) for n in names]
    if with_source_row:
        fields.append(pa.field(SOURCE_ROW, pa.int64()))
    return pa.schema(fields)
