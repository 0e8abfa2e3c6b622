"""Schema drift on real source tables ALTERed between runs, and rejected rows in quarantine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from govdata.errors import InvalidInput
from govdata.ingest.models import IngestRun, SchemaChange
from govdata.ingest.quarantine import quarantine_rows
from govdata.ingest.runner import run_table
from govdata.lake import Lake, TableRef
from tests.ingest.conftest import PG_URL, unique_name
from tests.ingest.test_modes import KEY, add_table

REF = TableRef("raw", "gaj", "t")


@pytest.fixture
def pg_table(pg_engine: Engine) -> Iterator[tuple[Engine, str]]:
    name = unique_name("drift")
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (id integer PRIMARY KEY, name text, score text)"))
        conn.execute(text(f"INSERT INTO {name} VALUES (1, 'a', '10'), (2, 'b', '20')"))  # noqa: S608
    yield pg_engine, name
    with pg_engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {name}"))


def _changes(session: Session) -> list[tuple[str, str | None, str]]:
    found = session.execute(select(SchemaChange).order_by(SchemaChange.column)).scalars()
    return [(c.kind, c.column, c.action) for c in found]


def _alter(engine: Engine, name: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {name} ADD COLUMN phone text"))
        conn.execute(text(f"ALTER TABLE {name} DROP COLUMN name"))
        conn.execute(text(f"INSERT INTO {name} (id, score, phone) VALUES (3, 'x30', '138')"))  # noqa: S608


def test_evolve_follows_the_source(session: Session, lake: Lake, pg_table: tuple[Engine, str]) -> None:
    engine, name = pg_table
    st = add_table(session, "sql", {"url": PG_URL, "table": name}, mode="upsert", key_columns=["id"])
    run_table(session, lake, None, None, st, secret_key=KEY)
    _alter(engine, name)
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert run.status == "succeeded"
    assert _changes(session) == [("removed", "name", "evolved"), ("added", "phone", "evolved")]
    with lake.connect(t=REF) as con:
        got = con.execute("SELECT id, name, score, phone FROM t ORDER BY id").fetchall()
    # removed column: kept, null for rows written now; added column: present
    assert got == [(1, None, "10", None), (2, None, "20", None), (3, None, "x30", "138")]


def test_freeze_keeps_the_lake_shape_and_rejects_rows_failing_a_cast(
    session: Session, lake: Lake, pg_engine: Engine
) -> None:
    name = unique_name("freeze")
    with pg_engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (id integer PRIMARY KEY, score integer, name text)"))
        conn.execute(text(f"INSERT INTO {name} VALUES (1, 10, 'a'), (2, 20, 'b')"))  # noqa: S608
    try:
        st = add_table(
            session,
            "sql",
            {"url": PG_URL, "table": name},
            mode="upsert",
            key_columns=["id"],
            drift_policy="freeze",
        )
        run_table(session, lake, None, None, st, secret_key=KEY)
        with pg_engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {name} ALTER COLUMN score TYPE text"))
            conn.execute(text(f"ALTER TABLE {name} ADD COLUMN extra text"))
            conn.execute(text(f"INSERT INTO {name} VALUES (3, '30', 'c', 'e'), (4, 'forty', 'd', 'e')"))  # noqa: S608
        run = run_table(session, lake, None, None, st, secret_key=KEY)
        assert (run.status, run.rows_rejected) == ("succeeded", 1)
        assert _changes(session) == [("added", "extra", "frozen"), ("retyped", "score", "frozen")]
        assert [f.name for f in lake.schema(REF)][:3] == ["id", "score", "name"]
        assert "extra" not in lake.schema(REF).names
        with lake.connect(t=REF) as con:
            assert con.execute("SELECT id, score FROM t ORDER BY id").fetchall() == [
                (1, 10),
                (2, 20),
                (3, 30),
            ]
        bad = quarantine_rows(lake, "gaj", "t", run_id=run.id).to_pylist()
        assert len(bad) == 1
        assert (bad[0]["column"], bad[0]["reason_code"]) == ("score", "ingest.reject.cast")
        assert "forty" in bad[0]["raw"] and "score" in bad[0]["reason"]
    finally:
        with pg_engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))


def test_reject_policy_fails_the_run_and_leaves_the_lake(
    session: Session, lake: Lake, pg_table: tuple[Engine, str]
) -> None:
    engine, name = pg_table
    st = add_table(session, "sql", {"url": PG_URL, "table": name}, drift_policy="reject")
    first = run_table(session, lake, None, None, st, secret_key=KEY)
    _alter(engine, name)
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st, secret_key=KEY)
    assert info.value.code == "ingest.drift_rejected"
    assert "added phone" in info.value.params["changes"] and "removed name" in info.value.params["changes"]
    assert {a for _, _, a in _changes(session)} == {"rejected"}
    assert lake.version(REF) == first.lake_version and "phone" not in lake.schema(REF).names


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("id,name\n1,a\n2,b,extra\n3,c\n4\n", encoding="utf-8")
    return path


def test_csv_bad_rows_are_quarantined_and_good_rows_committed(
    session: Session, lake: Lake, tmp_path: Path
) -> None:
    st = add_table(session, "csv", {"path": str(_csv(tmp_path))})
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert (run.status, run.rows_written, run.rows_rejected) == ("succeeded", 2, 2)
    with lake.connect(t=REF) as con:
        assert con.execute("SELECT id, name FROM t ORDER BY id").fetchall() == [("1", "a"), ("3", "c")]
    bad = quarantine_rows(lake, "gaj", "t").to_pylist()
    assert [(b["raw"], b["reason_code"]) for b in bad] == [
        ('"2,b,extra"', "ingest.reject.csv_fields"),
        ('"4"', "ingest.reject.csv_fields"),
    ]
    assert bad[0]["file"].endswith("people.csv") and "3" in bad[0]["reason"]
    assert TableRef("raw", "gaj", "t") in lake.tables() and len(lake.tables()) == 1  # quarantine not listed


def test_reject_run_policy_commits_nothing_but_keeps_the_reasons(
    session: Session, lake: Lake, tmp_path: Path
) -> None:
    st = add_table(session, "csv", {"path": str(_csv(tmp_path))}, reject_policy="reject_run")
    with pytest.raises(InvalidInput) as info:
        run_table(session, lake, None, None, st, secret_key=KEY)
    assert info.value.code == "ingest.rows_rejected" and info.value.params["count"] == 2
    assert not lake.exists(REF)
    run = session.execute(select(IngestRun)).scalar_one()
    assert (run.status, run.rows_rejected) == ("failed", 2)
    assert quarantine_rows(lake, "gaj", "t", run_id=run.id).num_rows == 2


def test_json_records_that_are_not_objects_are_quarantined(
    session: Session, lake: Lake, tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"id": "1"}, 5, {"id": "2"}, ["x"]]', encoding="utf-8")
    st = add_table(session, "json", {"path": str(path)})
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert (run.rows_written, run.rows_rejected) == (2, 2)
    bad = quarantine_rows(lake, "gaj", "t", run_id=run.id).to_pylist()
    assert [(b["source_row"], b["raw"]) for b in bad] == [(2, "5"), (4, '["x"]')]
    with lake.connect(t=REF) as con:
        assert con.execute("SELECT id, _source_row FROM t ORDER BY 2").fetchall() == [("1", 1), ("2", 3)]


def test_excel_rows_with_formula_errors_are_quarantined_with_their_sheet_row(
    session: Session, lake: Lake, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["出生登记表"])
    ws.append(["姓名", "体重"])
    ws.append(["张三", "3.2"])
    ws.append(["李四", "#DIV/0!"])
    ws.append(["王五", "3.5"])
    path = tmp_path / "births.xlsx"
    wb.save(path)
    st = add_table(session, "excel", {"path": str(path)})
    run = run_table(session, lake, None, None, st, secret_key=KEY)
    assert (run.rows_written, run.rows_rejected) == (2, 1)
    bad = quarantine_rows(lake, "gaj", "t", run_id=run.id).to_pylist()
    assert [(b["source_row"], b["column"], b["reason_code"]) for b in bad] == [
        (4, "体重", "ingest.reject.excel_error")
    ]
    assert "李四" in bad[0]["raw"]
    with lake.connect(t=REF) as con:
        assert con.execute("SELECT 姓名, _source_row FROM t ORDER BY 2").fetchall() == [
            ("张三", 3),
            ("王五", 5),
        ]


@pytest.mark.parametrize("server", ["pg_engine", "mariadb_engine"])
def test_a_table_is_reflected_again_only_when_its_columns_change(
    server: str, request: pytest.FixtureRequest
) -> None:
    """While the catalog lists the same columns (name, type, nullability, key) a run reuses the table
    it reflected before; an added, dropped, retyped or re-keyed column is reflected anew."""
    from govdata.ingest.connectors.sql_types import reflect

    engine: Engine = request.getfixturevalue(server)
    name = unique_name("reflect")
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {name} (id integer PRIMARY KEY, name varchar(10), score integer)"))
    try:
        first = reflect(engine, name, None, "src")
        assert reflect(engine, name, None, "src") is first
        changes = [
            f"ALTER TABLE {name} ADD COLUMN phone varchar(20)",
            f"ALTER TABLE {name} DROP COLUMN score",
            f"ALTER TABLE {name} {'ALTER COLUMN name TYPE' if server == 'pg_engine' else 'MODIFY name'} varchar(30)",
            f"ALTER TABLE {name} {'ALTER COLUMN phone SET NOT NULL' if server == 'pg_engine' else 'MODIFY phone varchar(20) NOT NULL'}",
        ]
        pkey = f"DROP CONSTRAINT {name}_pkey" if server == "pg_engine" else "DROP PRIMARY KEY"
        changes.append(f"ALTER TABLE {name} {pkey}, ADD PRIMARY KEY (id, phone)")
        seen = [first]
        for change in changes:
            with engine.begin() as conn:
                conn.execute(text(change))
            table = reflect(engine, name, None, "src")
            assert table is not seen[-1] and reflect(engine, name, None, "src") is table
            seen.append(table)
        last = seen[-1]
        assert [c.name for c in last.columns] == ["id", "name", "phone"]
        assert last.columns["name"].type.length == 30 and not last.columns["phone"].nullable
        assert [c.name for c in last.primary_key.columns] == ["id", "phone"]
        with pytest.raises(InvalidInput):
            reflect(engine, f"{name}_missing", None, "src")
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
