"""Sheet rows as SpreadsheetML: every value comes back as written, escaped, typed, numbered."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from govdata.catalog import excel_xml
from govdata.catalog.excel_xml import rows_xml

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _parse(rows: list[list[Any]], width: int, most: int | None = None) -> tuple[int, list[ET.Element]]:
    out = io.BytesIO()
    n = rows_xml(iter(rows), width, out, 3, "是", "否", most)
    root = ET.fromstring(b"<sheetData>" + out.getvalue() + b"</sheetData>")
    return n, list(root)


def _cells(row: ET.Element) -> dict[str, tuple[str | None, str]]:
    found = {}
    for c in row:
        value = c.find("v") if c.get("t") == "n" else c.find("is/t")
        assert value is not None
        found[c.get("r", "")] = (c.get("t"), value.text or "")
    return found


def test_values_are_typed_escaped_and_numbered_from_the_first_data_row() -> None:
    n, rows = _parse([["<a&b>", 7, True, None, ""], ["x\x01y", 2.5, False, "z", "末"]], 5)
    assert n == 2
    assert [r.get("r") for r in rows] == ["3", "4"]
    assert _cells(rows[0]) == {"A3": ("inlineStr", "<a&b>"), "B3": ("n", "7"), "C3": ("inlineStr", "是")}
    assert _cells(rows[1]) == {
        "A4": ("inlineStr", "xy"),
        "B4": ("n", "2.5"),
        "C4": ("inlineStr", "否"),
        "D4": ("inlineStr", "z"),
        "E4": ("inlineStr", "末"),
    }


def test_a_column_mixing_numbers_and_text_is_written_as_text() -> None:
    _, rows = _parse([[1], ["二"]], 1)
    assert _cells(rows[0]) == {"A3": ("inlineStr", "1")}
    assert _cells(rows[1]) == {"A4": ("inlineStr", "二")}


def test_most_stops_early_and_leaves_the_rest_to_the_next_sheet(monkeypatch: Any) -> None:
    monkeypatch.setattr(excel_xml, "BATCH", 3)  # batches straddle the sheet's end
    rows = iter([[i] for i in range(10)])
    first, second = io.BytesIO(), io.BytesIO()
    assert rows_xml(rows, 1, first, 3, "是", "否", most=7) == 7
    assert rows_xml(rows, 1, second, 3, "是", "否", most=7) == 3
    assert second.getvalue().startswith(b'<row r="3"><c r="A3" t="n"><v>7</v>')


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=3, max_size=3), max_size=20))
def test_any_text_comes_back_without_the_characters_xml_forbids(rows: list[list[str | None]]) -> None:
    n, parsed = _parse(rows, 3)
    assert n == len(rows)
    for row, element in zip(rows, parsed, strict=True):
        cells = _cells(element)
        for letter, value in zip("ABC", row, strict=True):
            clean = _FORBIDDEN.sub("", value or "")
            got = cells.get(f"{letter}{element.get('r')}")
            assert (got[1] if got else "") == (clean if value else "")
