"""The sql connector's read paths (ADBC, connectorx, SQLAlchemy) agree, and each honours a ReadRequest.

Runs against the machine's PostgreSQL and MariaDB: same rows and types on every path, cursor reads
with a shared boundary value, key-only reads, lookups, limits and partitioned parallel reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import create_engine, text

from govdata.errors import InvalidInput, TransientError
from govdata.ingest import get_connector
from govdata.ingest.connectors.base import ReadRequest
from govdata.ingest.connectors.sql_fast import ranges
from tests.ingest.conftest import MARIADB_URL, PG_URL, unique_name

N = 240
ENGINES = {"postgresql": ["sqlalchemy", "adbc", "connectorx"], "mariadb": ["sqlalchemy", "connectorx"]}
DDL = {
    "postgresql": "CREATE TABLE {t} (id bigint PRIMARY KEY, code varchar(18), area char(4), amount numeric(14,3),"
    " big numeric, seen timestamp, seen_tz timestamptz, born date, flag boolean, doc jsonb, note text, grp int)",
    "mariadb": "CREATE TABLE {t} (id bigint PRIMARY KEY, code varchar(18), area char(4), amount decimal(14,3),"
    " big decimal(38,6), seen datetime(6), seen_tz timestamp(6) NULL, born date, flag tinyint(1), doc text,"
    " note text, grp int) DEFAULT CHARSET utf8mb4",
}
T0 = dt.datetime(2024, 1, 1, 8, 0, 0)


def _row(i: int) -> dict[str, Any]:
    return {
        "id": i,
        "code": f"{i:05d}X",
        "area": f"{i % 100:04d}",
        "amount": Decimal(f"{i}.125") if i % 9 else None,
        "big": Decimal(f"123456789012345678901234.{i:06d}"),
        "seen": T0 + dt.timedelta(minutes=i // 3),  # three rows share each cursor value
        "seen_tz": (T0 + dt.timedelta(hours=i)).replace(tzinfo=dt.UTC),
        "born": dt.date(1950, 1, 1) + dt.timedelta(days=i * 97) if i % 7 else None,
        "flag": i % 2 == 0,
        "doc": f'{{"k": {i}}}',
        "note": f"第{i}条　备注" if i % 5 else None,
        "grp": i % 4 if i % 11 else None,
    }


@pytest.fixture(params=["postgresql", "mariadb"])
def people(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """(backend, url, table) of a filled table with every type the lake cares about."""
    backend = request.param
    url = {"postgresql": PG_URL, "mariadb": MARIADB_URL}[backend]
    name = unique_name("paths")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(DDL[backend].format(t=name)))
            cols = list(_row(1))
            insert = f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({', '.join(':' + c for c in cols)})"  # noqa: S608
            rows = [_row(i) for i in range(1, N + 1)]
            if backend == "mariadb":  # no zone on MariaDB's TIMESTAMP: give it the UTC wall time
                rows = [{**r, "seen_tz": r["seen_tz"].replace(tzinfo=None)} for r in rows]
            conn.execute(text(insert), rows)
    except Exception as exc:
        engine.dispose()
        pytest.fail(f"cannot create a table at {url}: {exc}")
    yield backend, url, name
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {name}"))
    engine.dispose()


def _read(url: str, table: str, request: ReadRequest | None = None, **config: Any) -> pa.Table:
    sql = get_connector("sql")
    batches = list(sql.read({"url": url, "table": table, "batch_size": 50, **config}, request))
    schema = batches[0].schema if batches else None
    return pa.Table.from_batches(batches, schema=schema)


def _ids(table: pa.Table) -> list[int]:
    return table.column("id").to_pylist()


def test_every_path_gives_the_same_rows_and_types(people: tuple[str, str, str]) -> None:
    backend, url, name = people
    reference = _read(url, name, engine="sqlalchemy").sort_by("id")
    assert reference.num_rows == N
    assert reference.schema.field("code").type == pa.string()
    assert reference.schema.field("amount").type == pa.decimal128(14, 3)
    assert reference.column("code")[0].as_py() == "00001X"
    for engine in ENGINES[backend]:
        got = _read(url, name, engine=engine).sort_by("id")
        assert got.schema == reference.schema, engine
        assert got.to_pylist() == reference.to_pylist(), engine
    if backend == "postgresql":
        assert reference.schema.field("seen_tz").type == pa.timestamp("us", tz="UTC")
        assert reference.schema.field("big").type == pa.string()  # unbounded numeric keeps every digit
        assert reference.column("big")[0].as_py() == "123456789012345678901234.000001"


@pytest.mark.parametrize("engine", ["auto", "sqlalchemy", "connectorx"])
def test_request_narrowing(people: tuple[str, str, str], engine: str) -> None:
    backend, url, name = people
    boundary = _row(30)["seen"]  # shared by rows 30, 31, 32
    expected = [i for i in range(1, N + 1) if _row(i)["seen"] >= boundary]

    got = _read(
        url, name, ReadRequest(cursor_column="seen", cursor_value=boundary.isoformat()), engine=engine
    )
    assert sorted(_ids(got)) == expected and 30 in expected
    seen = got.column("seen").to_pylist()
    assert seen == sorted(seen)  # ordered by the cursor

    first = _read(url, name, ReadRequest(cursor_column="seen", cursor_value=boundary, limit=4), engine=engine)
    assert sorted(_ids(first)[:3]) == [30, 31, 32] and _ids(first)[3:] == [33]

    keys = _read(url, name, ReadRequest(columns=("id",)), engine=engine)
    assert keys.schema.names == ["id"] and sorted(_ids(keys)) == list(range(1, N + 1))

    pairs = _read(
        url, name, ReadRequest(columns=("code", "id"), where_equals=(("code", "00042X"),)), engine=engine
    )
    assert pairs.to_pylist() == [{"code": "00042X", "id": 42}]

    group = _read(url, name, ReadRequest(where_equals=(("grp", "3"), ("flag", False))), engine=engine)
    assert sorted(_ids(group)) == [i for i in range(1, N + 1) if _row(i)["grp"] == 3 and i % 2]

    nulls = _read(url, name, ReadRequest(columns=("id",), where_equals=(("grp", None),)), engine=engine)
    assert sorted(_ids(nulls)) == [i for i in range(1, N + 1) if i % 11 == 0]

    money = _read(url, name, ReadRequest(cursor_column="amount", cursor_value="200.125"), engine=engine)
    assert sorted(_ids(money)) == [i for i in range(200, N + 1) if i % 9]


@pytest.mark.parametrize("partition_column", [None, "grp"])
def test_parallel_reads_give_every_row_once(
    people: tuple[str, str, str], partition_column: str | None
) -> None:
    backend, url, name = people
    single = _read(url, name).sort_by("id")
    config: dict[str, Any] = {"parallel": 3, "batch_size": 16}
    if partition_column:  # nullable: rows with a NULL key are read too
        config["partition_column"] = partition_column
    parallel = _read(url, name, **config).sort_by("id")
    assert parallel.to_pylist() == single.to_pylist()
    narrowed = _read(url, name, ReadRequest(cursor_column="id", cursor_value=100), **config)
    assert sorted(_ids(narrowed)) == list(range(100, N + 1))


def test_bad_requests_name_the_column(people: tuple[str, str, str]) -> None:
    _, url, name = people
    with pytest.raises(InvalidInput) as info:
        _read(url, name, ReadRequest(columns=("nope",)))
    assert info.value.code == "ingest.sql_column_not_found" and info.value.params["column"] == "nope"
    with pytest.raises(InvalidInput) as info:
        _read(url, name, ReadRequest(cursor_column="born", cursor_value="not a date"))
    assert info.value.code == "ingest.sql_bad_filter" and info.value.params["column"] == "born"
    with pytest.raises(InvalidInput) as info:
        _read(url, name, partition_column="code", parallel=2)
    assert info.value.code == "ingest.bad_config"


def test_sqlite_has_only_the_general_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT)"))
        conn.execute(text("INSERT INTO t VALUES (1, '007'), (2, '008'), (3, '009')"))
    engine.dispose()
    assert _ids(_read(url, "t", ReadRequest(cursor_column="id", cursor_value=2))) == [2, 3]
    with pytest.raises(InvalidInput) as info:
        _read(url, "t", engine="adbc")
    assert info.value.code == "ingest.bad_config"


def test_capabilities_and_ranges() -> None:
    caps = get_connector("sql").capabilities
    assert caps.incremental and caps.upsert and caps.delete_detection and caps.lookup and caps.partitioned
    assert ranges(1, 10, 3) == [(1, 5, False), (5, 9, False), (9, 10, True)]
    assert ranges(5, 5, 4) == [(5, 5, True)]
    covered = {i for lo, hi, last in ranges(-7, 1000, 6) for i in range(lo, hi + 1 if last else hi)}
    assert covered == set(range(-7, 1001))


def test_a_load_reflects_the_table_once(
    people: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside ``opened`` the schema checked for drift and every read share one reflection; outside,
    each call looks at the source afresh (so a later run sees a changed table)."""
    from govdata.ingest.connectors.sql import SqlConnector

    _, url, name = people
    calls: list[str] = []
    real = SqlConnector._reflect

    def counted(self: SqlConnector, engine: Any, cfg: Any) -> Any:
        calls.append(cfg.table)
        return real(self, engine, cfg)

    monkeypatch.setattr(SqlConnector, "_reflect", counted)
    sql = get_connector("sql")
    config = {"url": url, "table": name}
    with sql.opened(config):
        declared = sql.schema(config)
        with sql.opened(config):  # nested: the outer block keeps it
            rows = pa.Table.from_batches(list(sql.read(config)))
        keys = pa.Table.from_batches(list(sql.read(config, ReadRequest(columns=("id",)))))
    assert calls == [name] and rows.schema == declared and rows.num_rows == keys.num_rows == N
    sql.schema(config)
    list(sql.read(config))
    assert len(calls) == 3


