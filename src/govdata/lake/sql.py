"""The one helper that quotes SQL identifiers for DuckDB (column names may be Chinese or pinyin)."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """``name`` as a double-quoted identifier, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'
