"""CSV and JSON connectors loaded through ``load_to_lake`` and read back with DuckDB."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from govdata.errors import InvalidInput
from govdata.ingest import get_connector, load_to_lake
from govdata.ingest.connectors.csvfile import sniff_delimiter
from govdata.lake import Lake, TableRef

ROWS = [("张三", "11010519491231002X", "0571"), ("李四", "440524188001010014", "　无"), ("王五", "", "/")]


def _csv(rows: list[tuple[str, ...]], delimiter: str = ",") -> str:
    lines = [delimiter.join(("姓名", "身份证号", "区号"))] + [delimiter.join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def _query(lake: Lake, table: str, sql: str) -> list[tuple[Any, ...]]:
    with lake.connect(t=TableRef("raw", "gaj", table)) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize(
    ("encoding", "prefix", "delimiter"),
    [
        ("utf-8", b"", ","),
        ("utf-8", codecs.BOM_UTF8, ","),
        ("gbk", b"", ","),
        ("gbk", b"", "|"),
        ("utf-8", b"", ";"),
        ("utf-16", b"", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(
    tmp_path: Path, lake: Lake, encoding: str, prefix: bytes, delimiter: str
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(prefix + _csv(ROWS, delimiter).encode(encoding))
    result = load_to_lake(lake, "gaj", "people", "csv", {"path": str(path)})
    assert result.rows_written == 3
    rows = _query(
        lake, "people", 'SELECT "姓名", "身份证号", "区号", _source_row FROM t ORDER BY _source_row'
    )
    assert rows == [(*r, i) for i, r in enumerate(ROWS, start=1)]
    schema = lake.schema(TableRef("raw", "gaj", "people"))
    assert schema.names == ["姓名", "身份证号", "区号", "_source_row", "_ingested_at"]
    assert schema.field("区号").type == pa.string()
    assert schema.field("_ingested_at").type == pa.timestamp("us", tz="UTC")


def test_csv_gb18030_only_characters_and_quoted_newlines(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "rare.csv"
    text = '姓名,备注\n𠀀䶮,"第一行\n第二行"\n王,007\n'
    path.write_bytes(text.encode("gb18030"))
    load_to_lake(lake, "gaj", "rare", "csv", {"path": str(path)})
    assert _query(lake, "rare", 'SELECT "姓名", "备注" FROM t ORDER BY _source_row') == [
        ("𠀀䶮", "第一行\n第二行"),
        ("王", "007"),
    ]


def test_csv_config_overrides(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "o.txt"
    path.write_bytes("a;b\n1;2\n".encode("gbk"))
    load_to_lake(lake, "gaj", "o", "csv", {"path": str(path), "encoding": "gbk", "delimiter": ";"})
    assert _query(lake, "o", "SELECT a, b FROM t") == [("1", "2")]


def test_sniffer_prefers_consistent_delimiter() -> None:
    assert sniff_delimiter("a|b|c\n1|2,5|3\n4|5|6\n") == "|"
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert sniff_delimiter("onlyone\nx\n") == ","


def test_csv_truncated_file_is_refused_with_file_and_line(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes(_csv(ROWS * 3).encode("utf-8") + "赵".encode()[:2])  # cut inside a character
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "cut", "csv", {"path": str(path)})
    assert info.value.code == "ingest.bad_encoding"
    assert info.value.params["file"] == str(path)
    assert info.value.params["line"] == 11
    assert not lake.exists(TableRef("raw", "gaj", "cut"))


def test_missing_file_and_bad_config(tmp_path: Path, lake: Lake) -> None:
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "x", "csv", {"path": str(tmp_path / "nope.csv")})
    assert info.value.code == "ingest.file_not_found"
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "x", "csv", {"file": "a.csv"})
    assert info.value.code == "ingest.bad_config"


def test_unknown_connector_lists_known_names() -> None:
    with pytest.raises(InvalidInput) as info:
        get_connector("ftp")
    assert info.value.code == "ingest.unknown_connector"
    known = info.value.params["known"].split(", ")
    assert {"csv", "excel", "json", "sql", "parquet", "http_api", "nats", "push"} <= set(known)
    assert known == sorted(known)


def test_json_array_with_mixed_keys_and_nested_values(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "r.json"
    records = [
        {"id": "0012", "name": "张三", "tags": ["a", "b"]},
        {"id": "0013", "age": 41, "ok": True},
        {"name": "王五", "addr": {"city": "杭州"}, "age": None},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    load_to_lake(lake, "gaj", "r", "json", {"path": str(path)})
    rows = _query(lake, "r", "SELECT id, name, tags, age, ok, addr, _source_row FROM t ORDER BY _source_row")
    assert rows == [
        ("0012", "张三", '["a", "b"]', None, None, None, 1),
        ("0013", None, None, "41", "true", None, 2),
        (None, "王五", None, None, None, '{"city": "杭州"}', 3),
    ]


def test_json_lines(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"a": 1}\n\n{"b": "x"}\n', encoding="utf-8")
    load_to_lake(lake, "gaj", "rl", "json", {"path": str(path)})
    assert _query(lake, "rl", "SELECT a, b FROM t ORDER BY _source_row") == [("1", None), (None, "x")]


@pytest.mark.parametrize(
    ("content", "code", "params"),
    [
        ('[{"a": 1}, 2, {"b": 3}]', "ingest.json_not_object", {"index": 1}),
        ('{"a": 1}\n[1]\n', "ingest.json_not_object", {"index": 1}),
        ('{\n  "a": 1\n}\n', "ingest.json_not_array", {}),
        ('"just a string"', "ingest.json_not_array", {}),
        ('[{"a": 1},\n {"b": }]', "ingest.json_syntax", {"line": 2}),
    ],
)
def test_json_refusals_name_file_and_record(
    tmp_path: Path, lake: Lake, content: str, code: str, params: dict[str, int]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "gaj", "bad", "json", {"path": str(path)})
    assert info.value.code == code
    assert info.value.params["file"] == str(path)
    for key, value in params.items():
        assert info.value.params[key] == value
