"""The excel connector on workbooks laid out the way departments fill them in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from govdata.errors import InvalidInput
from govdata.ingest import get_connector, load_to_lake
from govdata.lake import Lake, TableRef


def _report(path: Path) -> Path:
    """Title row, unit line, merged two-row header, data, a subtotal, the total and a footer."""
    wb = Workbook()
    ws = wb.active
    ws.title = "低保名单"
    hidden = wb.create_sheet("说明", 0)
    hidden.sheet_state = "hidden"
    ws.append(["2023年示例市低保对象名单"])
    ws.merge_cells("A1:F1")
    ws.append(["填报单位：示例市民政局", None, None, None, "单位：元"])
    ws.append(["序号", "姓名", "母亲", None, "发放日期", "金额"])
    ws.append([None, None, "姓名", "身份证号", None, None])
    for rng in ("A3:A4", "B3:B4", "C3:D3", "E3:E4", "F3:F4"):
        ws.merge_cells(rng)
    ws.append([1, "张三", "李梅", "11010519491231002X", dt.datetime(2023, 5, 1), 1200.0])
    ws.append([2, "王五", "赵兰", "０５７１", dt.datetime(2023, 5, 1, 8, 30), 1250.5])
    ws.append(["小计", None, None, None, None, 2450.5])
    ws.append([3, "钱七", "/", "无", "2023年5月1日", 980])
    ws.append([None, None, None, None, None, None])
    ws.append([4, "孙八", "——", None, None, 7])
    ws.append(["合计", None, None, None, None, 3437.5])
    ws.append(["填表说明：金额为月发放额"])
    ws.append(["制表人：某某", None, None, "审核人：某某"])
    wb.save(path)
    return path


def _rows(lake: Lake, table: str, columns: str) -> list[tuple[Any, ...]]:
    with lake.connect(t=TableRef("raw", "mzj", table)) as con:
        return con.execute(f"SELECT {columns} FROM t ORDER BY _source_row").fetchall()  # noqa: S608


def test_report_layout(tmp_path: Path, lake: Lake) -> None:
    path = _report(tmp_path / "dibao.xlsx")
    result = load_to_lake(lake, "mzj", "dibao", "excel", {"path": str(path)})
    assert result.schema.names == [
        "序号",
        "姓名",
        "母亲/姓名",
        "母亲/身份证号",
        "发放日期",
        "金额",
        "_source_row",
        "_ingested_at",
    ]
    assert _rows(lake, "dibao", "*  EXCLUDE (_ingested_at)") == [
        ("1", "张三", "李梅", "11010519491231002X", "2023-05-01", "1200", 5),
        ("2", "王五", "赵兰", "０５７１", "2023-05-01 08:30:00", "1250.5", 6),
        ("3", "钱七", "/", "无", "2023年5月1日", "980", 8),
        ("4", "孙八", "——", None, None, "7", 10),
    ]


def test_drop_serial_and_pick_sheet(tmp_path: Path, lake: Lake) -> None:
    path = _report(tmp_path / "dibao.xlsx")
    load_to_lake(lake, "mzj", "d2", "excel", {"path": str(path), "sheet": "低保名单", "drop_serial": True})
    assert _rows(lake, "d2", '"姓名", "母亲/姓名"')[0] == ("张三", "李梅")
    assert "序号" not in lake.schema(TableRef("raw", "mzj", "d2")).names
    with pytest.raises(InvalidInput) as info:
        get_connector("excel").schema({"path": str(path), "sheet": "无此表"})
    assert info.value.code == "ingest.excel_sheet_not_found"
    assert "低保名单" in info.value.params["known"]


def test_no_header_names_file_and_sheet(tmp_path: Path, lake: Lake) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "空表"
    ws.append(["只有一个标题"])
    ws.append([None])
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "mzj", "e", "excel", {"path": str(path)})
    assert info.value.code == "ingest.excel_no_header"
    assert info.value.params == {"file": str(path), "sheet": "空表"}


def test_not_a_workbook(tmp_path: Path, lake: Lake) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_to_lake(lake, "mzj", "f", "excel", {"path": str(path)})
    assert info.value.code == "ingest.excel_unreadable"


_CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_CELLS, max_size=6), max_size=8), write_only=st.booleans())
def test_sheet_rows_are_what_openpyxl_reads(tmp_path: Path, rows: list[list[Any]], write_only: bool) -> None:
    """The lean sheet reader gives the cells openpyxl's own reader gives (shared and inline strings,
    numbers, booleans, dates, gaps, formulas as their cached value), as text."""
    from openpyxl import load_workbook

    from govdata.ingest.connectors.sheets import cell_text, open_sheet

    path = tmp_path / f"cells_{write_only}.xlsx"
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("数据") if write_only else wb.active
    for row in rows:
        ws.append(row)
    if not write_only:
        ws.cell(row=len(rows) + 3, column=3, value="末行")  # rows missing in between
    wb.save(path)
    expected = [
        [cell_text(v) for v in r]
        for r in load_workbook(path, data_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    with open_sheet(path, None) as sheet:
        got = list(sheet.rows)

    def trimmed(table: list[list[str | None]]) -> list[list[str | None]]:
        out = []
        for row in table:
            row = list(row)
            while row and row[-1] is None:
                row.pop()
            out.append(row)
        while out and not out[-1]:
            out.pop()
        return out

    assert trimmed(got) == trimmed(expected)


def test_merged_ranges_are_found_in_the_sheet_xml(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from govdata.ingest.connectors.sheets import Merged, open_sheet

    path = _report(tmp_path / "report.xlsx")
    ws = load_workbook(path).worksheets[1]
    expected = {Merged(r.min_row, r.max_row, r.min_col, r.max_col) for r in ws.merged_cells.ranges}
    with open_sheet(path, None) as sheet:
        assert sheet.name == "低保名单"  # the first visible sheet
        assert set(sheet.merged) == expected
        assert len(expected) == 6
