"""The ``http_api`` connector against a real local HTTP server (``http.server`` on a free port)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pytest

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors.base import ReadRequest
from govdata.ingest.connectors.http_api import HttpApiConnector
from govdata.lake import Lake, TableRef

TOKEN = "s3cret-token"
PEOPLE = [{"id": i, "name": f"居民{i}", "tags": ["a"] if i == 7 else None} for i in range(1, 12)]


class Api(BaseHTTPRequestHandler):
    """Paged views of ``PEOPLE``; ``/fail500`` breaks on page 3, ``/broken`` sends bad JSON on page 2."""

    calls: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        Api.calls.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._send(401, {"error": "unauthorized"})
        if url.path == "/page" or url.path.startswith(("/fail500", "/broken")):
            page, size = int(q.get("page", 1)), int(q.get("size", 4))
            if url.path == "/fail500" and page == 3:
                return self._send(500, {"error": "boom"})
            if url.path == "/broken" and page == 2:
                return self._send(200, None, raw=b'{"data": {"items": [')
            items = PEOPLE[(page - 1) * size : page * size]
            return self._send(200, {"code": 0, "data": {"items": items, "total": len(PEOPLE)}})
        if url.path == "/offset":
            offset, limit = int(q["offset"]), int(q["limit"])
            return self._send(200, PEOPLE[offset : offset + limit])
        if url.path == "/cursor":
            start = int(q.get("cursor", 0))
            nxt = start + 5 if start + 5 < len(PEOPLE) else None
            return self._send(200, {"records": PEOPLE[start : start + 5], "next_cursor": nxt})
        if url.path == "/next":
            start = int(q.get("from", 0))
            body: dict[str, Any] = {"items": PEOPLE[start : start + 6]}
            if start + 6 < len(PEOPLE):
                body["links"] = {"next": f"/next?from={start + 6}"}
            return self._send(200, body)
        if url.path == "/since":
            since = int(q.get("since", 0))
            return self._send(200, [p for p in PEOPLE if p["id"] >= since])
        if url.path == "/foreign":
            return self._send(200, {"items": PEOPLE[:1], "next": "http://evil.example/steal"})
        return self._send(404, {"error": "no"})


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _cfg(base: str, path: str, **extra: Any) -> dict[str, Any]:
    return {"url": base + path, "auth": "bearer", "token": TOKEN, "backoff_seconds": 0.01, **extra}


def _ids(
    connector: HttpApiConnector, config: dict[str, Any], request: ReadRequest | None = None
) -> list[str]:
    table = pa.Table.from_batches(list(connector.read(config, request)))
    return table.column("id").to_pylist() if table.num_rows else []


ALL = [str(i) for i in range(1, 12)]


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/page", {"pagination": "page", "page_size": 4, "records_path": "data.items"}),
        ("/offset", {"pagination": "offset", "page_size": 3}),
        ("/cursor", {"pagination": "cursor", "records_path": "records"}),
        ("/next", {"pagination": "next", "records_path": "items", "next_path": "links.next"}),
    ],
)
def test_every_pagination_style_reads_every_record(api: str, path: str, extra: dict[str, Any]) -> None:
    connector = HttpApiConnector()
    config = _cfg(api, path, **extra)
    schema = connector.schema(config)
    assert schema.names == ["id", "name", "tags"]
    batches = list(connector.read(config))
    assert all(b.schema.equals(schema) for b in batches)
    table = pa.Table.from_batches(batches)
    assert table.column("id").to_pylist() == ALL
    assert table.column("name").to_pylist()[0] == "居民1" and table.column("tags").to_pylist()[6] == '["a"]'


def test_auth_header_is_required_and_token_is_the_secret(api: str) -> None:
    connector = HttpApiConnector()
    with pytest.raises(InvalidInput) as err:
        list(connector.read({"url": api + "/page", "records_path": "data.items"}))
    assert err.value.code == "ingest.http_auth" and err.value.params["status"] == 401
    public, secret = connector.split_secret(_cfg(api, "/page"))
    assert secret == TOKEN and "token" not in public
    assert connector.join_secret(public, secret)["token"] == TOKEN


def test_http_500_on_page_3_fails_the_run_and_leaves_the_lake_unchanged(api: str, tmp_path: Any) -> None:
    from govdata.ingest.runner import load_to_lake

    lake = Lake(str(tmp_path / "lake"))
    ref = TableRef("raw", "gaj", "people")
    good = _cfg(api, "/page", pagination="page", page_size=4, records_path="data.items", retries=1)
    load_to_lake(lake, "gaj", "people", "http_api", good)
    version = lake.version(ref)
    Api.calls.clear()
    with pytest.raises(TransientError) as err:
        load_to_lake(lake, "gaj", "people", "http_api", {**good, "url": api + "/fail500"})
    assert err.value.code == "ingest.http_unavailable" and err.value.params["page"] == 3
    assert "boom" not in err.value.message("en") and err.value.params["detail"] == "HTTP 500"
    assert sum("page=3" in c for c in Api.calls) == 2  # one retry, then give up
    assert lake.version(ref) == version and lake.count(ref) == 11


def test_malformed_page_names_the_page(api: str) -> None:
    with pytest.raises(InvalidInput) as err:
        list(
            HttpApiConnector().read(
                _cfg(api, "/broken", pagination="page", page_size=4, records_path="data.items")
            )
        )
    assert err.value.code == "ingest.http_bad_json" and err.value.params["page"] == 2


def test_records_path_must_find_objects(api: str) -> None:
    with pytest.raises(InvalidInput) as err:
        list(HttpApiConnector().read(_cfg(api, "/page", records_path="data.nothing")))
    assert err.value.code == "ingest.http_no_records"
    with pytest.raises(InvalidInput) as err:
        list(HttpApiConnector().read(_cfg(api, "/page", records_path="data.items.0.tags")))
    assert err.value.code in ("ingest.http_no_records", "ingest.http_not_object")


def test_next_link_to_another_host_is_refused(api: str) -> None:
    with pytest.raises(InvalidInput) as err:
        list(HttpApiConnector().read(_cfg(api, "/foreign", pagination="next", records_path="items")))
    assert err.value.code == "ingest.http_foreign_link"


def test_incremental_read_sends_the_cursor_and_fixed_fields_stream(api: str) -> None:
    connector = HttpApiConnector()
    request = ReadRequest(cursor_column="id", cursor_value=9)
    config = _cfg(api, "/since", since_param="since")
    declared = connector.schema(config)  # the runner asks first, then reads the narrowed rows
    batches = list(connector.read(config, request))
    assert all(b.schema.equals(declared) for b in batches)
    assert pa.Table.from_batches(batches).column("id").to_pylist() == ["9", "10", "11"]
    with pytest.raises(InvalidInput) as err:
        _ids(HttpApiConnector(), _cfg(api, "/since"), request)
    assert err.value.code == "ingest.http_no_since"
    fixed = _cfg(api, "/offset", pagination="offset", page_size=5, fields=["id", "missing"])
    assert HttpApiConnector().schema(fixed).names == ["id", "missing"]
    table = pa.Table.from_batches(list(HttpApiConnector().read(fixed, ReadRequest(limit=7))))
    assert table.num_rows == 7 and table.column("missing").null_count == 7


def test_unreachable_api_is_transient() -> None:
    with pytest.raises(TransientError) as err:
        list(HttpApiConnector().read({"url": "http://127.0.0.1:1/x", "retries": 0, "timeout_seconds": 1}))
    assert err.value.code == "ingest.http_unavailable"


def test_run_fails_with_a_clear_reason_and_marks_the_source(api: str, session: Any, lake: Lake) -> None:
    from govdata.ingest.models import Source, SourceStatus, SourceTable
    from govdata.ingest.runner import run_table, store_config
    from govdata.security.models import Department, Region

    key = "k" * 32
    session.add(Region(code="330100", name="示例市", level="city"))
    session.add(
        Department(id=7, code="gaj", name="示例市公安局", uscc="91350100M000100Y43", region_code="330100")
    )
    session.flush()
    source = Source(department_id=7, name="people_api", connector="http_api")
    good = _cfg(api, "/page", pagination="page", page_size=4, records_path="data.items", retries=0)
    store_config(source, good, key)
    assert TOKEN not in json.dumps(source.config) and source.secret and TOKEN not in source.secret
    table = SourceTable(source=source, source_table="people", lake_table="people", max_retries=1)
    session.add_all([source, table])
    session.commit()
    assert run_table(session, lake, None, "tester", table, secret_key=key).rows_written == 11
    ref = TableRef("raw", "gaj", "people")
    version = lake.version(ref)

    store_config(source, {**good, "url": api + "/fail500"}, key)
    session.commit()
    with pytest.raises(TransientError):
        run_table(session, lake, None, "tester", table, secret_key=key, sleep=lambda _: None)
    assert source.status == SourceStatus.error and "HTTP 500" in (source.last_error or "")
    assert [r.status for r in table.runs] == ["succeeded", "failed", "failed"]  # one retry
    assert table.runs[-1].error_code == "ingest.http_unavailable"
    assert lake.version(ref) == version and lake.count(ref) == 11
