"""The department files look as departments send them: GBK CSV, report-style xlsx, JSON with gaps."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from govdata.demo import DemoManifest

City = tuple[Path, DemoManifest]


def test_marriage_csv_is_gbk_only(city: City) -> None:
    out, manifest = city
    raw = (out / "files" / "mzj_hy_djxx.csv").read_bytes()
    assert manifest.truth.encodings["hy_djxx"] == "gbk"
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk") == raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(raw.decode("gbk"))))
    assert rows[0][:3] == ["登记编号", "男方姓名", "男方身份证号"]
    first, last = manifest.truth.data_rows["hy_djxx"]
    assert (first, last) == (2, len(rows))
    assert len(rows) - 1 == manifest.truth.row_counts["hy_djxx"]
    assert b"\r\n" in raw


def test_marriage_dates_are_mixed_and_remarks_hide_personal_data(city: City) -> None:
    out, manifest = city
    rows = list(csv.DictReader(io.StringIO((out / "files" / "mzj_hy_djxx.csv").read_bytes().decode("gbk"))))
    by_key = {r["登记编号"]: r for r in rows}
    odd = {k for k, r in by_key.items() if not re.fullmatch(r"\d{4}-\d\d-\d\d", r["登记日期"])}
    assert odd == set(manifest.defects_of("hy_djxx", "date_format")[0].keys)
    hidden = set(manifest.truth.hidden_pii["hy_djxx"]["备注"])
    assert hidden
    pii = re.compile(r"1[3-9]\d{9}|\d{15}")
    assert {k for k, r in by_key.items() if pii.search(r["备注"])} == hidden


def test_birth_report_has_title_merged_header_total_and_footer(city: City) -> None:
    out, manifest = city
    source = manifest.source("cs_yxzm")
    assert source.connector == "excel" and Path(source.config["path"]).is_absolute()
    wb = openpyxl.load_workbook(source.config["path"])
    ws = wb[source.config["sheet"]]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:K1", "A3:A4", "C3:E3", "F3:G3", "H3:I3"} <= merged
    assert ws["A1"].value == "示例市出生医学证明登记表"
    assert manifest.truth.header_rows["cs_yxzm"] == [3, 4]
    assert [ws["C3"].value, ws["C4"].value, ws["G4"].value] == ["新生儿", "姓名", "身份证号"]
    first, last = manifest.truth.data_rows["cs_yxzm"]
    assert last - first + 1 == manifest.truth.row_counts["cs_yxzm"]
    assert ws.cell(last + 1, 1).value == "合计"
    assert str(ws.cell(last + 4, 1).value).startswith("填表说明")
    ids = [ws.cell(r, 7).value for r in range(first, last + 1)]
    assert all(isinstance(v, str) and len(v) == 18 for v in ids)
    genders = {ws.cell(r, 4).value for r in range(first, last + 1)}
    assert {"男", "女"} <= genders and genders - {"男", "女"}


def test_allowance_json_has_missing_keys(city: City) -> None:
    out, manifest = city
    source = manifest.source("db_dx")
    records = json.loads(Path(source.config["path"]).read_text(encoding="utf-8"))
    assert isinstance(records, list) and len(records) == manifest.truth.row_counts["db_dx"]
    assert {"sfzh", "xm", "xb", "csrq"} <= set(records[0])
    missing = {r["dbzh"] for r in records if "csrq" not in r}
    (null,) = manifest.defects_of("db_dx", "null")
    assert missing == set(null.keys) and missing
    assert any("bz" in r for r in records) and any("bz" not in r for r in records)
