"""JSON records (dicts) as Arrow text columns: shared by the HTTP API, stream and push intake.

Like the ``json`` file connector, the raw layer keeps values as text: strings as they are, numbers
and booleans in their JSON spelling, nested objects and arrays as JSON text, null as null. Columns
are the union of keys in first-seen order. Owns no errors: callers check that records are objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyarrow as pa

from govdata.ingest.connectors.base import clean_names


def as_text(value: Any) -> str | None:
    """``value`` as the raw layer keeps it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def union_keys(records: Iterable[Mapping[str, Any]], known: Sequence[str] = ()) -> list[str]:
    """``known`` followed by every other key of ``records`` in first-seen order."""
    keys: dict[str, None] = dict.fromkeys(known)
    for record in records:
        keys.update(dict.fromkeys(record))
    return list(keys)


def text_table(records: Sequence[Mapping[str, Any]], keys: Sequence[str]) -> pa.Table:
    """``records`` as a table of nullable string columns named after ``keys`` (cleaned, unique)."""
    names = clean_names(list(keys))
    columns = [pa.array([as_text(r.get(k)) for r in records], pa.string()) for k in keys]
    return pa.Table.from_arrays(columns, schema=pa.schema([pa.field(n, pa.string()) for n in names]))
