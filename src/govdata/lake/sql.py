"""DuckDB helpers: quoting identifiers (column names may be Chinese or pinyin) and the process's connections."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_lock = threading.Lock()
_database: Any = None


def quote_ident(name: str) -> str:
    """``name`` as a double-quoted identifier, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def duck() -> Iterator[Any]:
    """A DuckDB connection for one task (``cursor``), closed after it."""
    con = cursor()
    try:
        yield con
    finally:
        con.close()


def cursor() -> Any:
    """A new DuckDB connection to the process's in-memory database; the caller closes it.

    Opening a DuckDB database costs 20–30 ms (its buffer manager, thread pool and catalog), more than
    the whole scan of an upsert's key column; a cursor of one in-memory database per process costs
    25 µs. A cursor is a connection of its own: what it registers and its TEMP views and tables are
    its own, so tasks on different threads do not see each other's. Only code that runs fixed SQL
    belongs here — an expression a user wrote is checked on a database of its own
    (``quality.custom``), whose settings (no external access) must not reach the others.
    """
    global _database
    with _lock:
        if _database is None:
            import duckdb

            _database = duckdb.connect()
            _database.execute("SET enable_progress_bar = false")  # global: every cursor inherits it
        return _database.cursor()


def _forget() -> None:
    """In a forked child the parent's database is not usable (its threads did not come along)."""
    global _database, _lock
    _database = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_forget)
