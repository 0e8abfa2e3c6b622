"""The standards library: seed content (STANDARDS.md §5), idempotent seeding that keeps edits,
versions and history, every refusal of a save, lookups by column name and by code, permissions, audit."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from govdata.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from govdata.govern import code_lookup, element_for_column, seed_library
from govdata.govern import library as lib
from govdata.govern import library_history as hist
from govdata.govern.library_schemas import CodeTableFields, CodeTableIn, CodeValueIn, ElementFields, ElementIn
from govdata.govern.library_seed import CODE_TABLES, ELEMENTS, ETHNICITY, GENDER, MARITAL
from govdata.govern.models import CodeTable, DataElement, LibraryHistory
from govdata.govern.standards.normalizers import get_normalizer, normalize
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

BUREAU = Actor(
    username="sjj_admin", role="dept_admin", department_id=1, department_code="sjj", is_bureau=True
)
PROVIDER_ADMIN = Actor(username="gaj_admin", role="dept_admin", department_id=2, department_code="gaj")
OFFICER = Actor(username="sjj_officer", role="data_officer", department_id=1, is_bureau=True)
READER = Actor(username="mzj_user", role="data_user", department_id=3)


@pytest.fixture
def s(platform: Platform) -> Iterator[Session]:
    """A session over a freshly seeded library (rolled back by the platform fixture's cleanup)."""
    with platform.unit() as session:
        seed_library(session, platform.audit)
        yield session


def _codes(session: Session, code: str) -> dict[str, str]:
    return {v.code: v.label for v in lib.get_code_table(session, READER, code).values}


# --- seed content ---------------------------------------------------------------------------------------


def test_seed_has_the_standards_md_code_tables(s: Session) -> None:
    assert _codes(s, GENDER) == {"0": "未知的性别", "1": "男性", "2": "女性", "9": "未说明的性别"}
    assert set(_codes(s, MARITAL)) == {"10", "20", "21", "22", "23", "30", "40", "90"}
    assert {
        "10",
        "11",
        "14",
        "17",
        "20",
        "21",
        "30",
        "31",
        "40",
        "60",
        "61",
        "70",
        "71",
        "80",
        "81",
        "90",
    } == set(_codes(s, "GB/T 4658-2006"))
    assert set(_codes(s, "GA-DOC-TYPE")) == {"111", "113", "414", "990"}


def test_seed_has_all_56_nationalities_in_the_standards_order(s: Session) -> None:
    codes = _codes(s, ETHNICITY)
    nationalities = {c: label for c, label in codes.items() if int(c) <= 56}
    assert list(nationalities) == [f"{i:02d}" for i in range(1, 57)]
    assert len(set(nationalities.values())) == 56 and all(
        label.endswith("族") for label in nationalities.values()
    )
    assert (codes["01"], codes["02"], codes["05"], codes["15"], codes["22"]) == (
        "汉族",
        "蒙古族",
        "维吾尔族",
        "土家族",
        "畲族",
    )
    assert (codes["29"], codes["43"], codes["56"]) == ("柯尔克孜族", "乌孜别克族", "基诺族")
    assert codes["97"] == "其他" and codes["98"] == "外国血统中国籍人士"


def test_seed_elements_name_their_normalizers_rules_and_tables(s: Session) -> None:
    e = lib.get_element(s, READER, "id_number")
    assert (e.name, e.format, e.length, e.normalizer, e.rules) == (
        "公民身份号码",
        "c18",
        18,
        "id_number_18",
        ["id_number"],
    )
    gender = lib.element_out(lib.get_element(s, READER, "gender"))
    assert (gender.code_table, gender.normalizer, gender.rules) == (
        GENDER,
        "code_table",
        ["code_set", "id_gender"],
    )
    birth = lib.get_element(s, READER, "birth_date")
    assert (birth.data_type, birth.format, birth.normalizer) == ("日期", "n8(YYYYMMDD)", "date")
    assert birth.rules == ["pattern", "id_birth_date"]
    assert lib.get_element(s, READER, "uscc").rules == ["uscc"]
    assert lib.get_element(s, READER, "mobile").rules == ["phone"]
    assert lib.get_element(s, READER, "region_code").code_table is None  # regions are not copied
    assert len(ELEMENTS) == lib.list_elements(s, READER).total >= 17


def test_every_demo_column_with_personal_data_finds_its_element(s: Session) -> None:
    from govdata.demo.tables import ALL_TABLES

    expected = {"id_number": {"id_number"}, "name": {"person_name", "legal_representative"}}
    expected |= {"phone": {"phone", "mobile"}, "address": {"address"}}
    for spec in ALL_TABLES:
        for col in spec.columns:
            if col.masking in expected:
                element = element_for_column(s, col.name)
                assert element is not None and element.identifier in expected[col.masking], (
                    spec.table,
                    col.name,
                )


@pytest.mark.parametrize(
    ("column", "identifier"),
    [
        ("sfzh", "id_number"),
        ("SFZH", "id_number"),
        (" gmsfhm ", "id_number"),
        ("公民身份号码", "id_number"),
        ("母亲/身份证号", "id_number"),  # a flattened Excel header
        ("法定代表人身份证号", "id_number"),  # the longest Chinese suffix
        ("xm", "person_name"),
        ("xb", "gender"),
        ("新生儿/性别", "gender"),
        ("csrq", "birth_date"),
        ("mz", "ethnicity"),
        ("hyzk", "marital_status"),
        ("lxdh", "phone"),
        ("zz", "address"),
        ("tyshxydm", "uscc"),
        ("fddbr", "legal_representative"),
        ("登记日期", "date"),
    ],
)
def test_element_for_column(s: Session, column: str, identifier: str) -> None:
    found = element_for_column(s, column)
    assert found is not None and found.identifier == identifier


@pytest.mark.parametrize("column", ["qymc", "rkid", "注册资本（万元）", "xsfzh", "", "日"])
def test_element_for_column_finds_nothing_for_other_columns(s: Session, column: str) -> None:
    assert element_for_column(s, column) is None


def test_code_lookup_maps_codes_labels_and_synonyms(s: Session) -> None:
    gender = code_lookup(s, GENDER)
    assert {gender[k] for k in ("1", "男", "男性", "m", "male")} == {"1"}
    assert {gender[k] for k in ("2", "女", "f", "female")} == {"2"}
    assert normalize("code_table", " Ｍ ", gender) == "1"  # full-width, padded, upper-case
    assert normalize("code_table", "男", gender) == "1" and normalize("code_table", "x", gender) is None
    ethnic = code_lookup(s, ETHNICITY)
    assert ethnic["汉"] == ethnic["汉族"] == ethnic["1"] == "01" and ethnic["基诺"] == "56"
    with pytest.raises(NotFound):
        code_lookup(s, "GB/T 0000-2000")


def test_lookups_answer_from_one_query_per_session(s: Session, platform: Platform) -> None:
    element_for_column(s, "sfzh")
    code_lookup(s, GENDER)
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    sa.event.listen(platform.engine, "before_cursor_execute", seen)
    try:
        for column in ("sfzh", "xm", "xb", "csrq", "nothing", "sfzh"):
            element_for_column(s, column)
        for _ in range(5):
            code_lookup(s, GENDER)
    finally:
        sa.event.remove(platform.engine, "before_cursor_execute", seen)
    # elements already loaded come from the identity map; only unseen ones need a primary-key get
    assert len(statements) <= 3, statements


# --- seeding ---------------------------------------------------------------------------------------------


def test_seeding_again_adds_nothing(s: Session, platform: Platform) -> None:
    again = seed_library(s, platform.audit)
    assert again.code_tables == [] and again.elements == []
    assert s.execute(sa.select(sa.func.count()).select_from(CodeTable)).scalar() == len(CODE_TABLES)


def test_seeding_keeps_the_bureaus_edits_and_restores_only_what_is_missing(
    s: Session, platform: Platform
) -> None:
    fields = ElementFields(**lib.element_out(lib.get_element(s, READER, "person_name")).model_dump())
    fields.description = "本市口径：含曾用名"
    lib.update_element(s, platform.audit, BUREAU, "person_name", fields)
    s.delete(lib.get_element(s, READER, "education"))
    s.flush()
    result = seed_library(s, platform.audit)
    assert result.elements == ["education"] and result.code_tables == []
    kept = lib.get_element(s, READER, "person_name")
    assert (kept.description, kept.version) == ("本市口径：含曾用名", 2)


def test_a_seeded_alias_another_element_took_is_left_out(platform: Platform) -> None:
    with platform.unit() as session:
        table = CodeTableIn(code="X-1", name="x", values=[CodeValueIn(code="1", label="one")])
        lib.create_code_table(session, platform.audit, BUREAU, table)
        lib.create_element(
            session, platform.audit, BUREAU, ElementIn(identifier="hh", name="户号", aliases=["sfzh"])
        )
        result = seed_library(session, platform.audit)
        assert "id_number" in result.elements
        assert "sfzh" not in lib.get_element(session, READER, "id_number").aliases
        assert element_for_column(session, "sfzh").identifier == "hh"  # type: ignore[union-attr]


def test_platform_open_seeds_a_fresh_store(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> None:
    from tests.conftest import SECRET, fresh_metadata_url

    from govdata.config import Settings

    url = fresh_metadata_url(tmp_path_factory, f"seed_{worker_id}")
    settings = Settings(home=tmp_path_factory.mktemp("seedhome"), database_url=url, secret_key=SECRET)
    first = Platform.open(settings)
    second = Platform.open(settings)  # opening again inserts nothing and audits nothing
    try:
        with second.sessions() as session:
            assert session.execute(sa.select(sa.func.count()).select_from(DataElement)).scalar() == len(
                ELEMENTS
            )
            seeded = session.execute(
                sa.select(AuditRecord).where(AuditRecord.action == "standards.library_seeded")
            ).scalars()
            assert len(list(seeded)) == 1
    finally:
        first.close()
        second.close()


# --- saving, versions, history ---------------------------------------------------------------------------


def test_every_save_is_a_new_version_with_a_snapshot_and_an_audit_record(
    s: Session, platform: Platform
) -> None:
    created = lib.create_element(
        s,
        platform.audit,
        BUREAU,
        ElementIn(
            identifier="household_no", name="户号", format="c..16", aliases=["hh", "hjh"], rules=["not_null"]
        ),
    )
    assert (created.version, created.length, created.data_type) == (1, 16, "字符")
    fields = ElementFields(**lib.element_out(created).model_dump())
    fields.aliases = ["hh", "hjh", "huhao"]
    fields.base_version = 1
    assert lib.update_element(s, platform.audit, BUREAU, "household_no", fields).version == 2
    fields.base_version = None
    assert (
        lib.update_element(s, platform.audit, BUREAU, "household_no", fields).version == 2
    )  # nothing changed
    entries = hist.history(s, READER, "element", "household_no")
    assert [h.version for h in entries] == [2, 1]
    assert entries[1].snapshot["aliases"] == ["hh", "hjh"] and entries[0].snapshot["aliases"][-1] == "huhao"
    changes = hist.diff(s, READER, "element", "household_no", 1, 2).changes
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("aliases", ["hh", "hjh"], ["hh", "hjh", "huhao"])
    ]
    records = s.execute(
        sa.select(AuditRecord)
        .where(AuditRecord.action == "standards.element_saved")
        .order_by(AuditRecord.seq)
    ).scalars()
    assert [(r.actor, r.target, json.loads(r.detail or "{}")["version"]) for r in records] == [
        ("sjj_admin", "element:household_no", 1),
        ("sjj_admin", "element:household_no", 2),
    ]
    with pytest.raises(NotFound):
        hist.diff(s, READER, "element", "household_no", 1, 3)


def test_code_table_versions_and_a_diff_by_code(s: Session, platform: Platform) -> None:
    fields = CodeTableFields(
        name="婚姻状况代码",
        values=[
            CodeValueIn(code=v.code, label=v.label, synonyms=v.synonyms)
            for v in lib.get_code_table(s, READER, MARITAL).values
            if v.code != "23"
        ]
        + [CodeValueIn(code="91", label="事实婚姻")],
    )
    fields.values[0].synonyms.append("未结婚")
    table = lib.update_code_table(s, platform.audit, BUREAU, MARITAL, fields)
    assert table.version == 2 and [v.code for v in table.values][-2:] == ["90", "91"]
    assert code_lookup(s, MARITAL)["未结婚"] == "10"  # the cache was cleared by the save
    changes = {
        c.field: (c.before, c.after) for c in hist.diff(s, READER, "code_table", MARITAL, 1, 2).changes
    }
    assert set(changes) == {"values.10", "values.23", "values.91"}
    assert changes["values.23"][1] is None and changes["values.91"][0] is None
    assert [h.version for h in hist.history(s, READER, "code_table", MARITAL)] == [2, 1]
    record = s.execute(
        sa.select(AuditRecord).where(AuditRecord.action == "standards.code_table_saved")
    ).scalar_one()
    assert record.target == f"code_table:{MARITAL}" and json.loads(record.detail or "{}")["version"] == 2
    history_rows = s.execute(sa.select(LibraryHistory).where(LibraryHistory.kind == "code_table")).scalars()
    assert len(list(history_rows)) == len(CODE_TABLES) + 1


def test_a_save_over_a_newer_version_is_refused(s: Session, platform: Platform) -> None:
    fields = ElementFields(**lib.element_out(lib.get_element(s, READER, "address")).model_dump())
    fields.description = "first"
    lib.update_element(s, platform.audit, BUREAU, "address", fields)
    fields.description, fields.base_version = "second", 1
    with pytest.raises(Conflict) as err:
        lib.update_element(s, platform.audit, BUREAU, "address", fields)
    assert err.value.code == "govern.library.stale_version" and err.value.params["current"] == 2


def test_taken_identifiers_and_codes_are_conflicts(s: Session, platform: Platform) -> None:
    with pytest.raises(Conflict, match="identifier_taken"):
        lib.create_element(s, platform.audit, BUREAU, ElementIn(identifier="gender", name="性别2"))
    values = [CodeValueIn(code="1", label="男")]
    with pytest.raises(Conflict, match="code_table_taken"):
        lib.create_code_table(s, platform.audit, BUREAU, CodeTableIn(code=GENDER, name="x", values=values))


# --- refusals --------------------------------------------------------------------------------------------


def _refusal(exc: pytest.ExceptionInfo[InvalidInput]) -> list[tuple[str, str]]:
    return [(p["code"].removeprefix("govern.library."), p["field"]) for p in exc.value.params["problems"]]


def test_duplicate_codes_name_the_code_and_both_rows(s: Session, platform: Platform) -> None:
    values = [
        CodeValueIn(code="1", label="男"),
        CodeValueIn(code="2", label="女"),
        CodeValueIn(code="1", label="男性"),
    ]
    with pytest.raises(InvalidInput) as err:
        lib.create_code_table(s, platform.audit, BUREAU, CodeTableIn(code="T-1", name="性别", values=values))
    assert err.value.code == "govern.library.duplicate_code"
    assert err.value.message("zh") == "代码 1 重复：第 1 行和第 3 行"
    assert err.value.message("en") == "Code 1 appears twice: rows 1 and 3"
    assert err.value.hint("en")
    assert s.execute(sa.select(CodeTable).where(CodeTable.code == "T-1")).first() is None


@pytest.mark.parametrize(
    ("code", "name", "values", "expected"),
    [
        ("", "x", [("1", "a", [])], [("required", "code")]),
        ("/GB", "x", [("1", "a", [])], [("bad_table_code", "code")]),
        ("GB 1/history", "x", [("1", "a", [])], [("bad_table_code", "code")]),
        ("T", "", [("1", "a", [])], [("required", "name")]),
        ("T", "x", [], [("no_values", "values")]),
        ("T", "x", [("", "a", []), ("2", " ", [])], [("empty_code", "values"), ("empty_label", "values")]),
        ("T", "x", [("1", "a", ["yes"]), ("2", "b", ["YES"])], [("synonym_conflict", "values")]),
        ("T", "x", [("1", "a", ["2"]), ("2", "b", [])], [("synonym_conflict", "values")]),
        ("T", "x", [("1" * 33, "a", [])], [("too_long", "values.1.code")]),
    ],
)
def test_code_table_refusals(
    s: Session,
    platform: Platform,
    code: str,
    name: str,
    values: list[tuple[str, str, list[str]]],
    expected: list[tuple[str, str]],
) -> None:
    data = CodeTableIn(
        code=code, name=name, values=[CodeValueIn(code=c, label=v, synonyms=y) for c, v, y in values]
    )
    with pytest.raises(InvalidInput) as err:
        lib.create_code_table(s, platform.audit, BUREAU, data)
    assert _refusal(err) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"identifier": "9abc"}, [("bad_identifier", "identifier")]),
        ({"identifier": "has space"}, [("bad_identifier", "identifier")]),
        ({"identifier": ""}, [("required", "identifier")]),
        ({"name": "  "}, [("required", "name")]),
        ({"data_type": "整数"}, [("unknown_data_type", "data_type")]),
        ({"format": "x18"}, [("bad_format", "format")]),
        ({"format": "c5..3"}, [("bad_format", "format")]),
        ({"data_type": "数值", "format": "c10"}, [("format_type_mismatch", "format")]),
        ({"data_type": "日期", "format": "n8"}, [("format_type_mismatch", "format")]),
        ({"format": "c18", "length": 20}, [("length_mismatch", "length")]),
        ({"code_table": "GB/T 9999-2000"}, [("unknown_code_table", "code_table")]),
        ({"normalizer": "soundex"}, [("unknown_normalizer", "normalizer")]),
        ({"rules": ["not_null", "luhn"]}, [("unknown_rule", "rules")]),
        ({"rules": ["code_set"]}, [("needs_code_table", "code_table")]),
        ({"normalizer": "code_table"}, [("needs_code_table", "code_table")]),
        ({"format": None, "rules": ["pattern"]}, [("needs_format", "format")]),
        ({"aliases": ["hh", "SFZH"]}, [("alias_conflict", "aliases")]),
        ({"aliases": ["出生日期"]}, [("alias_conflict", "aliases")]),
        ({"name": "姓名"}, [("name_taken", "name")]),
        ({"aliases": ["a" * 65]}, [("too_long", "aliases")]),
        (
            {"identifier": "", "name": "", "data_type": "x"},
            [("required", "identifier"), ("required", "name"), ("unknown_data_type", "data_type")],
        ),
    ],
)
def test_element_refusals(
    s: Session, platform: Platform, changes: dict[str, object], expected: list[tuple[str, str]]
) -> None:
    data = ElementIn(identifier="household_no", name="户号", format="c..16").model_copy(update=changes)
    with pytest.raises(InvalidInput) as err:
        lib.create_element(s, platform.audit, BUREAU, data)
    assert _refusal(err) == expected
    assert (
        err.value.message("zh") != err.value.message("en") and err.value.hint("zh") and err.value.hint("en")
    )


