"""A worker keeps its source connections between loads (``sql_pool``), and never trusts a kept one blindly.

Against the machine's PostgreSQL and MariaDB: a second load reuses the first load's connections, a
kept connection the server ended is replaced without failing the load, a changed password never gets
the old connection, a source left alone gives its connections back, a SQLite file is never kept open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from govdata.ingest import close_source_connections, load_to_lake
from govdata.ingest.connectors import sql_pool
from govdata.ingest.connectors.sql import _libpq, engine_url
from govdata.lake import Lake, TableRef
from tests.ingest.conftest import MARIADB_URL, PG_URL, unique_name

ROWS = 50


@pytest.fixture(autouse=True)
def _empty_pool() -> Iterator[None]:
    close_source_connections()
    yield
    close_source_connections()


@pytest.fixture(params=["postgresql", "mariadb"])
def source(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(url, table) of a small table on the server."""
    url = {"postgresql": PG_URL, "mariadb": MARIADB_URL}[request.param]
    name = unique_name("pool")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (id int PRIMARY KEY, name varchar(20))"))
        insert = text(f"INSERT INTO {name} VALUES (:i, :n)")  # noqa: S608 - a generated table name
        conn.execute(insert, [{"i": i, "n": f"名{i}"} for i in range(ROWS)])
    yield url, name
    close_source_connections()  # a kept connection must not hold the DROP up
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {name}"))
    engine.dispose()


def _load(lake: Lake, url: str, table: str) -> int:
    return load_to_lake(lake, "pool", "t", "sql", {"url": url, "table": table}).rows_written


def _pid(conn: Any) -> int:
    """The server process of a kept connection (a SQLAlchemy engine's or an ADBC one)."""
    if hasattr(conn, "connect"):
        with conn.connect() as c:
            return int(c.execute(text("SELECT pg_backend_pid()")).scalar_one())
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    conn.rollback()
    return int(pid)


def test_a_second_load_reuses_the_first_loads_connections(source: tuple[str, str], tmp_path: Path) -> None:
    url, table = source
    lake = Lake(str(tmp_path / "lake"))
    assert _load(lake, url, table) == ROWS
    engine = sql_pool.engine(engine_url(url))
    assert engine.pool.checkedin() == 1  # the reflection's connection went back to the pool, open
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    libpq = _libpq(engine_url(url))
    if url == PG_URL:
        kept = sql_pool.take_adbc(libpq, engine)
        assert kept is not None
        first = _pid(kept.conn)
        assert kept.backend.pid == first
        sql_pool.keep_adbc(libpq, kept)
    for _ in range(3):
        assert _load(lake, url, table) == ROWS
    assert sql_pool.engine(engine_url(url)) is engine
    # at most one more engine connection: PostgreSQL's check of the kept ADBC connection runs beside
    # the reflection; from then on the pool holds both
    assert len(opened) <= (1 if url == PG_URL else 0)
    if url == PG_URL:
        kept = sql_pool.take_adbc(libpq, engine)
        assert kept is not None
        assert _pid(kept.conn) == first  # the same server process served every load
        kept.conn.close()


def test_a_kept_connection_the_server_ended_is_replaced(tmp_path: Path) -> None:
    url = PG_URL
    name = unique_name("pool")
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} AS SELECT g AS id FROM generate_series(1, {ROWS}) g"))  # noqa: S608
    try:
        lake = Lake(str(tmp_path / "lake"))
        assert _load(lake, url, name) == ROWS
        libpq = _libpq(engine_url(url))
        engine = sql_pool.engine(engine_url(url))
        kept = sql_pool.take_adbc(libpq, engine)
        assert kept is not None
        pids = [_pid(engine), kept.backend.pid]
        sql_pool.keep_adbc(libpq, kept)
        with admin.connect() as conn:
            for pid in pids:  # what an administrator's restart or an idle timeout does
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        # neither dead connection failed the load, nor was a statement sent on the dead ADBC one
        # (the driver would abort this process): the server was asked about it over the engine
        assert _load(lake, url, name) == ROWS
        assert lake.count(TableRef("raw", "pool", "t")) == ROWS
        fresh = sql_pool.take_adbc(libpq, engine)
        assert fresh is not None and _pid(fresh.conn) not in pids
        fresh.conn.close()
    finally:
        close_source_connections()
        with admin.begin() as conn:
            conn.execute(text(f"DROP TABLE {name}"))
        admin.dispose()


def test_a_changed_password_never_gets_the_old_connection() -> None:
    one = make_url("postgresql+psycopg://clerk:old@127.0.0.1:5432/test")
    two = one.set(password="new")
    assert sql_pool.engine(one) is not sql_pool.engine(two)
    assert sql_pool.engine(one) is sql_pool.engine(one)


def test_a_source_left_alone_gives_its_connections_back(
    source: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, table = source
    _load(Lake(str(tmp_path / "lake")), url, table)
    engine = sql_pool.engine(engine_url(url))
    assert engine.pool.checkedin() == 1
    monkeypatch.setattr(sql_pool, "IDLE_SECONDS", 0.0)
    other = sql_pool.engine(
        make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    )  # any later use
    assert other is not engine
    assert engine.pool.checkedin() == 0  # disposed: its connection closed
    assert sql_pool.take_adbc(_libpq(engine_url(url)), engine) is None


def test_only_so_many_sources_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_pool, "LIMIT", 2)
    urls = [make_url(f"postgresql+psycopg://postgres@127.0.0.1:5432/db{i}") for i in range(4)]
    engines = [sql_pool.engine(u) for u in urls]
    assert sql_pool.engine(urls[3]) is engines[3]
    assert sql_pool.engine(urls[0]) is not engines[0]  # the oldest was let go


def test_a_sqlite_file_is_read_afresh_each_load(tmp_path: Path) -> None:
    """A file source is never kept open: replaced under the same path, the next load reads the new file."""
    path = tmp_path / "dept.db"
    for rows in (3, 5):
        path.unlink(missing_ok=True)
        with sqlite3.connect(path) as con:
            con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            con.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(rows)])
        con.close()
        assert _load(Lake(str(tmp_path / "lake")), f"sqlite:///{path}", "t") == rows
    assert not sql_pool.pooled(make_url(f"sqlite:///{path}"))


def test_a_process_closes_its_kept_connections_at_exit(tmp_path: Path) -> None:
    """Kept connections are closed by an exit handler, not left to the interpreter's teardown (where
    ADBC's finaliser fails: "Exception ignored … 'NoneType' object is not callable")."""
    import subprocess
    import sys

    name = unique_name("pool")
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} AS SELECT g AS id FROM generate_series(1, 5) g"))  # noqa: S608
    script = (
        "import atexit\n"
        "from govdata.ingest import load_to_lake\n"
        "from govdata.ingest.connectors import sql_pool\n"
        "from govdata.lake import Lake\n"
        f"rows = load_to_lake(Lake({str(tmp_path)!r}), 'pool', 't', 'sql', {{'url': {PG_URL!r}, 'table': {name!r}}})\n"
        "kept = (len(sql_pool._adbc), len(sql_pool._engines))\n"
        "atexit._run_exitfuncs()\n"
        "print(rows.rows_written, kept, (len(sql_pool._adbc), len(sql_pool._engines)))\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP TABLE {name}"))
        admin.dispose()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "5 (1, 1) (0, 0)"
