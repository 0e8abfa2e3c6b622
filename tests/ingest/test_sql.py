"""The sql connector against SQLite (tmp file), PostgreSQL and MariaDB (the machine's servers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    create_engine,
    insert,
)

from govdata.errors import InvalidInput, TransientError
from govdata.ingest import get_connector, load_to_lake
from govdata.lake import Lake, TableRef
from tests.ingest.conftest import MARIADB_URL, PG_URL, unique_name

ROWS = [
    {"id": 1, "id_number": "11010519491231002X", "area": "0571", "name": "张三", "born": dt.date(1949, 12, 31),
     "seen": dt.datetime(2024, 1, 2, 3, 4, 5), "amount": Decimal("1200.50"), "note": "全角　空格"},
    {"id": 2, "id_number": "440524188001010014", "area": "0010", "name": "李四·𠀀", "born": None,
     "seen": None, "amount": Decimal("0.01"), "note": None},
    {"id": 3, "id_number": None, "area": "", "name": "王五", "born": dt.date(2000, 2, 29),
     "seen": dt.datetime(2000, 2, 29, 23, 59, 59), "amount": None, "note": "/"},
]  # fmt: skip


def _people(name: str) -> Table:
    return Table(
        name,
        MetaData(),
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("id_number", String(18)),
        Column("area", String(6)),
        Column("name", String(50)),
        Column("born", Date),
        Column("seen", DateTime),
        Column("amount", Numeric(12, 2)),
        Column("note", Text),
    )


# every read path of each backend: auto picks ADBC for PostgreSQL and connectorx for MariaDB
PATHS = [("sqlite", "auto"), ("postgresql", "auto"), ("postgresql", "connectorx"), ("postgresql", "sqlalchemy"),
         ("mariadb", "auto"), ("mariadb", "sqlalchemy")]  # fmt: skip


@pytest.fixture(params=PATHS, ids=[f"{b}-{e}" for b, e in PATHS])
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(url, table, engine) of a freshly filled people table on each backend; dropped afterwards."""
    kind, engine_name = request.param
    url = {"sqlite": f"sqlite:///{tmp_path / 'src.db'}", "postgresql": PG_URL, "mariadb": MARIADB_URL}[kind]
    engine: Engine = create_engine(url)
    table = _people(unique_name("people"))
    try:
        table.create(engine)
    except Exception as exc:  # an unreachable server fails the test, naming it
        engine.dispose()
        pytest.fail(f"cannot create a table at {url}: {exc}")
    with engine.begin() as conn:
        conn.execute(insert(table), ROWS)
    yield url, table.name, engine_name
    table.drop(engine)
    engine.dispose()


def _read(lake: Lake, table: str) -> list[tuple[Any, ...]]:
    with lake.connect(t=TableRef("raw", "gaj", table)) as con:
        return con.execute(
            "SELECT id, id_number, area, name, born, seen, amount, note, _source_row FROM t ORDER BY id"
        ).fetchall()


def test_full_load(source: tuple[str, str, str], lake: Lake) -> None:
    url, table, engine_name = source
    config = {"url": url, "table": table, "batch_size": 2, "engine": engine_name}
    result = load_to_lake(lake, "gaj", "people", "sql", config)
    assert result.rows_read == result.rows_written == 3
    schema = lake.schema(TableRef("raw", "gaj", "people"))
    assert schema.field("id_number").type == pa.string()
    assert schema.field("area").type == pa.string()
    assert schema.field("born").type == pa.date32()
    assert schema.field("amount").type == pa.decimal128(12, 2)
    rows = _read(lake, "people")
    expected = [
        (r["id"], r["id_number"], r["area"], r["name"], r["born"], r["seen"], r["amount"], r["note"])
        for r in ROWS
    ]
    assert [row[:-1] for row in rows] == expected
    assert sorted(row[-1] for row in rows) == [1, 2, 3]
    assert table in get_connector("sql").discover({"url": url, "table": table})


def test_missing_table(tmp_path: Path, lake: Lake) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "x", "sql", {"url": url, "table": "nope"})
    assert info.value.code == "ingest.sql_table_not_found"


def test_unreachable_server_is_transient(lake: Lake) -> None:
    url = "postgresql://postgres:pw@127.0.0.1:1/none"
    with pytest.raises(TransientError) as info:
        load_to_lake(lake, "gaj", "x", "sql", {"url": url, "table": "t"})
    assert info.value.code == "ingest.source_unavailable"
    assert "pw" not in info.value.params["source"]


def test_value_not_matching_declared_type(tmp_path: Path, lake: Lake) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 's.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER, s TEXT)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1, 'a'), ('two', 'b')")
    engine.dispose()
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "t", "sql", {"url": f"sqlite:///{tmp_path / 's.db'}", "table": "t"})
    assert info.value.params["column"] == "n"


def test_password_split_and_joined() -> None:
    sql = get_connector("sql")
    public, secret = sql.split_secret({"url": "postgresql://u:p%40ss@h/db", "table": "t"})
    assert secret == "p@ss"
    assert "p%40ss" not in public["url"] and "p@ss" not in public["url"]
    assert sql.join_secret(public, secret)["url"] == "postgresql://u:p%40ss@h/db"
