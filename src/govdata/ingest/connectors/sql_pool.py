"""Connections a worker keeps between the loads of one source database.

A scheduler process loads the same department databases again and again. Opening a connection costs
a TCP and authentication handshake; a new SQLAlchemy engine also runs its dialect's first-connect
queries (server version, settings), and ADBC's PostgreSQL driver reads the server's type catalog
(~40 ms). For an increment of a few thousand rows that was a third of the run, so a process keeps,
for a server it reads (PostgreSQL, MySQL/MariaDB — never a SQLite file, which a test or a clerk may
replace under the same path):

- one SQLAlchemy engine per URL (a pool of two idle connections — the reflection's and the check of
  a kept ADBC connection run side by side — each checked by ``pool_pre_ping`` before use), at most
  ``LIMIT`` engines, each disposed once unused for ``IDLE_SECONDS``;
- at most one idle ADBC connection per URL for ``IDLE_SECONDS`` (its transaction ended), with the
  server process that serves it (``Backend``: pid and start time, read when it opened). Before it is
  lent again the server is asked, over the source's SQLAlchemy engine, whether that process still
  runs — never by a statement on the ADBC connection itself: the pinned ADBC driver (1.8.0, see
  pyproject.toml) aborts the whole process when a statement is sent on a connection the server ended.

The URL, password included, is the key: a changed password never gets the old connection. Nothing
here is written anywhere; ``clear()`` closes everything (tests, code that drops a source database,
and the process at exit).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections import OrderedDict
from typing import Any, NamedTuple, TypeVar

LIMIT = 8  # sources kept per process: a few connections each, far below a server's max_connections
IDLE_SECONDS = 300.0  # a source not loaded for five minutes gives its connections back
POOLED_BACKENDS = ("postgresql", "mysql")
T = TypeVar("T")

_lock = threading.Lock()
_engines: OrderedDict[str, tuple[Any, float]] = OrderedDict()
_adbc: OrderedDict[str, tuple[Kept, float]] = OrderedDict()


class Backend(NamedTuple):
    """The PostgreSQL server process behind a connection: its pid and start time (pids are reused)."""

    pid: int
    started: str


class Kept(NamedTuple):
    conn: Any  # an ADBC connection, its transaction ended
    backend: Backend


ALIVE = "SELECT count(*) FROM pg_stat_activity WHERE pid = :pid AND backend_start::text = :started"


def backend(conn: Any) -> Backend | None:
    """The server process of ``conn``, a just-opened ADBC connection (None when it cannot be read)."""
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()"
            )
            row = cursor.fetchone()
        conn.rollback()
    except Exception:  # noqa: BLE001 - a connection whose process is unknown is simply not kept
        return None
    return Backend(int(row[0]), str(row[1])) if row else None


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
        made = found[0] if found else create_engine(url, pool_size=2, max_overflow=4, pool_pre_ping=True)
        _engines[key] = (made, now)
        while len(_engines) > LIMIT:
            stale.append(_engines.popitem(last=False)[1][0])
    for old in stale:
        old.dispose()
    return made


def take_adbc(libpq_url: str, engine: Any) -> Kept | None:
    """The idle ADBC connection kept for ``libpq_url`` if its server process still runs (asked over
    ``engine``, the same server's SQLAlchemy engine), else None — a dead one is closed."""
    with _lock:
        stale = _expire(_adbc, time.monotonic())
        found = _adbc.pop(libpq_url, None)
    for old in stale:
        _close(old.conn)
    if found is None:
        return None
    kept = found[0]
    try:
        from sqlalchemy import text

        with engine.connect() as conn:
            alive = conn.execute(text(ALIVE), kept.backend._asdict()).scalar_one() == 1
    except Exception:  # noqa: BLE001 - a server that cannot be asked: open a new connection
        alive = False
    if not alive:
        _close(kept.conn)
        return None
    return kept


def keep_adbc(libpq_url: str, kept: Kept) -> None:
    """Keep ``kept`` (its transaction ended) for the next load of ``libpq_url``."""
    with _lock:
        previous = _adbc.pop(libpq_url, None)
        _adbc[libpq_url] = (kept, time.monotonic())
        evicted = [_adbc.popitem(last=False)[1][0] for _ in range(len(_adbc) - LIMIT)]
    for old in [*([previous[0]] if previous else []), *evicted]:
        _close(old.conn)


def clear() -> None:
    """Close every kept connection and dispose every engine."""
    with _lock:
        engines = [e for e, _ in _engines.values()]
        conns = [kept.conn for kept, _ in _adbc.values()]
        _engines.clear()
        _adbc.clear()
    for old in engines:
        old.dispose()
    for conn in conns:
        _close(conn)


atexit.register(clear)  # close kept connections while the drivers still work (not in interpreter teardown)


def _expire(kept: OrderedDict[str, tuple[T, float]], now: float) -> list[T]:
    """Remove (and return) what has been idle longer than ``IDLE_SECONDS``; call with the lock held."""
    old = [key for key, (_, used) in kept.items() if now - used > IDLE_SECONDS]
    return [kept.pop(key)[0] for key in old]


def _close(conn: Any) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail; it is gone either way
        pass