def test_the_reflection_keeps_columns_types_and_primary_key(people: tuple[str, str, str]) -> None:
    """Only columns and primary key are reflected, and they are what a full autoload gives."""
    from sqlalchemy import MetaData, Table

    from govdata.ingest.connectors.sql import SqlConnector

    _, url, name = people
    sql = SqlConnector()
    cfg = sql.parse_config({"url": url, "table": name})
    with sql._engine(cfg) as engine:
        lean = sql._reflect(engine, cfg)
        full = Table(name, MetaData(), autoload_with=engine)
    assert sql._layout(lean)[0] == sql._layout(full)[0]
    assert [c.name for c in lean.primary_key.columns] == [c.name for c in full.primary_key.columns] == ["id"]
    assert [c.nullable for c in lean.columns] == [c.nullable for c in full.columns]


def test_cursor_reads_stay_on_connectorx_with_a_typed_literal(people: tuple[str, str, str]) -> None:
    """connectorx cannot bind: an integer, date or naive timestamp cursor is written as a literal
    formatted from the typed value; a text or decimal cursor and every lookup go through bound
    parameters on another path."""
    from govdata.ingest.connectors.sql import SqlConnector

    backend, url, name = people
    sql = SqlConnector()
    cfg = sql.parse_config({"url": url, "table": name, "engine": "connectorx"})
    other = "adbc" if backend == "postgresql" else "sqlalchemy"

    def path(request: ReadRequest) -> str:
        with sql._source(cfg) as source:
            return sql.path(cfg, sql.plan(cfg, source.table, source.engine.dialect, request))

    assert path(ReadRequest(cursor_column="seen", cursor_value=T0)) == "connectorx"
    assert path(ReadRequest(cursor_column="born", cursor_value="1990-01-01")) == "connectorx"
    assert path(ReadRequest(cursor_column="id", cursor_value=7)) == "connectorx"
    assert path(ReadRequest(cursor_column="code", cursor_value="00042X")) == other
    assert path(ReadRequest(cursor_column="amount", cursor_value="200.125")) == other
    assert path(ReadRequest(where_equals=(("id", 42),))) == other
    if backend == "postgresql":  # a zoned timestamp is not written as a literal
        assert path(ReadRequest(cursor_column="seen_tz", cursor_value=T0.replace(tzinfo=dt.UTC))) == other