def test_an_alias_conflict_names_both_elements(s: Session, platform: Platform) -> None:
    data = ElementIn(identifier="household_no", name="户号", aliases=["sfzh"])
    with pytest.raises(InvalidInput) as err:
        lib.create_element(s, platform.audit, BUREAU, data)
    assert (
        err.value.message("en")
        == "Alias sfzh already belongs to data element id_number; household_no cannot use it too"
    )


def test_updating_keeps_its_own_aliases_but_not_anothers(s: Session, platform: Platform) -> None:
    fields = ElementFields(**lib.element_out(lib.get_element(s, READER, "gender")).model_dump())
    fields.aliases = [*fields.aliases, "XB"]  # its own alias again, another case: dropped, no conflict
    fields.description = "x"
    assert lib.update_element(s, platform.audit, BUREAU, "gender", fields).aliases.count("xb") == 1
    fields.aliases = ["mz"]
    with pytest.raises(InvalidInput, match="alias_conflict"):
        lib.update_element(s, platform.audit, BUREAU, "gender", fields)


# --- permissions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "code"), [(PROVIDER_ADMIN, "auth.bureau_only"), (OFFICER, "auth.forbidden")]
)
def test_only_the_bureau_keeps_the_library(s: Session, platform: Platform, actor: Actor, code: str) -> None:
    with pytest.raises(PermissionDenied) as err:
        lib.create_element(s, platform.audit, actor, ElementIn(identifier="x_1", name="x"))
    assert err.value.code == code
    fields = CodeTableFields(name="x", values=[CodeValueIn(code="1", label="a")])
    with pytest.raises(PermissionDenied):
        lib.update_code_table(s, platform.audit, actor, GENDER, fields)
    assert lib.get_element(s, actor, "gender").version == 1  # reading is fine


