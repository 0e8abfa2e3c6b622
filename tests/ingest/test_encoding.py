"""Encoding detection (STANDARDS.md §12) on real bytes, and a round-trip property."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.ingest.encoding import detect_encoding

TEXT = "姓名,身份证号\n张三,11010519491231002X\n"


def _write(tmp_path: Path, data: bytes, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (("名字\n" + "𠀀䶮\n").encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (b"\x84\x31\x95\x33" + TEXT.encode("gb18030"), "gb18030"),
        (b"a,b\n1,2\n", "utf-8"),
    ],
)
def test_detects(tmp_path: Path, data: bytes, expected: str) -> None:
    path = _write(tmp_path, data)
    assert detect_encoding(path) == expected
    assert data.decode(expected).lstrip("\ufeff") == data.decode(expected).lstrip("\ufeff")


def test_truncated_utf8_names_file_line_and_offset(tmp_path: Path) -> None:
    body = ("姓名,地址\n" + "张三,浙江省杭州市西湖区\n" * 3).encode("utf-8")
    data = body + "李四,上海".encode()[:-1]  # cut inside the last character
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as info:
        detect_encoding(path)
    err = info.value
    assert err.code == "ingest.bad_encoding"
    assert err.params["file"] == str(path)
    assert err.params["line"] == 5
    assert err.params["offset"] == len(data) - 2
    assert "line 5" in err.message("en")


def test_broken_byte_in_utf8_is_not_read_as_gb18030(tmp_path: Path) -> None:
    data = ("名称,说明\n" + "数据资源管理局,一体化平台\n" * 5).encode("utf-8")
    data = data[:29] + b"\xff" + data[30:]  # byte 29 starts the 6th character of line 2
    path = _write(tmp_path, data)
    with pytest.raises(InvalidInput) as info:
        detect_encoding(path)
    assert info.value.params["offset"] == 29
    assert info.value.params["line"] == 2


def test_undecodable_in_every_encoding(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a,b\n1,\x80\x80\xff\n")
    with pytest.raises(InvalidInput) as info:
        detect_encoding(path)
    assert info.value.params["line"] == 2
    assert info.value.params["encoding"] == "gb18030"


cjk = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
    | st.sampled_from(" ,\n0123456789abcX"),
    min_size=8,
    max_size=200,
).filter(lambda s: sum(c >= "\u4e00" for c in s) >= 8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=cjk, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"]))
def test_round_trip(tmp_path: Path, text: str, encoding: str) -> None:
    data = text.encode(encoding)
    path = _write(tmp_path, data, f"rt-{encoding}.txt")
    found = detect_encoding(path)
    assert data.decode(found).lstrip("\ufeff") == text
