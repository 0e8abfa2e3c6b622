"""Load modes through ``run_table``: incremental boundary, upsert, delete detection, logical, retries."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm import Session

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors import CONNECTORS, Connector, ConnectorConfig, ReadRequest, register_connector
from govdata.ingest.models import IngestRun, SchemaChange, Source, SourceTable
from govdata.ingest.runner import query_in_place, run_table, store_config
from govdata.lake import Lake, TableRef

KEY = "test-secret-0123456789abcdef0123456789"


def add_table(session: Session, connector: str, config: dict[str, Any], **table: Any) -> SourceTable:
    """A source of department ``gaj`` with one table ``t`` configured by ``table``."""
    from govdata.security.models import Department, Region

    if session.get(Department, 7) is None:
        session.add(Region(code="330100", name="示例市", level="city"))
        session.add(
            Department(id=7, code="gaj", name="示例市公安局", uscc="91350100M000100Y43", region_code="330100")
        )
        session.flush()
    source = Source(
        department_id=7, name=f"src{len(session.execute(select(Source)).all())}", connector=connector
    )
    store_config(source, config, KEY)
    st = SourceTable(source=source, source_table="t", lake_table=table.pop("lake_table", "t"), **table)
    session.add_all([source, st])
    session.commit()
    return st


def rows(lake: Lake, name: str = "t", cols: str = "id, name") -> list[tuple[Any, ...]]:
    with lake.connect(t=TableRef("raw", "gaj", name)) as con:
        return con.execute(f"SELECT {cols} FROM t ORDER BY id").fetchall()  # noqa: S608


@pytest.fixture
def sqlite_src(tmp_path: Path) -> Iterator[tuple[Engine, dict[str, Any]]]:
    url = f"sqlite:///{tmp_path / 'src.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, version INTEGER)"))
        conn.execute(text("INSERT INTO people VALUES (1, 'a', 1), (2, 'b', 1), (3, 'c', 2)"))
    yield engine, {"url": url, "table": "people"}
    engine.dispose()


def test_incremental_boundary_neither_loses_nor_duplicates(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    engine, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="incremental", key_columns=["id"], cursor_column="version")
    first = run_table(session, lake, None, "gaj_officer", st, secret_key=KEY)
    assert (first.status, first.rows_written, first.cursor_value) == ("succeeded", 3, "2")
    assert st.state["cursor"] == "2"
    with engine.begin() as conn:  # a late row with the SAME cursor value as the last one, and an update
        conn.execute(text("INSERT INTO people VALUES (4, 'd', 2)"))
        conn.execute(text("UPDATE people SET name = 'A', version = 3 WHERE id = 1"))
    second = run_table(session, lake, None, "gaj_officer", st, secret_key=KEY)
    assert second.rows_read == 3  # ids 1, 3 and 4: cursor >= 2 (inclusive); 2 is not read again
    assert rows(lake) == [(1, "A"), (2, "b"), (3, "c"), (4, "d")]
    assert second.cursor_value == "3" and second.lake_version == first.lake_version + 1
    third = run_table(session, lake, None, "gaj_officer", st, secret_key=KEY)
    assert third.rows_read == 1 and rows(lake) == [(1, "A"), (2, "b"), (3, "c"), (4, "d")]


def test_incremental_delete_detection_in_the_same_commit(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    engine, cfg = sqlite_src
    st = add_table(
        session,
        "sql",
        cfg,
        mode="incremental",
        key_columns=["id"],
        cursor_column="version",
        delete_detection=True,
    )
    first = run_table(session, lake, None, None, st, secret_key=KEY)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM people WHERE id = 2"))
        conn.execute(text("INSERT INTO people VALUES (5, 'e', 4)"))
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert (run.rows_deleted, run.lake_version) == (1, first.lake_version + 1)
    assert rows(lake) == [(1, "a"), (3, "c"), (5, "e")]


def test_upsert_merges_by_key_and_deletes_missing(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    engine, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="upsert", key_columns=["id"], delete_detection=True)
    run_table(session, lake, None, None, st, secret_key=KEY)
    with engine.begin() as conn:
        conn.execute(text("UPDATE people SET name = 'B' WHERE id = 2"))
        conn.execute(text("DELETE FROM people WHERE id = 3"))
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert (run.rows_written, run.rows_deleted) == (2, 1)  # 1 and 2 matched and updated
    assert rows(lake) == [(1, "a"), (2, "B")]
    assert st.last_rows == 2


def test_full_flag_forces_a_snapshot_and_resets_the_cursor(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    engine, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="incremental", key_columns=["id"], cursor_column="version")
    run_table(session, lake, None, None, st, secret_key=KEY)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM people WHERE id = 3"))
        conn.execute(text("UPDATE people SET version = 0 WHERE id = 1"))
    run = run_table(session, lake, None, None, st, secret_key=KEY, full=True)
    assert run.mode == "full" and rows(lake) == [(1, "a"), (2, "b")]
    assert st.state["cursor"] == "1"


def test_modes_need_keys_and_cursor(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    _, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="incremental", key_columns=["id"])
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st, secret_key=KEY)
    assert info.value.code == "ingest.mode_needs_cursor"
    st2 = add_table(session, "sql", cfg, mode="upsert", lake_table="t2")
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st2, secret_key=KEY)
    assert info.value.code == "ingest.mode_needs_keys"
    assert session.execute(select(IngestRun.status)).scalars().all() == ["failed", "failed"]


def test_vanished_table_is_recorded_as_dropped(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    engine, cfg = sqlite_src
    st = add_table(session, "sql", cfg)
    first = run_table(session, lake, None, None, st, secret_key=KEY)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE people"))
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st, secret_key=KEY)
    assert info.value.code == "ingest.sql_table_not_found"
    change = session.execute(select(SchemaChange)).scalar_one()
    assert (change.kind, change.column) == ("table_dropped", "t")
    assert st.source.status == "error"
    assert lake.version(TableRef("raw", "gaj", "t")) == first.lake_version


class BusyConfig(ConnectorConfig):
    fail_times: int = 2


class BusyConnector(Connector):
    """A source that is busy for the first ``fail_times`` reads (counted per class)."""

    name = "test_busy"
    label = "ingest.connector.csv"
    Config = BusyConfig
    calls = 0

    def schema(self, config: Any) -> pa.Schema:
        return pa.schema([pa.field("id", pa.int64())])

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        type(self).calls += 1
        if type(self).calls <= config.fail_times:
            raise TransientError("ingest.source_unavailable", source="busy")
        yield pa.RecordBatch.from_pydict({"id": [1, 2]}, schema=self.schema(config))


@pytest.fixture
def busy() -> Iterator[type[BusyConnector]]:
    BusyConnector.calls = 0
    register_connector(BusyConnector)
    yield BusyConnector
    CONNECTORS.pop("test_busy", None)


def test_transient_errors_are_retried_with_backoff(session: Session, lake: Lake, busy: type) -> None:
    st = add_table(session, "test_busy", {"fail_times": 2}, max_retries=3)
    waits: list[float] = []
    run = run_table(session, lake, None, None, st, secret_key=KEY, sleep=waits.append, backoff=0.1)
    assert (run.status, run.attempt) == ("succeeded", 3)
    assert waits == [0.1, 0.2]
    attempts = session.execute(select(IngestRun.attempt, IngestRun.status).order_by(IngestRun.id)).all()
    assert attempts == [(1, "failed"), (2, "failed"), (3, "succeeded")]


def test_retries_give_up_after_max_retries(session: Session, lake: Lake, busy: type) -> None:
    st = add_table(session, "test_busy", {"fail_times": 5}, max_retries=1)
    waits: list[float] = []
    with pytest.raises(TransientError):
        run_table(session, lake, None, None, st, secret_key=KEY, sleep=waits.append)
    assert len(waits) == 1 and st.source.status == "error"
    assert session.execute(select(IngestRun.attempt)).scalars().all() == [1, 2]


def test_logical_copies_nothing_and_queries_in_place(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    _, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="logical")
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert run.status == "succeeded" and run.lake_version is None
    assert not lake.exists(TableRef("raw", "gaj", "t"))
    assert st.state["schema"][0] == ["id", "int64"]
    from govdata.ingest.connectors.sql import SqlConnector

    if not SqlConnector.capabilities.lookup:
        with pytest.raises(InvalidInput) as info:
            query_in_place(session, st, KEY, {"id": 2})
        assert info.value.code == "ingest.lookup_unsupported"
        return
    calls: list[str] = []
    real = SqlConnector._reflect
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SqlConnector, "_reflect", lambda s, e, c: calls.append(c.table) or real(s, e, c))
        found = query_in_place(session, st, KEY, {"id": 2}, columns=["name"])
    assert found.to_pylist() == [{"name": "b"}]
    assert len(calls) == 1  # the lookup's columns are checked on the reflection its read uses


@pytest.mark.parametrize("column_type", ["timestamptz", "timestamp", "bigint"])
def test_incremental_on_postgresql_cursor_types(
    session: Session, lake: Lake, pg_engine: Engine, column_type: str
) -> None:
    from tests.ingest.conftest import PG_URL, unique_name

    name = unique_name("incr")
    value = {"timestamptz": "'2024-05-01 10:00:00+08'", "timestamp": "'2024-05-01 10:00:00'", "bigint": "100"}
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (id integer PRIMARY KEY, name text, changed {column_type})"))
        conn.execute(text(f"INSERT INTO {name} VALUES (1, 'a', {value[column_type]}), (2, 'b', NULL)"))  # noqa: S608
    try:
        st = add_table(
            session, "sql", {"url": PG_URL, "table": name}, mode="incremental", key_columns=["id"],
            cursor_column="changed",
        )  # fmt: skip
        first = run_table(session, lake, None, None, st, secret_key=KEY)
        assert first.rows_written == 2 and first.cursor_value
        with pg_engine.begin() as conn:
            conn.execute(text(f"INSERT INTO {name} VALUES (3, 'c', {value[column_type]})"))  # noqa: S608
        second = run_table(session, lake, None, None, st, secret_key=KEY)
        assert (second.rows_read, second.cursor_value) == (2, first.cursor_value)
        assert rows(lake) == [(1, "a"), (2, "b"), (3, "c")]
    finally:
        with pg_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))


def test_unknown_mode_is_a_recorded_failure_and_progress_is_reported(
    session: Session, lake: Lake, sqlite_src: tuple[Engine, dict[str, Any]]
) -> None:
    _, cfg = sqlite_src
    st = add_table(session, "sql", cfg, mode="sometimes")
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st, secret_key=KEY)
    assert info.value.code == "ingest.bad_mode"
    assert session.execute(select(IngestRun.status, IngestRun.error_code)).one() == (
        "failed",
        "ingest.bad_mode",
    )
    seen: list[int] = []
    run = run_table(session, lake, None, None, st, secret_key=KEY, full=True, progress=seen.append)
    assert run.status == "succeeded" and seen and seen[-1] == 3