def test_reading_needs_catalog_read(s: Session) -> None:
    auditor = Actor(username="auditor", role="auditor")
    with pytest.raises(PermissionDenied):
        lib.list_elements(s, auditor)
    with pytest.raises(PermissionDenied):
        lib.get_code_table(s, auditor, GENDER)


# --- normalizers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("id_number_18", " 11010519491231002x ", "11010519491231002X"),
        ("id_number_18", "110105491231002", "11010519491231002X"),  # STANDARDS.md upgrade vector
        ("id_number_18", "１３０５０３６７０４０１００１", "130503196704010016"),
        ("uscc", "91350100m000100y43", "91350100M000100Y43"),
        ("org_code", "d2143569x", "D2143569-X"),
        ("phone", "+86 138-1234-5678", "13812345678"),
        ("phone", "0571-88886666", "0571-88886666"),
        ("bank_card", "6217 0000 0000 0000 004", "6217000000000000004"),
        ("date", "1949年12月31日", "19491231"),
        ("date", "2000/2/29", "20000229"),
        ("date", "2023-05-01", "20230501"),
        ("date", "20230501", "20230501"),
        ("date", "1999-02-29", None),
        ("date", "yesterday", None),
        ("region_code", "330106001001", "330106"),
        ("region_code", "3301", None),
        ("person_name", "张\u3000三", "张三"),
        ("person_name", " Li  Lei ", "Li Lei"),
        ("trim", "  ", None),
    ],
)
def test_normalizers(name: str, raw: str, expected: str | None) -> None:
    assert normalize(name, raw) == expected


def test_an_unknown_normalizer_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as err:
        get_normalizer("soundex")
    assert "id_number_18" in err.value.params["known"] and "code_table" in err.value.params["known"]
