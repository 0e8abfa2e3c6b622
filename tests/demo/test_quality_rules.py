"""The quality rules on the demo city's registry and companies: each planted defect kind is found by
its rule with exactly the planted keys — the consistency rules too, although the demo writes dates
and genders in several spellings, which must not count as contradictions — and the referential rule
flags exactly the legal representatives the registry lacks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest

from govdata.demo import DemoManifest
from govdata.govern.quality import RuleBinding, check_table, failing_keys
from govdata.lake import Lake, TableRef

City = tuple[Path, DemoManifest]
REGISTRY = TableRef("raw", "gaj", "hj_rk")
COMPANIES = TableRef("raw", "scjgj", "qy_jbxx")
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


@pytest.fixture(scope="module")
def lake(city: City, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The registry and the companies as the raw layer holds them (text as in the source)."""
    out, _ = city
    lake = Lake(str(tmp_path_factory.mktemp("rules-lake")))
    for ref, query in [(REGISTRY, "SELECT * FROM hj_rk"), (COMPANIES, "SELECT qyid, fddbrsfzh FROM qy_jbxx")]:
        with sqlite3.connect(out / "sources" / f"{ref.dept}.sqlite") as con:
            cursor = con.execute(query)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        lake.write(
            ref,
            pa.table(
                {
                    n: pa.array([str(r[i]) if r[i] is not None else None for r in rows], pa.string())
                    for i, n in enumerate(names)
                }
            ),
        )
    return lake


def _planted(manifest: DemoManifest, kind: str, column: str, table: str = "hj_rk") -> set[str]:
    return {str(k) for d in manifest.defects_of(table, kind) if d.column == column for k in d.keys}


@pytest.mark.parametrize(
    ("kind", "binding", "reason"),
    [
        ("bad_checksum", RuleBinding("id_number", ("sfzh",)), "check_char"),
        ("id15", RuleBinding("id_number", ("sfzh",)), "id15"),
        ("duplicate", RuleBinding("uniqueness", ("sfzh",)), None),
        ("null", RuleBinding("not_null", ("hjdz",)), None),
        ("date_format", RuleBinding("pattern", ("csrq",), {"pattern": ISO_DATE}), None),
        ("gender_format", RuleBinding("code_set", ("xb",), {"values": ["1", "2"]}), None),
        ("birth_mismatch", RuleBinding("id_birth_date", ("sfzh", "csrq")), "mismatch"),
        ("gender_mismatch", RuleBinding("id_gender", ("sfzh", "xb")), "mismatch"),
    ],
)
def test_planted_registry_defects_are_found_exactly(
    city: City, lake: Lake, kind: str, binding: RuleBinding, reason: str | None
) -> None:
    _, manifest = city
    planted = _planted(manifest, kind, binding.columns[-1])
    assert planted, f"the demo plants no {kind} defects in {binding.columns[-1]}"
    found = failing_keys(lake, REGISTRY, binding, ["rkid"], reason=reason).column("rkid").to_pylist()
    assert set(found) == planted and len(found) == len(planted)


def test_consistency_rules_compare_every_row_and_flag_only_the_planted(city: City, lake: Lake) -> None:
    _, manifest = city
    bindings = [RuleBinding("id_birth_date", ("sfzh", "csrq")), RuleBinding("id_gender", ("sfzh", "xb"))]
    report = check_table(lake, REGISTRY, bindings, ["rkid"])
    rows = manifest.truth.row_counts["hj_rk"]
    births, genders = report.result("id_birth_date"), report.result("id_gender")
    assert births.failed_rows == len(_planted(manifest, "birth_mismatch", "csrq"))
    assert genders.failed_rows == len(_planted(manifest, "gender_mismatch", "xb"))
    assert dict(births.reasons) == {"mismatch": births.failed_rows}
    # every row with an ID is compared — the odd date and gender spellings included
    assert births.checked_rows == rows
    assert genders.checked_rows == rows


def test_legal_representatives_missing_from_the_registry_are_found_exactly(city: City, lake: Lake) -> None:
    _, manifest = city
    planted = _planted(manifest, "dangling", "fddbrsfzh", "qy_jbxx")
    assert planted
    binding = RuleBinding("referential", ("fddbrsfzh",), {"table": REGISTRY.key, "column": "sfzh"})
    result = check_table(lake, COMPANIES, [binding], ["qyid"]).result("referential")
    assert result.checked_rows == manifest.truth.row_counts["qy_jbxx"]
    assert result.failed_rows == len(planted)
    found = failing_keys(lake, COMPANIES, binding, ["qyid"], reason="dangling").column("qyid").to_pylist()
    assert set(found) == planted and len(found) == len(planted)
