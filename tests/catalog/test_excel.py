"""Catalog Excel round trip: the template, the all-or-nothing import with row errors, the export."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Org
from tests.factories import PEOPLE_ITEMS, publish_people

from govdata.catalog import (
    ItemIn,
    Resource,
    ResourceIn,
    create_resource,
    get_resource,
    publish_resource,
    to_out,
)
from govdata.catalog.excel import (
    ITEM_COLUMNS,
    MAX_BYTES,
    META_SHEET,
    RESOURCE_COLUMNS,
    TEMPLATE_VERSION,
    ImportRejected,
    export_workbook,
    import_workbook,
    template,
)
from govdata.catalog.schemas import MatterRef
from govdata.errors import InvalidInput, PermissionDenied
from govdata.runtime import Platform
from govdata.security.actor import Actor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SYSTEM = Actor.system("test")


def resource_row(**over: Any) -> list[Any]:
    row: dict[str, Any] = {
        "code": "330100/1010/gaj-0100",
        "name": "婚姻登记信息",
        "department": "gaj",
        "summary": "结婚、离婚登记记录",
        "category": "基础",
        "format": "数据库",
        "share_type": "有条件共享",
        "share_condition": "仅限履行法定职责",
        "share_basis": None,
        "open_type": "不予开放",
        "update_cycle": "每日",
        "lake_table": "raw.gaj.hy_dj",
        "key_column": "djbh",
    }
    row.update(over)
    return [row.get(c.key) for c in RESOURCE_COLUMNS]


def item_row(**over: Any) -> list[Any]:
    row: dict[str, Any] = {
        "resource": "330100/1010/gaj-0100",
        "position": 1,
        "item_name": "登记编号",
        "column": "djbh",
        "data_type": "字符",
        "length": 20,
        "masking": None,
        "sensitive": "否",
        "required": "是",
    }
    row.update(over)
    return [row.get(c.key) for c in ITEM_COLUMNS]


GOOD_ITEMS = [
    item_row(),
    item_row(
        position=2,
        item_name="男方身份号码",
        column="nf_sfzh",
        length=18,
        masking="id_number",
        sensitive="是",
        required="否",
    ),
]


def workbook(resources: list[list[Any]], items: list[list[Any]], base: bytes | None = None) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(base or template()))
    for sheet, rows in (("资源", resources), ("信息项", items)):
        for row in rows:
            book[sheet].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejected(platform: Platform, data: bytes, actor: Actor = SYSTEM) -> list[tuple[str, int, str, str]]:
    with platform.unit() as s, pytest.raises(ImportRejected) as err:
        import_workbook(s, platform.audit, actor, data, "目录.xlsx")
    with platform.unit() as s:
        assert s.execute(select(Resource.code)).first() is None, "a rejected import left resources behind"
    for e in err.value.errors:
        assert e.message_zh and e.message_en and e.message_zh != e.message_en
    return [(e.sheet, e.row, e.column, e.code) for e in err.value.errors]


# --- the template -------------------------------------------------------------------------------------


def test_template_has_guide_sheets_drop_downs_frozen_headers_and_a_hidden_version_marker() -> None:
    book = openpyxl.load_workbook(io.BytesIO(template()))
    assert book.sheetnames == ["说明", "资源", "信息项", META_SHEET]
    assert book[META_SHEET].sheet_state == "hidden"
    assert book[META_SHEET]["B1"].value == TEMPLATE_VERSION
    assert "政务信息资源目录" in book["说明"]["A1"].value
    resources, items = book["资源"], book["信息项"]
    assert [c.value for c in resources[1]][:3] == ["资源代码*", "资源名称*", "提供方代码*"]
    assert [c.value for c in resources[2]][:2] == ["Resource code", "Resource name"]
    assert [c.value.rstrip("*") for c in items[1]] == [
        "资源代码", "序号", "信息项名称", "字段名", "数据类型", "长度", "脱敏规则", "敏感", "必填", "数据元"
    ]  # fmt: skip
    assert resources.freeze_panes == "A3" and items.freeze_panes == "A3"
    assert resources.column_dimensions["D"].width == 40

    def drop_downs(ws: Any) -> dict[str, str]:
        found = {}
        for dv in ws.data_validations.dataValidation:
            assert dv.type == "list"
            found[str(dv.sqref).split(":")[0]] = dv.formula1
        return found

    res = drop_downs(resources)
    assert res["E3"] == '"基础,主题,部门"'
    assert res["G3"] == '"无条件共享,有条件共享,不予共享"'
    assert res["J3"] == '"无条件开放,有条件开放,不予开放"'
    assert "每季度" in res["K3"] and "数据库" in res["F3"]
    its = drop_downs(items)
    assert its["E3"] == '"字符,数值,日期,日期时间,布尔,二进制"'
    assert "id_number" in its["G3"] and its["H3"] == '"是,否"' and its["I3"] == '"是,否"'


# --- import -------------------------------------------------------------------------------------------


def test_import_files_drafts_with_items_in_order_and_audits(platform: Platform, org: Org) -> None:
    data = workbook([resource_row()], list(reversed(GOOD_ITEMS)))
    with platform.unit() as s:
        report = import_workbook(s, platform.audit, SYSTEM, data, "目录.xlsx")
    assert (report.resources, report.items, report.codes) == (1, 2, ["330100/1010/gaj-0100"])
    with platform.unit() as s:
        res = to_out(get_resource(s, "330100/1010/gaj-0100"))
        assert res.status == "draft" and res.share_type == "conditional" and res.update_cycle == "daily"
        assert [(i.column, i.masking, i.sensitive, i.required) for i in res.items] == [
            ("djbh", None, False, True),
            ("nf_sfzh", "id_number", True, False),
        ]
        actions = [r.action for r in s.execute(select(_audit_record())).scalars()]
    assert actions.count("catalog.imported") == 1  # one record per import, naming the codes
    assert "catalog.resource_created" not in actions


def _audit_record() -> Any:
    from govdata.security.audit import AuditRecord

    return AuditRecord


BAD_CASES = {
    "required": ([resource_row(name=None)], GOOD_ITEMS, ("资源", 3, "资源名称", "catalog_x.row.required")),
    "vocabulary": ([resource_row(update_cycle="每两天")], GOOD_ITEMS, ("资源", 3, "更新周期", "catalog_x.row.bad_value")),
    "no condition": ([resource_row(share_condition=None)], GOOD_ITEMS, ("资源", 3, "共享条件", "catalog_x.row.no_condition")),
    "no basis": ([resource_row(share_type="不予共享", share_condition=None)], GOOD_ITEMS, ("资源", 3, "不予共享依据", "catalog_x.row.no_basis")),
    "unknown department": ([resource_row(department="xxj")], GOOD_ITEMS, ("资源", 3, "提供方代码", "catalog_x.row.unknown_department")),
    "too long": ([resource_row(format="数" * 40)], GOOD_ITEMS, ("资源", 3, "资源格式", "catalog_x.row.too_long")),
    "no items": ([resource_row(), resource_row(code="c-2")], GOOD_ITEMS, ("资源", 4, "资源代码", "catalog_x.row.no_items")),
    "item without resource": ([resource_row()], [*GOOD_ITEMS, item_row(resource="c-9", column="x")], ("信息项", 5, "资源代码", "catalog_x.row.missing_resource")),
    "masking rule": ([resource_row()], [item_row(masking="blur")], ("信息项", 3, "脱敏规则", "catalog_x.row.bad_value")),
    "data type": ([resource_row()], [item_row(data_type="文本")], ("信息项", 3, "数据类型", "catalog_x.row.bad_value")),
    "length": ([resource_row()], [item_row(length="十八")], ("信息项", 3, "长度", "catalog_x.row.bad_integer")),
    "zero length": ([resource_row()], [item_row(length=0)], ("信息项", 3, "长度", "catalog_x.row.bad_integer")),
    "flag": ([resource_row()], [item_row(sensitive="可能")], ("信息项", 3, "敏感", "catalog_x.row.bad_value")),
    "item name": ([resource_row()], [item_row(item_name=None)], ("信息项", 3, "信息项名称", "catalog_x.row.required")),
    "duplicate column": ([resource_row()], [*GOOD_ITEMS, item_row(position=3)], ("信息项", 5, "字段名", "catalog_x.row.duplicate_column")),
    "duplicate position": ([resource_row()], [*GOOD_ITEMS, item_row(column="z")], ("信息项", 5, "序号", "catalog_x.row.duplicate_position")),
    "sharing method": ([resource_row(sharing_method="邮寄")], GOOD_ITEMS, ("资源", 3, "共享方式", "catalog_x.row.bad_value")),
    "file shared by api": ([resource_row(format="电子文件", sharing_method="接口")], GOOD_ITEMS, ("资源", 3, "共享方式", "catalog.file_sharing")),
    "format": ([resource_row(format="纸质")], GOOD_ITEMS, ("资源", 3, "资源格式", "catalog.bad_format")),
    "classification shape": ([resource_row(classification="1/1/1")], GOOD_ITEMS, ("资源", 3, "信息资源分类", "catalog.bad_classification")),
    "classification vs category": ([resource_row(classification="2/01")], GOOD_ITEMS, ("资源", 3, "信息资源分类", "catalog.classification_category")),
    "code not built": ([resource_row(classification="1/01/001")], GOOD_ITEMS, ("资源", 3, "资源代码", "catalog.code_not_built")),
    "matter shape": ([resource_row(matters="330100-XK-001 婚姻登记")], GOOD_ITEMS, ("资源", 3, "关联事项", "catalog_x.row.bad_matter")),
    "duplicate matter": ([resource_row(powers="QL-1:甲；QL-1:乙")], GOOD_ITEMS, ("资源", 3, "权力事项", "catalog.duplicate_matter")),
    "too many tags": ([resource_row(tags="；".join(f"t{i}" for i in range(21)))], GOOD_ITEMS, ("资源", 3, "标签", "catalog.too_many_tags")),
    "long tag": ([resource_row(tags="婚" * 33)], GOOD_ITEMS, ("资源", 3, "标签", "catalog.tag_too_long")),
    "unknown related": ([resource_row(related="330100/9999/xx-1")], GOOD_ITEMS, ("资源", 3, "关联资源代码", "catalog.unknown_related")),
    "related to itself": ([resource_row(related="330100/1010/gaj-0100")], GOOD_ITEMS, ("资源", 3, "关联资源代码", "catalog.related_self")),
    "unknown element": ([resource_row()], [item_row(element="DE-NOPE")], ("信息项", 3, "数据元", "catalog.unknown_element")),
    "duplicate item name": ([resource_row()], [*GOOD_ITEMS, item_row(position=3, column="z")], ("信息项", 5, "信息项名称", "catalog.duplicate_item_name")),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_a_bad_row_is_reported_at_its_sheet_row_and_column_and_nothing_is_imported(
    platform: Platform, org: Org, case: str
) -> None:
    resources, items, expected = BAD_CASES[case]
    # a good second resource in the same file is not imported either
    good = [resource_row(code="ok-1")], [item_row(resource="ok-1")]
    errors = rejected(platform, workbook([*good[0], *resources], [*good[1], *items]))
    shifted = (expected[0], expected[1] + 1, expected[2], expected[3])
    assert errors == [shifted]


def test_duplicates_in_the_file_and_in_the_catalog(platform: Platform, org: Org) -> None:
    publish_people(platform)
    data = workbook(
        [resource_row(), resource_row(), resource_row(code="330100/1010/gaj-0001")],
        [*GOOD_ITEMS, item_row(resource="330100/1010/gaj-0001")],
    )
    assert rejected_without_people(platform, data) == [
        ("资源", 4, "资源代码", "catalog_x.row.duplicate_in_file"),
        ("资源", 5, "资源代码", "catalog_x.row.duplicate_in_catalog"),
    ]


def rejected_without_people(platform: Platform, data: bytes) -> list[tuple[str, int, str, str]]:
    with platform.unit() as s, pytest.raises(ImportRejected) as err:
        import_workbook(s, platform.audit, SYSTEM, data, "目录.xlsx")
    with platform.unit() as s:
        assert s.execute(select(Resource.code)).scalars().all() == ["330100/1010/gaj-0001"]
    return [(e.sheet, e.row, e.column, e.code) for e in err.value.errors]


def test_an_officer_imports_only_for_own_department(platform: Platform, org: Org) -> None:
    officer = Actor(username="mzj_officer", role="data_officer", department_id=org.departments["mzj"])
    errors = rejected(platform, workbook([resource_row()], GOOD_ITEMS), officer)
    assert errors == [("资源", 3, "提供方代码", "catalog_x.row.other_department")]
    reader = Actor(username="mzj_user", role="data_user", department_id=org.departments["mzj"])
    with platform.unit() as s, pytest.raises(PermissionDenied):
        import_workbook(s, platform.audit, reader, workbook([resource_row()], GOOD_ITEMS), "x.xlsx")


def _file_error(platform: Platform, data: bytes, filename: str = "目录.xlsx") -> InvalidInput:
    with platform.unit() as s, pytest.raises(InvalidInput) as err:
        import_workbook(s, platform.audit, SYSTEM, data, filename)
    assert not isinstance(err.value, ImportRejected)
    return err.value


def test_not_a_workbook_another_version_and_too_large_are_per_file_errors(
    platform: Platform, org: Org
) -> None:
    assert _file_error(platform, b"code,name\n1,2\n", "目录.csv").code == "catalog_x.not_workbook"
    assert _file_error(platform, b"PK\x03\x04 broken zip").code == "catalog_x.not_workbook"
    plain = openpyxl.Workbook()
    out = io.BytesIO()
    plain.save(out)
    err = _file_error(platform, out.getvalue())
    assert err.code == "catalog_x.wrong_template" and err.params["found"] == "-"
    book = openpyxl.load_workbook(io.BytesIO(workbook([resource_row()], GOOD_ITEMS)))
    book[META_SHEET]["B1"] = "2019.1"
    out = io.BytesIO()
    book.save(out)
    err = _file_error(platform, out.getvalue())
    assert err.code == "catalog_x.wrong_template" and "2019.1" in err.message("zh")
    big = _file_error(platform, b"\0" * (MAX_BYTES + 1))
    assert big.code == "catalog_x.too_large" and "50 MB" in big.message("zh")


# --- round trip ---------------------------------------------------------------------------------------


def _elements(platform: Platform, *identifiers: str) -> None:
    from govdata.govern.models import DataElement

    with platform.unit() as s:
        for identifier in identifiers:
            s.add(DataElement(identifier=identifier, name=identifier, data_type="字符", updated_by="test"))


def test_export_delete_import_gives_the_same_catalog(platform: Platform, org: Org) -> None:
    publish_people(platform)
    _elements(platform, "DE00001", "DE00002")
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            SYSTEM,
            ResourceIn(
                code="330100/201003/mzj-0001",
                name="社会救助对象信息",
                department="mzj",
                summary="低保、特困人员",
                category="主题",
                format="电子表格",
                share_type="不予共享",
                share_basis="《社会救助暂行办法》",
                open_type="有条件开放",
                update_cycle="每季度",
                classification="2/01/003",
                sharing_method="文件",
                source_system="社会救助信息系统",
                matters=[
                    MatterRef(code="330100-JF-0001", name="最低生活保障对象认定", kind="service"),
                    MatterRef(code="330100-QT-0002", name="临时救助", kind="service"),
                    MatterRef(code="QL-330100-09", name="对骗取救助金的处罚", kind="power"),
                ],
                tags=["低保", "救助", "民生"],
                related=["330100/1010/gaj-0001"],
                items=[
                    ItemIn(column="a", name="甲", element="DE00001"),
                    ItemIn(column="b", name="乙", data_type="日期", required=True, element="DE00002"),
                ],
            ),
        )

    def snapshot() -> list[dict[str, Any]]:
        with platform.unit() as s:
            rows = s.execute(select(Resource).order_by(Resource.code)).scalars().all()
            return [to_out(r).model_dump(exclude={"status", "published_at", "version"}) for r in rows]

    before = snapshot()
    assert len(before) == 2
    mzj = before[1]  # every entry field is carried by the round trip, not only left empty
    assert mzj["classification"] == "2/01/003" and mzj["sharing_method"] == "file"
    assert mzj["source_system"] == "社会救助信息系统" and mzj["tags"] == ["低保", "救助", "民生"]
    assert [m["kind"] for m in mzj["matters"]] == ["service", "service", "power"]
    assert mzj["related"] == ["330100/1010/gaj-0001"]
    assert [i["element"] for i in mzj["items"]] == ["DE00001", "DE00002"]
    with platform.unit() as s:
        data = export_workbook(s, SYSTEM, audit=platform.audit)
        for res in s.execute(select(Resource)).scalars():
            s.delete(res)
    assert snapshot() == []
    with platform.unit() as s:
        report = import_workbook(s, platform.audit, SYSTEM, data, "export.xlsx")
    assert report.resources == 2 and report.items == len(PEOPLE_ITEMS) + 2
    assert snapshot() == before
    with platform.unit() as s:  # only the department's part
        part = openpyxl.load_workbook(io.BytesIO(export_workbook(s, SYSTEM, "mzj")))
        assert [r[0] for r in part["资源"].iter_rows(min_row=3, values_only=True)] == [
            "330100/201003/mzj-0001"
        ]


def test_readers_export_only_published_resources(platform: Platform, org: Org) -> None:
    with platform.unit() as s:
        import_workbook(s, platform.audit, SYSTEM, workbook([resource_row()], GOOD_ITEMS), "x.xlsx")
    reader = Actor(username="mzj_user", role="data_user", department_id=org.departments["mzj"])
    officer = Actor(username="gaj_officer", role="data_officer", department_id=org.departments["gaj"])

    def codes(actor: Actor) -> list[str]:
        with platform.unit() as s:
            book = openpyxl.load_workbook(io.BytesIO(export_workbook(s, actor)))
            return [r[0] for r in book["资源"].iter_rows(min_row=3, values_only=True)]

    assert codes(reader) == [] and codes(officer) == ["330100/1010/gaj-0100"]
    with platform.unit() as s:
        publish_resource(s, platform.audit, SYSTEM, "330100/1010/gaj-0100")
    assert codes(reader) == ["330100/1010/gaj-0100"]


# --- API and portal -----------------------------------------------------------------------------------


def test_api_template_import_export_and_draft_visibility(
    client: TestClient, platform: Platform, token: Any
) -> None:
    officer, reader = token("gaj_officer"), token("mzj_user")
    tpl = client.get("/api/v1/catalog/template.xlsx", headers=officer)
    assert tpl.status_code == 200 and tpl.headers["content-type"] == XLSX
    assert client.get("/api/v1/catalog/template.xlsx", headers=reader).status_code == 403
    files = {"file": ("目录.xlsx", workbook([resource_row()], GOOD_ITEMS, tpl.content), XLSX)}
    assert client.post("/api/v1/catalog/import", files=files, headers=reader).status_code == 403
    done = client.post("/api/v1/catalog/import", files=files, headers=officer)
    assert done.status_code == 200, done.text
    assert done.json()["resources"] == 1 and done.json()["codes"] == ["330100/1010/gaj-0100"]
    # a draft: not visible to readers until it is published
    assert client.get("/api/v1/catalog/resources", headers=reader).json()["total"] == 0
    export = client.get("/api/v1/catalog/export.xlsx", headers=reader)
    assert export.status_code == 200 and export.headers["content-type"] == XLSX
    rows = openpyxl.load_workbook(io.BytesIO(export.content))["资源"].iter_rows(min_row=3, values_only=True)
    assert list(rows) == []
    with platform.unit() as s:
        publish_resource(s, platform.audit, SYSTEM, "330100/1010/gaj-0100")
    assert client.get("/api/v1/catalog/resources", headers=reader).json()["total"] == 1
    mine = client.get("/api/v1/catalog/export.xlsx", params={"department": "gaj"}, headers=reader)
    assert 'filename="catalog-gaj.xlsx"' in mine.headers["content-disposition"]
    assert (
        client.get("/api/v1/catalog/export.xlsx", params={"department": "nope"}, headers=reader).status_code
        == 404
    )


def test_api_rejects_with_row_errors_in_the_error_shape(
    client: TestClient, platform: Platform, token: Any
) -> None:
    officer = token("gaj_officer")
    bad = workbook([resource_row(category="其他类")], GOOD_ITEMS)
    resp = client.post("/api/v1/catalog/import", files={"file": ("目录.xlsx", bad, XLSX)}, headers=officer)
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["code"] == "catalog_x.rejected" and "目录.xlsx" in error["message"] and error["hint"]
    assert error["details"]["count"] == 1
    [row] = error["details"]["errors"]
    assert (row["sheet"], row["row"], row["column"], row["code"]) == (
        "资源",
        3,
        "资源分类",
        "catalog_x.row.bad_value",
    )
    assert "其他类" in row["message_zh"] and "Category" in row["message_en"]
    junk = client.post("/api/v1/catalog/import", files={"file": ("a.xlsx", b"junk", XLSX)}, headers=officer)
    assert junk.status_code == 422 and junk.json()["error"]["code"] == "catalog_x.not_workbook"


def _portal_login(client: TestClient, org: Org, username: str) -> str:
    client.cookies.clear()
    resp = client.post(
        "/login", data={"username": username, "password": org.password}, follow_redirects=False
    )
    assert resp.status_code == 303
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', client.get("/catalog").text)
    assert found
    return found.group(1)


def test_portal_page_downloads_uploads_and_shows_errors_as_a_table(
    client: TestClient, platform: Platform, org: Org
) -> None:
    csrf = _portal_login(client, org, "gaj_officer")
    page = BeautifulSoup(client.get("/catalog/excel").text, "html.parser")
    assert page.select_one("#excel-template")["href"] == "/api/v1/catalog/template.xlsx"  # type: ignore[index]
    assert client.get("/api/v1/catalog/template.xlsx").status_code == 200  # the session cookie works
    bad = workbook([resource_row(department="xxj")], [item_row(masking="blur")])
    resp = client.post(
        "/catalog/excel/import", data={"csrf_token": csrf}, files={"file": ("目录.xlsx", bad, XLSX)}
    )
    assert resp.status_code == 422
    rows = BeautifulSoup(resp.text, "html.parser").select("#excel-errors tr.excel-error")
    cells = [[td.text for td in tr.select("td")][:3] for tr in rows]
    assert cells == [["资源", "3", "提供方代码"], ["信息项", "3", "脱敏规则"]]
    good = workbook([resource_row()], GOOD_ITEMS)
    resp = client.post(
        "/catalog/excel/import", data={"csrf_token": csrf}, files={"file": ("目录.xlsx", good, XLSX)}
    )
    assert resp.status_code == 200 and "导入 1 个资源" in resp.text
    junk = client.post(
        "/catalog/excel/import", data={"csrf_token": csrf}, files={"file": ("a.csv", b"a,b", "text/csv")}
    )
    assert junk.status_code == 422 and BeautifulSoup(junk.text, "html.parser").select_one("#excel-file-error")
    _portal_login(client, org, "mzj_user")
    assert client.get("/catalog/excel").status_code == 403


def test_items_past_a_sheets_row_limit_continue_on_the_next_sheet(
    platform: Platform, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole city's items outgrow one sheet (1,048,576 rows): the export continues on 信息项(2) …
    and the import reads them back and names the right sheet and row in its errors. The limit is
    lowered here so a handful of items shows it."""
    from govdata.catalog import excel, excel_import, excel_layout

    monkeypatch.setattr(excel_layout, "MAX_SHEET_ROWS", 10)
    monkeypatch.setattr(excel_import, "MAX_SHEET_ROWS", 10)
    monkeypatch.setattr(excel, "MAX_SHEET_ROWS", 10)
    monkeypatch.setattr(excel, "ITEM_ROWS_PER_SHEET", 4)
    publish_people(platform)  # one resource, len(PEOPLE_ITEMS) items

    def snapshot() -> list[dict[str, Any]]:
        with platform.unit() as s:
            rows = s.execute(select(Resource).order_by(Resource.code)).scalars().all()
            return [to_out(r).model_dump(exclude={"status", "published_at", "version"}) for r in rows]

    before = snapshot()
    with platform.unit() as s:
        data = export_workbook(s, SYSTEM)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheets = [n for n in book.sheetnames if n.startswith("信息项")]
    assert len(sheets) == -(-len(PEOPLE_ITEMS) // 4) and sheets[1] == "信息项(2)"
    assert [sum(1 for _ in book[n].iter_rows(min_row=3)) for n in sheets] == [4, len(PEOPLE_ITEMS) - 4]
    with platform.unit() as s:
        for res in s.execute(select(Resource)).scalars():
            s.delete(res)
    with platform.unit() as s:
        report = import_workbook(s, platform.audit, SYSTEM, data, "export.xlsx")
    assert report.items == len(PEOPLE_ITEMS)
    assert snapshot() == before
    # a bad cell on the second items sheet is reported there, at its own row
    edit = openpyxl.load_workbook(io.BytesIO(data))
    edit["信息项(2)"].cell(row=3, column=[c.key for c in ITEM_COLUMNS].index("data_type") + 1, value="图片")
    buf = io.BytesIO()
    edit.save(buf)
    with platform.unit() as s:
        for res in s.execute(select(Resource)).scalars():
            s.delete(res)
    with platform.unit() as s, pytest.raises(ImportRejected) as err:
        import_workbook(s, platform.audit, SYSTEM, buf.getvalue(), "bad.xlsx")
    assert [(e.sheet, e.row, e.code) for e in err.value.errors] == [
        ("信息项(2)", 3, "catalog_x.row.bad_value")
    ]
