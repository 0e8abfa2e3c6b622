"""Connections a worker keeps between the loads of one source database.

A scheduler process loads the same department databases again and again. Opening a connection costs
a TCP and authentication handshake; a new SQLAlchemy engine also runs its dialect's first-connect
queries (server version, settings), and ADBC's PostgreSQL driver reads the server's type catalog
(~40 ms). For an increment of a few thousand rows that was a third of the run, so a process keeps,
for a server it reads (PostgreSQL, MySQL/MariaDB — never a SQLite file, which a test or a clerk may
replace under the same path):

- one SQLAlchemy engine per URL (a pool of one idle connection, checked by ``pool_pre_ping`` before
  each use), at most ``LIMIT`` engines, each disposed once unused for ``IDLE_SECONDS``;
- at most one idle ADBC connection per URL for ``IDLE_SECONDS`` (its transaction ended; checked with
  ``SELECT 1`` before it is lent again).

The URL, password included, is the key: a changed password never gets the old connection. Nothing
here is written anywhere; ``clear()`` closes everything (tests, code that drops a source database,
and the process at exit).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections import OrderedDict
from typing import Any

LIMIT = 8  # sources kept per process: a few connections each, far below a server's max_connections
IDLE_SECONDS = 300.0  # a source not loaded for five minutes gives its connections back
POOLED_BACKENDS = ("postgresql", "mysql")

_lock = threading.Lock()
_engines: OrderedDict[str, tuple[Any, float]] = OrderedDict()
_adbc: OrderedDict[str, tuple[Any, float]] = OrderedDict()


def pooled(url: Any) -> bool:
    """Whether connections to ``url`` (a SQLAlchemy URL) are kept between loads."""
    return str(url.get_backend_name()) in POOLED_BACKENDS


def engine(url: Any) -> Any:
    """The process's engine for ``url`` (a SQLAlchemy URL of a pooled backend), made on first use."""
    from sqlalchemy import create_engine

    key = url.render_as_string(hide_password=False)
    now = time.monotonic()
    stale: list[Any] = []
    with _lock:
        stale += _expire(_engines, now)
        found = _engines.pop(key, None)
        made = found[0] if found else create_engine(url, pool_size=1, max_overflow=4, pool_pre_ping=True)
        _engines[key] = (made, now)
        while len(_engines) > LIMIT:
            stale.append(_engines.popitem(last=False)[1][0])
    for old in stale:
        old.dispose()
    return made


def take_adbc(libpq_url: str) -> Any | None:
    """An idle ADBC connection to ``libpq_url`` that still answers, or None."""
    with _lock:
        stale = _expire(_adbc, time.monotonic())
        found = _adbc.pop(libpq_url, None)
    for old in stale:
        _close(old)
    if found is None:
        return None
    conn = found[0]
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()
        conn.rollback()
    except Exception:  # noqa: BLE001 - a connection the server dropped is closed, a new one is opened
        _close(conn)
        return None
    return conn


def keep_adbc(libpq_url: str, conn: Any) -> None:
    """Keep ``conn`` (its transaction ended) for the next load of ``libpq_url``."""
    with _lock:
        previous = _adbc.pop(libpq_url, None)
        _adbc[libpq_url] = (conn, time.monotonic())
        evicted = [_adbc.popitem(last=False)[1][0] for _ in range(len(_adbc) - LIMIT)]
    for old in [*([previous[0]] if previous else []), *evicted]:
        _close(old)


def clear() -> None:
    """Close every kept connection and dispose every engine."""
    with _lock:
        engines = [e for e, _ in _engines.values()]
        conns = [c for c, _ in _adbc.values()]
        _engines.clear()
        _adbc.clear()
    for old in engines:
        old.dispose()
    for conn in conns:
        _close(conn)


atexit.register(clear)  # close kept connections while the drivers still work (not in interpreter teardown)


def _expire(kept: OrderedDict[str, tuple[Any, float]], now: float) -> list[Any]:
    """Remove (and return) what has been idle longer than ``IDLE_SECONDS``; call with the lock held."""
    old = [key for key, (_, used) in kept.items() if now - used > IDLE_SECONDS]
    return [kept.pop(key)[0] for key in old]


def _close(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
        pass
