"""The full-load runner: run records, source status, secrets, plug-in connectors and kill-safety."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pluggy
import pyarrow as pa
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.errors import GovdataError, InvalidInput
from govdata.ingest import (
    CONNECTORS,
    Connector,
    ConnectorConfig,
    IngestRun,
    ReadRequest,
    Source,
    SourceTable,
    decrypt_secret,
    encrypt_secret,
    hooks,
    load_to_lake,
    register_from,
    run_full_load,
    source_config,
    store_config,
)
from govdata.lake import Lake, TableRef

KEY = "test-secret-0123456789abcdef0123456789"


class FlakyConfig(ConnectorConfig):
    rows: int = 3
    fail_after_first: bool = True


class FlakyConnector(Connector):
    """Yields one good batch, then fails as a dropped connection or a crashed parser would."""

    name = "test_flaky"
    label = "ingest.connector.csv"
    Config = FlakyConfig

    def schema(self, config: Any) -> pa.Schema:
        return pa.schema([pa.field("code", pa.string())])

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        schema = self.schema(config)
        yield pa.RecordBatch.from_pydict({"code": [f"{i:04d}" for i in range(config.rows)]}, schema=schema)
        if config.fail_after_first:
            raise RuntimeError("connection reset by peer")
        yield pa.RecordBatch.from_pydict({"code": ["9999"]}, schema=schema)


class _Plugin:
    @hooks.hookimpl
    def register_connectors(self) -> list[type[Connector]]:
        return [FlakyConnector]


@pytest.fixture(autouse=True)
def flaky_registered() -> Iterator[None]:
    pm = pluggy.PluginManager("govdata")
    pm.add_hookspecs(hooks)
    pm.register(_Plugin())
    register_from(pm)
    yield
    CONNECTORS.pop("test_flaky", None)


def test_mid_stream_failure_keeps_previous_version(lake: Lake) -> None:
    ref = TableRef("raw", "gaj", "codes")
    first = load_to_lake(lake, "gaj", "codes", "test_flaky", {"rows": 2, "fail_after_first": False})
    assert first.rows_written == 3
    with pytest.raises(GovdataError) as info:
        load_to_lake(lake, "gaj", "codes", "test_flaky", {"rows": 5})
    assert info.value.code == "ingest.failed"
    assert "connection reset" in info.value.params["detail"]
    assert lake.version(ref) == first.version
    with lake.connect(t=ref) as con:
        assert con.execute("SELECT code, _source_row FROM t ORDER BY 2").fetchall() == [
            ("0000", 1),
            ("0001", 2),
            ("9999", 3),
        ]


def test_csv_parse_error_mid_file_keeps_previous_version(
    tmp_path: Path, lake: Lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govdata.ingest.connectors import csvfile

    monkeypatch.setattr(csvfile, "_BLOCK_SIZE", 64)
    path = tmp_path / "a.csv"
    path.write_text("a,b\n" + "1,2\n" * 40, encoding="utf-8")
    first = load_to_lake(lake, "gaj", "a", "csv", {"path": str(path)})
    path.write_text("a,b\n" + "1,2\n" * 40 + "1,2,3\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "a", "csv", {"path": str(path)})
    assert info.value.code == "ingest.csv_parse"
    assert lake.version(TableRef("raw", "gaj", "a")) == first.version
    assert lake.count(TableRef("raw", "gaj", "a")) == 40


def _source(session: Session, connector: str, config: dict[str, Any]) -> SourceTable:
    from govdata.security.models import Department, Region

    session.add(Region(code="330100", name="示例市", level="city"))
    session.add(
        Department(id=7, code="gaj", name="示例市公安局", uscc="91350100M000100Y43", region_code="330100")
    )
    session.flush()
    source = Source(department_id=7, name="codes", connector=connector)
    store_config(source, config, KEY)
    table = SourceTable(source=source, source_table="codes", lake_table="codes")
    session.add_all([source, table])
    session.commit()
    return table


def test_run_full_load_records_success(session: Session, lake: Lake) -> None:
    table = _source(session, "test_flaky", {"rows": 4, "fail_after_first": False})
    run = run_full_load(session, lake, table, actor="gaj_officer", secret_key=KEY)
    assert (run.status, run.rows_read, run.rows_written, run.lake_version) == ("succeeded", 5, 5, 0)
    assert run.triggered_by == "gaj_officer"
    assert run.bytes > 0 and run.duration_ms is not None and run.finished_at is not None
    assert table.source.status == "ok" and table.last_rows == 5
    assert lake.count(TableRef("raw", "gaj", "codes")) == 5


def test_run_full_load_records_failure(session: Session, lake: Lake) -> None:
    table = _source(session, "test_flaky", {"rows": 4})
    with pytest.raises(GovdataError) as info:
        run_full_load(session, lake, table, secret_key=KEY)
    assert info.value.code == "ingest.failed"
    run = session.execute(select(IngestRun)).scalar_one()
    assert (run.status, run.error_code) == ("failed", "ingest.failed")
    assert table.source.status == "error" and "connection reset" in (table.source.last_error or "")
    assert not lake.exists(TableRef("raw", "gaj", "codes"))


def test_sql_password_stored_encrypted(session: Session) -> None:
    table = _source(session, "sql", {"url": "postgresql://u:s3cret@db/x", "table": "t"})
    source = table.source
    assert "s3cret" not in str(source.config) and source.secret and "s3cret" not in source.secret
    assert source_config(source, KEY)["url"] == "postgresql://u:s3cret@db/x"
    with pytest.raises(InvalidInput) as info:
        source_config(source, "another-key")
    assert info.value.code == "ingest.secret_undecryptable"


def test_secret_round_trip() -> None:
    token = encrypt_secret("密码 p@ss", KEY)
    assert decrypt_secret(token, KEY) == "密码 p@ss"