def test_adbc_reads_a_typed_cursor_without_parameters(people: tuple[str, str, str]) -> None:
    """A query without parameters is one ADBC reads through COPY: a typed cursor is written as a
    literal there too; a text cursor and a lookup stay bound."""
    from govdata.ingest.connectors.sql import SqlConnector
    from govdata.ingest.connectors.sql_fast import select_text

    backend, url, name = people
    sql = SqlConnector()
    cfg = sql.parse_config({"url": url, "table": name})

    def query(request: ReadRequest) -> tuple[str, list[Any]]:
        with sql._source(cfg) as source:
            return select_text(sql.plan(cfg, source.table, source.engine.dialect, request), bind=True)

    text_, params = query(ReadRequest(cursor_column="seen", cursor_value=T0))  # less CURSOR_OVERLAP
    assert params == [] and "seen >= TIMESTAMP '2024-01-01 07:59:59.000000'" in text_.replace(
        '"', ""
    ).replace("`", "")
    assert query(ReadRequest(cursor_column="code", cursor_value="00042X"))[1] == ["00042X"]
    assert query(ReadRequest(where_equals=(("id", 42),)))[1] == [42]
    rows = _read(url, name, ReadRequest(cursor_column="seen", cursor_value=T0 + dt.timedelta(minutes=70)))
    assert sorted(rows.column("id").to_pylist()) == list(range(210, N + 1))  # the boundary's rows included


