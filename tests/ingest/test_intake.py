"""File intake: uploads, the watched drop folder and URL fetches (a real local HTTP server)."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.files import FileTooLarge, fetch_url, scan_drop_folder, store_upload

GBK_CSV = "编号,名称\n1,户籍科\n".encode("gbk")


@pytest.mark.parametrize(
    "name", ["../evil.csv", "a/b.csv", "a\\b.csv", ".hidden", "..", "", "x\x00.csv", "C:evil"]
)
def test_uploads_refuse_path_tricks(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput) as err:
        store_upload(tmp_path, "gaj", "reports", name, b"x")
    assert err.value.code == "ingest.bad_filename"
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_upload_is_stored_hashed_and_size_limited(tmp_path: Path) -> None:
    stored = store_upload(tmp_path, "gaj", "户籍", "人口 2024.csv", GBK_CSV)
    assert stored.path == tmp_path / "intake" / "gaj" / "户籍" / "人口 2024.csv"
    assert stored.path.read_bytes() == GBK_CSV and stored.sha256 == hashlib.sha256(GBK_CSV).hexdigest()
    assert not stored.unchanged
    assert store_upload(tmp_path, "gaj", "户籍", "人口 2024.csv", io.BytesIO(GBK_CSV)).unchanged
    with pytest.raises(FileTooLarge) as err:
        store_upload(tmp_path, "gaj", "户籍", "人口 2024.csv", b"y" * 2000, max_bytes=1000)
    assert err.value.http_status == 413 and err.value.code == "ingest.file_too_large"
    assert stored.path.read_bytes() == GBK_CSV  # the earlier file is intact
    assert [p.name for p in stored.path.parent.iterdir()] == ["人口 2024.csv"]  # no temp file left


def test_drop_folder_reports_new_and_changed_files_once(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    (drop / "sub").mkdir(parents=True)
    (drop / "a.csv").write_bytes(b"1")
    (drop / "sub" / "b.xlsx").write_bytes(b"2")
    (drop / "~$b.xlsx").write_bytes(b"lock")
    (drop / "c.csv.part").write_bytes(b"copying")
    first = scan_drop_folder(drop, {"cursor": 5}, settle_seconds=0)
    assert [f.name for f in first.changed] == ["a.csv", "sub/b.xlsx"] and first.state["cursor"] == 5
    again = scan_drop_folder(drop, first.state, settle_seconds=0)
    assert again.changed == [] and again.removed == []

    stat = (drop / "a.csv").stat()
    os.utime(drop / "a.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, same bytes
    assert scan_drop_folder(drop, again.state, settle_seconds=0).changed == []
    (drop / "a.csv").write_bytes(b"11")
    (drop / "sub" / "b.xlsx").unlink()
    third = scan_drop_folder(drop, again.state, settle_seconds=0)
    assert [f.name for f in third.changed] == ["a.csv"] and third.removed == ["sub/b.xlsx"]

    (drop / "fresh.csv").write_bytes(b"3")
    assert [f.name for f in scan_drop_folder(drop, third.state, settle_seconds=60).changed] == []
    with pytest.raises(InvalidInput):
        scan_drop_folder(tmp_path / "missing")


class Files(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/down"):
            self.send_response(503)
            self.end_headers()
            return
        if self.path.startswith("/missing"):
            self.send_response(404)
            self.end_headers()
            return
        body = GBK_CSV * (1000 if self.path.startswith("/big") else 1)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith("/export"):
            self.send_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote('部门报表.csv')}")
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Files)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fetch_url_names_and_stores_the_file(tmp_path: Path, server: str) -> None:
    got = fetch_url(f"{server}/export?id=1", tmp_path, "gaj", "reports")
    assert got.filename == "部门报表.csv" and got.path.read_bytes() == GBK_CSV
    plain = fetch_url(f"{server}/files/people.csv", tmp_path, "gaj", "reports")
    assert plain.filename == "people.csv" and plain.size == len(GBK_CSV)
    with pytest.raises(FileTooLarge):
        fetch_url(f"{server}/big.csv", tmp_path, "gaj", "reports", max_bytes=1000)
    with pytest.raises(TransientError) as down:
        fetch_url(f"{server}/down.csv", tmp_path, "gaj", "reports")
    assert down.value.code == "ingest.fetch_unavailable"
    with pytest.raises(InvalidInput) as missing:
        fetch_url(f"{server}/missing.csv", tmp_path, "gaj", "reports")
    assert missing.value.code == "ingest.fetch_status" and missing.value.params["status"] == 404
    with pytest.raises(InvalidInput) as bad:
        fetch_url("file:///etc/passwd", tmp_path, "gaj", "reports")
    assert bad.value.code == "ingest.fetch_bad_url"
    with pytest.raises(InvalidInput) as trick:
        fetch_url(f"{server}/files/..", tmp_path, "gaj", "reports")
    assert trick.value.code == "ingest.bad_filename"
    assert sorted(p.name for p in (tmp_path / "intake" / "gaj" / "reports").iterdir()) == [
        "people.csv",
        "部门报表.csv",
    ]
