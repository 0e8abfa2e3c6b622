"""Files as departments really send them: a GBK CSV, an Excel report with a title, a unit line,
a merged two-row header, a 合计 row and a footer, and a JSON array with missing keys.

All writers are byte-deterministic (the xlsx is re-zipped with fixed timestamps, since openpyxl
stamps the save time into the archive and ``docProps/core.xml``). They return the 1-based header
rows and first/last data rows for the manifest's truth. Raises ``OSError`` on write failures and
``UnicodeEncodeError`` if a value cannot be written in GBK.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from govdata.demo.tables import BIRTH_GROUPS, TableSpec

FIXED_TIME = dt.datetime(2025, 7, 1, 9, 0, 0)


def write_csv(path: Path, spec: TableSpec, columns: dict[str, list[Any]], encoding: str = "gbk") -> None:
    """Header on row 1, CRLF line ends, empty string for ``None`` — as Excel on Chinese Windows saves."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [c.name for c in spec.columns]
    writer.writerow(names)
    writer.writerows(zip(*(["" if v is None else v for v in columns[n]] for n in names), strict=True))
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_json(path: Path, spec: TableSpec, columns: dict[str, list[Any]]) -> None:
    """An array of objects; a ``None`` value is left out of its object (a missing key)."""
    names = [c.name for c in spec.columns]
    records = [
        {n: v for n, v in zip(names, values, strict=True) if v is not None}
        for values in zip(*(columns[n] for n in names), strict=True)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_births_xlsx(
    path: Path, spec: TableSpec, columns: dict[str, list[Any]], unit: str, as_of: dt.date
) -> tuple[list[int], list[int]]:
    """The 出生医学证明 report; returns (header rows, [first, last] data rows), 1-based."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    names = [c.name for c in spec.columns]
    width = len(names)
    wb = Workbook()
    ws = wb.active
    ws.title = "出生登记"
    center = Alignment(horizontal="center", vertical="center")
    ws.cell(1, 1, "示例市出生医学证明登记表").font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = center
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, f"填报单位：{unit}　　统计截止日期：{as_of.year}年{as_of.month}月{as_of.day}日　　单位：人")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    # Two-row header: grouped columns share a merged parent cell, the others span both rows.
    col = 1
    while col <= width:
        name = names[col - 1]
        group = name.split("/")[0] if "/" in name else None
        if group in BIRTH_GROUPS:
            span = sum(1 for n in names if n.startswith(f"{group}/"))
            ws.cell(3, col, group)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
            for k in range(span):
                ws.cell(4, col + k, names[col - 1 + k].split("/", 1)[1])
            col += span
        else:
            ws.cell(3, col, name)
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            col += 1
    for row in (3, 4):
        for c in range(1, width + 1):
            ws.cell(row, c).font = Font(bold=True)
            ws.cell(row, c).alignment = center
    rows = list(zip(*(columns[n] for n in names), strict=True))
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str) and value.isdigit():
                cell.number_format = "@"  # ID numbers kept as text, never as numbers
    last = 4 + len(rows)
    ws.cell(last + 1, 1, "合计")
    ws.cell(last + 1, 2, f"共{len(rows)}人")
    ws.cell(
        last + 3,
        1,
        "制表人：李某某　　审核人：王某某　　制表日期：" + f"{as_of.year}年{as_of.month}月{as_of.day}日",
    )
    ws.cell(
        last + 4,
        1,
        "填表说明：1．身份证号码以文本格式填写；2．出生日期填写新生儿实际出生日期；3．本表由各助产机构汇总后报送。",
    )
    for letter, size in zip("ABCDEFGHIJK", (6, 14, 10, 6, 12, 10, 20, 10, 20, 26, 12), strict=False):
        ws.column_dimensions[letter].width = size
    wb.properties.creator = unit
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_fix_zip(buffer.getvalue()))
    return [3, 4], [5, last]


def _fix_zip(data: bytes) -> bytes:
    """Re-zip with fixed member timestamps and a fixed modification time in core.xml."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    content,
                )
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, content)
    return out.getvalue()