def test_literals_are_formatted_from_typed_values_only() -> None:
    from govdata.ingest.connectors.sql_fast import literal, literal_safe

    assert literal(dt.datetime(2024, 1, 2, 3, 4, 5, 60)) == "TIMESTAMP '2024-01-02 03:04:05.000060'"
    assert literal(dt.date(2024, 1, 2)) == "DATE '2024-01-02'"
    assert literal(-12) == "-12"
    for value in ("1; DROP TABLE t", Decimal("1.5"), True, 1.5, dt.datetime(2024, 1, 1, tzinfo=dt.UTC), None):
        assert not literal_safe(value)


def test_an_incremental_load_with_delete_detection_reflects_once(
    people: tuple[str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govdata.ingest.connectors.sql import SqlConnector
    from govdata.ingest.modes import Spec, load
    from govdata.lake import Lake, TableRef

    _, url, name = people
    lake, ref = Lake(str(tmp_path / "lake")), TableRef("raw", "paths", "people")
    sql = get_connector("sql")
    config = sql.parse_config({"url": url, "table": name})
    first = load(lake, ref, sql, config, Spec(mode="incremental", keys=("id",), cursor_column="seen"))
    calls: list[str] = []
    real = SqlConnector._reflect
    monkeypatch.setattr(SqlConnector, "_reflect", lambda s, e, c: calls.append(c.table) or real(s, e, c))
    spec = Spec(
        mode="incremental", keys=("id",), cursor_column="seen", cursor=first.cursor, delete_detection=True
    )
    again = load(lake, ref, get_connector("sql"), config, spec)  # schema, the keys, the changed rows
    assert calls == [name] and again.written is not None and again.written.deleted == 0
    assert lake.count(ref) == N


def test_reads_of_one_postgresql_load_share_an_early_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ADBC connection opens while the table is reflected; each read takes it and gives it back
    (its transaction ended, so a parallel read can still set its snapshot); the block closes it."""
    from govdata.ingest.connectors import sql_fast

    name = unique_name("early")
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(
            text(f"CREATE TABLE {name} AS SELECT g AS id, 'n' || g AS name FROM generate_series(1, 500) g")  # noqa: S608 - a generated name
        )
        conn.execute(text(f"ALTER TABLE {name} ADD PRIMARY KEY (id)"))
    connects: list[str] = []
    real = sql_fast._adbc_connect
    monkeypatch.setattr(sql_fast, "_adbc_connect", lambda plan: connects.append(plan.label) or real(plan))
    sql = get_connector("sql")
    config = {"url": PG_URL, "table": name, "batch_size": 64}
    try:
        with sql.opened(config):
            early = sql._open[next(iter(sql._open))].early  # type: ignore[attr-defined]
            whole = _ids(pa.Table.from_batches(list(sql.read(config))))
            keys = _ids(pa.Table.from_batches(list(sql.read(config, ReadRequest(columns=("id",))))))
            ranged = _ids(pa.Table.from_batches(list(sql.read({**config, "parallel": 3}))))
            partial = sql.read(config)
            next(partial)
            partial.close()  # a read stopped halfway does not give its connection back
            again = _ids(pa.Table.from_batches(list(sql.read(config))))
        assert sorted(whole) == sorted(keys) == sorted(ranged) == sorted(again) == list(range(1, 501))
        assert connects == [name, name, name, name]  # 3 range readers, then the read after the partial one
        assert early.take() is None  # closed with the block
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {name}"))
        engine.dispose()


def test_an_early_connection_that_fails_leaves_the_read_to_report_it() -> None:
    from govdata.ingest.connectors.sql_fast import EarlyConnection

    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test")  # never connects: nothing kept
    early = EarlyConnection("postgresql://postgres@127.0.0.1:1/test", engine)
    assert early.take() is None
    early.close()
    sql = get_connector("sql")
    config = {"url": "postgresql://postgres@127.0.0.1:1/test", "table": "t"}
    with pytest.raises(TransientError) as info, sql.opened(config):
        sql.schema(config)
    assert info.value.code == "ingest.source_unavailable"
