"""Masking conventions of STANDARDS.md §8, one per kind of field."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.security.masking import MASKERS, get_masker, mask_table


def masked(name: str, values: list[object], type_: pa.DataType | None = None) -> list[object]:
    return get_masker(name).mask(pa.array(values, type_ or pa.string())).to_pylist()


def test_standards_examples() -> None:
    assert masked("name", ["张三丰"]) == ["张**"]
    assert masked("id_number", ["11010519491231002X"]) == ["110105********002X"]
    assert masked("mobile", ["13812345678"]) == ["138****5678"]
    assert masked("bank_card", ["6217000000000000004"]) == ["621700*********0004"]
    assert masked("address", ["北京市海淀区中关村大街1号"]) == ["北京市海淀区****"]
    assert masked("email", ["zhang@example.com"]) == ["z***@example.com"]


def test_names() -> None:
    got = masked(
        "name", ["张三", "欧阳娜娜", "司马光", "诸葛亮", "上官婉儿", "王", " 李四 ", "欧阳", None, ""]
    )
    assert got == ["张*", "欧阳**", "司马*", "诸葛*", "上官**", "王", "李*", "欧阳", None, ""]


def test_id_numbers_including_15_digit() -> None:
    assert masked("id_number", ["110105491231002", "440524188001010014", "123", None]) == [
        "110105*****1002",
        "440524********0014",
        "***",
        None,
    ]


def test_mobile_and_card_normalise_first() -> None:
    assert masked("mobile", ["+8613812345678", "138 1234-5678", "123", None]) == [
        "138****5678",
        "138****5678",
        "***",
        None,
    ]
    assert masked("bank_card", ["6217 0000 0000 0000 004"]) == ["621700*********0004"]


def test_addresses() -> None:
    got = masked(
        "address",
        [
            "浙江省杭州市西湖区文三路100号",
            "杭州市余杭区",
            "浙江省建德市新安江街道府前路区政府",
            "浙江省杭州市淳安县千岛湖镇",
            "上海市浦东新区世纪大道",
            "新疆维吾尔自治区乌鲁木齐市天山区解放路",
            "内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇",
            "中关村大街1号",
            None,
        ],
    )
    assert got == [
        "浙江省杭州市西湖区****",
        "杭州市余杭区****",
        "浙江省建德市****",
        "浙江省杭州市淳安县****",
        "上海市浦东新区****",
        "新疆维吾尔自治区乌鲁木齐市天山区****",
        "内蒙古自治区阿拉善盟阿拉善左旗****",
        "****",
        None,
    ]


def test_email_and_full() -> None:
    assert masked("email", ["a@b.cn", "not-an-email", None]) == ["a***@b.cn", "***", None]
    assert masked("full", ["secret", None]) == ["****", None]


def test_chunked_and_non_string_input() -> None:
    chunked = pa.chunked_array([["13812345678"], [None, "13912345678"]])
    assert get_masker("mobile").mask(chunked).to_pylist() == ["138****5678", None, "139****5678"]
    assert masked("mobile", [13812345678, None], pa.int64()) == ["138****5678", None]
    assert masked("name", ["张三"], pa.large_string()) == ["张*"]


@given(st.lists(st.one_of(st.none(), st.text(min_size=0, max_size=30)), max_size=20))
def test_maskers_keep_length_and_nulls(values: list[str | None]) -> None:
    for name in ("id_number", "name"):
        out = masked(name, values)
        assert [v is None for v in out] == [v is None for v in values]
    ids = masked("id_number", [v.strip() if v else v for v in values])
    for before, after in zip(values, ids, strict=True):
        if before is not None and not any(c.isspace() for c in before):
            assert len(after) == len(before)  # type: ignore[arg-type]


def test_registry_and_mask_table() -> None:
    assert {"name", "id_number", "mobile", "bank_card", "address", "email"} <= set(MASKERS)
    for masker in MASKERS.values():
        assert masker.name and masker.label.startswith("masker.")
    table = pa.table({"xm": ["张三"], "sfzh": ["11010519491231002X"], "n": [1]})
    out = mask_table(table, {"xm": "name", "sfzh": "id_number"})
    assert out.to_pylist() == [{"xm": "张*", "sfzh": "110105********002X", "n": 1}]
    assert out.column_names == table.column_names
    with pytest.raises(InvalidInput) as info:
        get_masker("nope")
    assert info.value.code == "masking.unknown_masker" and "mobile" in info.value.message("en")
    with pytest.raises(InvalidInput) as info:
        mask_table(table, {"missing": "name"})
    assert info.value.code == "masking.unknown_column"
