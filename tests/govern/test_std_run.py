"""Standardization raw → std on the real metadata backends: suggestion, run, report, lineage, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.govern.std_seed import CODE, REF, publish

from govdata.catalog.service import get_resource
from govdata.errors import InvalidInput, PermissionDenied
from govdata.govern.standardize import ColumnStep, Dedup, StdSpec, standardize, suggest_spec
from govdata.govern.standardize.run import bindings
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

pytestmark = pytest.mark.usefixtures("org")
STD = TableRef("std", "gaj", "hj_rk_std")
SYSTEM = Actor.system("test")


def _rows(platform: Platform) -> list[dict[str, object]]:
    with platform.lake.connect(t=STD) as con:
        table = con.sql("SELECT * FROM t ORDER BY _source_row").to_arrow_table()
    return table.to_pylist()


def _suggested(platform: Platform) -> StdSpec:
    with platform.unit() as s:
        resource = get_resource(s, CODE)
        bound, key = bindings(resource)
        return suggest_spec(s, platform.lake, REF, bound, key)


def test_suggestion_uses_bindings_aliases_and_values(platform: Platform) -> None:
    publish(platform)
    spec = _suggested(platform)
    by_source = {s.source: s for s in spec.columns}
    assert by_source["sfzh"].normalizer == "id_number_18"  # alias
    assert by_source["xm"].normalizer == "person_name"  # pinyin alias
    assert (by_source["xb"].normalizer, by_source["xb"].code_table) == (
        "code_table",
        "GB/T 2261.1-2003",
    )  # item
    assert by_source["csrq"].normalizer == "date"  # alias csrq
    assert by_source["sjhm"].normalizer == "phone"
    assert by_source["rkid"].normalizer is None
    assert spec.dedup == Dedup(keys=["sfzh"])
    assert [s.target for s in spec.columns] == ["rkid", "sfzh", "xm", "xb", "csrq", "sjhm"]


def test_value_patterns_suggest_normalizers_for_unknown_names(platform: Platform) -> None:
    import pyarrow as pa

    from govdata.govern import seed_library

    ref = TableRef("raw", "gaj", "odd_names")
    platform.lake.write(
        ref,
        pa.table(
            {
                "f1": ["11010519491231002X", "110105491231002"] * 5,
                "f2": ["2023年5月1日", "2023/5/2"] * 5,
                "f3": ["男", "女"] * 5,
                "f4": ["13812345678", "+86 139 0000 0000"] * 5,
                "f5": ["甲", "乙"] * 5,
            }
        ),
    )
    with platform.unit() as s:
        seed_library(s, platform.audit)
        spec = suggest_spec(s, platform.lake, ref)
    got = [(c.normalizer, c.code_table) for c in spec.columns]
    assert got == [
        ("id_number_18", None),
        ("date", None),
        ("code_table", "GB/T 2261.1-2003"),
        ("phone", None),
        (None, None),
    ]


def test_blank_values_do_not_stop_a_suggestion(platform: Platform) -> None:
    """NULL and blank cells beside codes (a half-filled gender column) still suggest the code table."""
    import pyarrow as pa

    from govdata.govern import seed_library

    ref = TableRef("raw", "gaj", "gappy")
    platform.lake.write(ref, pa.table({"f1": ["男", None, "女", " ", None, "男"], "f2": [None] * 6}))
    with platform.unit() as s:
        seed_library(s, platform.audit)
        spec = suggest_spec(s, platform.lake, ref)
    assert [(c.normalizer, c.code_table) for c in spec.columns] == [
        ("code_table", "GB/T 2261.1-2003"),
        (None, None),
    ]


def test_standardize_writes_std_with_a_report(platform: Platform) -> None:
    publish(platform)
    with platform.unit() as s:
        report = standardize(s, platform.lake, platform.audit, SYSTEM, get_resource(s, CODE))
    assert (report.rows_in, report.rows_out, report.duplicates_removed) == (6, 5, 1)
    assert report.spec_version == 0
    cols = {c.target: c for c in report.columns}
    assert cols["xb"].unparseable == 1  # 未知值
    assert cols["csrq"].unparseable == 1  # 1999-02-29
    assert cols["sfzh"].changed == 3  # lower-case x, full-width digits, abc (the old ID was deduplicated)
    rows = _rows(platform)
    assert [r["_source_row"] for r in rows] == [
        2,
        3,
        4,
        5,
        6,
    ]  # the later load of 110105… wins; no row dropped
    first = rows[0]
    assert (first["sfzh"], first["xb"], first["csrq"], first["sjhm"]) == (
        "11010519491231002X",
        "2",
        "19491231",
        "13812345678",
    )
    assert (
        rows[1]["sfzh"] == "130503196704010016" and rows[1]["xb"] == "1" and rows[1]["sjhm"] == "13900000000"
    )
    assert rows[2]["xb"] == "1" and rows[2]["csrq"] == "18800101" and rows[2]["sjhm"] == "010-12345678"
    assert (
        rows[4]["xb"] is None
        and rows[4]["csrq"] is None
        and rows[4]["xm"] is None
        and rows[4]["sfzh"] == "ABC"
    )
    with platform.unit() as s:
        actions = list(
            s.execute(select(AuditRecord.action).where(AuditRecord.action == "std.standardized")).scalars()
        )
        assert actions == ["std.standardized"]
        from govdata.govern.lineage.models import LineageColumnEdge

        edges = s.execute(
            select(
                LineageColumnEdge.source_column, LineageColumnEdge.target_column, LineageColumnEdge.transform
            )
        ).all()
        assert ("sfzh", "sfzh", "id_number_18") in {tuple(e) for e in edges}
        assert len(edges) == 6


def test_types_and_dedup_order_by_a_column(platform: Platform) -> None:
    publish(platform)
    spec = StdSpec(
        columns=[
            ColumnStep(target="birth", source="csrq", normalizer="date", type="date"),
            ColumnStep(target="gender", source="xb", normalizer="code_table", code_table="GB/T 2261.1-2003"),
            ColumnStep(target="row_no", source="_source_row", type="integer"),
        ],
        dedup=Dedup(keys=["gender"], order_by="birth"),
    )
    with platform.unit() as s:
        report = standardize(s, platform.lake, platform.audit, SYSTEM, REF, spec)
    rows = sorted(_rows(platform), key=lambda r: str(r["gender"]))
    # the youngest of each gender; the NULL gender is never merged
    assert [(r["gender"], str(r["birth"])) for r in rows] == [
        ("1", "2000-02-29"),
        ("2", "1949-12-31"),
        (None, "None"),
    ]
    assert report.rows_out == 3


def test_a_bad_spec_names_every_problem_and_leaves_std_alone(platform: Platform) -> None:
    publish(platform)
    with platform.unit() as s:
        standardize(s, platform.lake, platform.audit, SYSTEM, REF)
    before = platform.lake.version(STD)
    bad = StdSpec(
        columns=[
            ColumnStep(target="id", source="shenfenzheng", normalizer="id_number_18"),
            ColumnStep(target="id", source="xm", normalizer="soundex"),
            ColumnStep(target="x", source="xb", normalizer="code_table", code_table="GB/T 0000"),
            ColumnStep(target="Bad Name", source="csrq", type="money"),
        ],
        dedup=Dedup(keys=["nope"]),
    )
    with platform.unit() as s, pytest.raises(InvalidInput) as caught:
        standardize(s, platform.lake, platform.audit, SYSTEM, REF, bad)
    err = caught.value
    assert err.code == "govern.std.missing_column"
    assert "sfzh" in err.params["columns"] and err.params["column"] == "shenfenzheng"
    codes = [p["code"] for p in err.params["problems"]]
    assert codes == [
        "govern.std.missing_column",
        "govern.std.duplicate_target",
        "govern.std.unknown_normalizer",
        "govern.std.unknown_code_table",
        "govern.std.bad_target",
        "govern.std.unknown_type",
        "govern.std.unknown_dedup_column",
    ]
    assert all(p["message"] and p["message_en"] for p in err.params["problems"])
    assert platform.lake.version(STD) == before


def test_standardize_needs_the_manage_permission(platform: Platform) -> None:
    publish(platform)
    reader = Actor(username="mzj_user", role="data_user", department_id=3)
    with platform.unit() as s, pytest.raises(PermissionDenied):
        standardize(s, platform.lake, platform.audit, reader, REF)
    assert not platform.lake.exists(STD)


def test_after_each_load_with_bound_items_or_a_saved_spec(platform: Platform) -> None:
    from govdata.govern.pipeline import Loaded
    from govdata.govern.standardize.step import standardize_step

    publish(platform)
    other = TableRef("raw", "gaj", "unbound")
    platform.lake.write(other, platform.lake.dataset(REF).to_table())
    with platform.unit() as s:
        resource = get_resource(s, CODE)

        def loaded(ref: TableRef, res: object) -> Loaded:
            return Loaded(s, platform.lake, platform.audit, Actor.system("govern"), None, None, res, ref)  # type: ignore[arg-type]

        standardize_step(loaded(REF, resource))  # xb binds the gender element
        standardize_step(loaded(other, None))  # no binding, no saved spec: waits
    assert platform.lake.exists(STD)
    assert not platform.lake.exists(TableRef("std", "gaj", "unbound"))


def test_cli_prints_the_report(platform: Platform) -> None:
    import json

    from tests.conftest import SECRET
    from typer.testing import CliRunner

    from govdata.cli.main import app as cli

    publish(platform)
    env = {"GOVDATA_DATABASE_URL": platform.settings.database_url or "", "GOVDATA_SECRET_KEY": SECRET}
    home = str(platform.settings.home)
    result = CliRunner().invoke(cli, ["govern", "standardize", CODE, "--home", home, "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows_out"] == 5
    table = CliRunner().invoke(cli, ["govern", "standardize", CODE, "--home", home], env=env)
    assert table.exit_code == 0 and "sfzh" in table.stdout
    missing = CliRunner().invoke(cli, ["govern", "standardize", "no/such", "--home", home], env=env)
    assert missing.exit_code == 1
