"""Planted defects: counts follow RATES and the recorded keys are exactly the defective rows."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl

from govdata.demo import RATES, DemoManifest
from govdata.demo.vocab import TRADITIONAL
from govdata.govern.standards import check_id_number, check_uscc, upgrade_id15

City = tuple[Path, DemoManifest]


def _sql(out: Path, dept: str, query: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(out / "sources" / f"{dept}.sqlite") as con:
        return con.execute(query).fetchall()


def _keys(manifest: DemoManifest, table: str, kind: str) -> set[Any]:
    return {k for d in manifest.defects_of(table, kind) for k in d.keys}


def _births(out: Path) -> list[dict[str, Any]]:
    ws = openpyxl.load_workbook(out / "files" / "wjw_cs_yxzm.xlsx").active
    names = [c.name for c in _spec("cs_yxzm").columns]
    return [
        dict(zip(names, row, strict=True)) for row in ws.iter_rows(min_row=5, max_row=104, values_only=True)
    ]


def _spec(table: str) -> Any:
    from govdata.demo.tables import ALL_TABLES

    return next(s for s in ALL_TABLES if s.table == table)


def test_counts_match_rates(city: City) -> None:
    _, manifest = city
    assert manifest.rates == RATES
    dups = len(_keys(manifest, "hj_rk", "duplicate"))
    for defect in manifest.defects:
        rows = manifest.truth.row_counts[defect.table] - (dups if defect.table == "hj_rk" else 0)
        assert len(defect.keys) == round(RATES[defect.kind] * rows), (
            defect.table,
            defect.column,
            defect.kind,
        )
        assert len(set(defect.keys)) == len(defect.keys)
    kinds = {d.kind for d in manifest.defects if d.keys}
    assert kinds == set(RATES)


def test_registry_ids_valid_except_planted(city: City) -> None:
    out, manifest = city
    rows = _sql(out, "gaj", "SELECT rkid, sfzh FROM hj_rk")
    assert len(rows) == manifest.truth.row_counts["hj_rk"]
    bad, old = _keys(manifest, "hj_rk", "bad_checksum"), _keys(manifest, "hj_rk", "id15")
    failing = {key for key, sfzh in rows if len(sfzh) == 18 and not check_id_number(sfzh).valid}
    assert failing == bad
    assert {key for key, sfzh in rows if len(sfzh) == 15} == old
    for key, sfzh in rows:
        if key in bad:
            assert check_id_number(sfzh).reason == "check_char"
        elif key in old:
            assert check_id_number(upgrade_id15(sfzh)).valid
    birthplaces = {sfzh[:6] for _, sfzh in rows}
    assert {"330103", "330104", "330102", "110105"} <= birthplaces


def test_ids_in_other_departments_valid_except_planted(city: City) -> None:
    out, manifest = city
    insured = _sql(out, "rsj", "SELECT grbh, sfzh FROM sb_cbry")
    assert {k for k, v in insured if not check_id_number(v).valid} == _keys(
        manifest, "sb_cbry", "bad_checksum"
    )
    reps = _sql(out, "scjgj", "SELECT qyid, shxydm, fddbrsfzh FROM qy_jbxx")
    assert all(check_id_number(v).valid for _, _, v in reps)
    bad_codes = {k for k, code, _ in reps if not check_uscc(code).valid}
    assert bad_codes == _keys(manifest, "qy_jbxx", "bad_checksum")
    assert all(check_uscc(code).warning is None for k, code, _ in reps if k not in bad_codes)
    for row in _births(out):
        assert check_id_number(row["母亲/身份证号"]).valid and check_id_number(row["父亲/身份证号"]).valid
    for record in json.loads((out / "files" / "mzj_db_dx.json").read_text(encoding="utf-8")):
        assert check_id_number(record["sfzh"]).valid


def test_registry_format_and_null_defects_are_exact(city: City) -> None:
    out, manifest = city
    rows = _sql(out, "gaj", "SELECT rkid, xb, csrq, hjdz FROM hj_rk")
    assert {k for k, xb, _, _ in rows if xb not in ("1", "2")} == _keys(manifest, "hj_rk", "gender_format")
    odd_dates = {k for k, _, csrq, _ in rows if not (len(csrq) == 10 and csrq[4] == csrq[7] == "-")}
    assert odd_dates == _keys(manifest, "hj_rk", "date_format")
    assert {k for k, _, _, addr in rows if addr is None} == _keys(manifest, "hj_rk", "null")


def test_duplicates_share_an_id_number(city: City) -> None:
    out, manifest = city
    ids = dict(_sql(out, "gaj", "SELECT rkid, sfzh FROM hj_rk"))
    (defect,) = manifest.defects_of("hj_rk", "duplicate")
    assert defect.ref_keys is not None and len(defect.ref_keys) == len(defect.keys)
    for key, ref in zip(defect.keys, defect.ref_keys, strict=True):
        assert key != ref and ids[key] == ids[ref]
    counts: dict[str, int] = {}
    for sfzh in ids.values():
        counts[sfzh] = counts.get(sfzh, 0) + 1
    assert {s for s, n in counts.items() if n > 1} == {ids[k] for k in defect.keys}


def _same_name(a: str, b: str) -> bool:
    plain = a.replace(" ", "").replace("\u3000", "")
    reverse = {v: k for k, v in TRADITIONAL.items()}
    return "".join(reverse.get(ch, ch) for ch in plain) == b


def test_spelling_defects_point_at_the_registry(city: City) -> None:
    out, manifest = city
    registry = dict(_sql(out, "gaj", "SELECT rkid, xm FROM hj_rk"))
    insured = dict(_sql(out, "rsj", "SELECT grbh, xm FROM sb_cbry"))
    with (out / "files" / "mzj_hy_djxx.csv").open(encoding="gbk") as f:
        marriages = {line.split(",")[0]: line.split(",")[1] for line in f.read().splitlines()[1:]}
    mothers = {r["出生医学证明编号"]: r["母亲/姓名"] for r in _births(out)}
    names = {"sb_cbry": insured, "hy_djxx": marriages, "cs_yxzm": mothers}
    seen = set()
    for defect in manifest.defects:
        if defect.kind != "spelling":
            continue
        seen.add(defect.table)
        assert defect.ref_table == "hj_rk" and defect.ref_column == "xm" and defect.ref_keys
        for key, ref in zip(defect.keys, defect.ref_keys, strict=True):
            spelled, real = names[defect.table][key], registry[ref]
            assert spelled != real and _same_name(spelled, real), (spelled, real)
    assert seen == {"sb_cbry", "hy_djxx", "cs_yxzm"}


def test_cross_department_people_exist_in_registry_except_planted(city: City) -> None:
    out, manifest = city
    registry = {sfzh for (sfzh,) in _sql(out, "gaj", "SELECT sfzh FROM hj_rk")}
    reps = dict(_sql(out, "scjgj", "SELECT qyid, fddbrsfzh FROM qy_jbxx"))
    (dangling,) = manifest.defects_of("qy_jbxx", "dangling")
    assert (dangling.column, dangling.ref_table, dangling.ref_column) == ("fddbrsfzh", "hj_rk", "sfzh")
    assert dangling.keys and {k for k, v in reps.items() if v not in registry} == set(dangling.keys)
    # no registry row holds them in any spelling: not as an old 15-digit number either
    old = {sfzh for sfzh in registry if len(sfzh) == 15}
    assert not {reps[k][:6] + reps[k][8:17] for k in dangling.keys} & old
    parents = {r["母亲/身份证号"] for r in _births(out)} | {r["父亲/身份证号"] for r in _births(out)}
    assert parents <= registry


_MALE, _FEMALE = {"1", "男", "M"}, {"2", "女", "F"}


def _born(text: str) -> str:
    """A birth date in any spelling the demo writes (``1990-03-05``, ``1990年3月5日``, ``19900305``,
    ``1990/3/5``) as ``YYYYMMDD``."""
    if text.isdigit():
        return text
    year, month, day = (int(p) for p in re.split(r"[年月日/-]", text) if p)
    return f"{year:04d}{month:02d}{day:02d}"


def _id_birth(sfzh: str) -> str:
    return sfzh[6:14] if len(sfzh) == 18 else "19" + sfzh[6:12]


def _id_male(sfzh: str) -> bool:
    return int(sfzh[16] if len(sfzh) == 18 else sfzh[14]) % 2 == 1


def _contradictions(rows: list[tuple[Any, ...]]) -> tuple[set[Any], set[Any]]:
    """Keys of (key, sfzh, gender, birth date) rows whose birth date / gender the ID contradicts."""
    births, genders = set(), set()
    for key, sfzh, gender, born in rows:
        if born is not None and _born(born) != _id_birth(sfzh):
            births.add(key)
        if gender in _MALE | _FEMALE and (gender in _MALE) != _id_male(sfzh):
            genders.add(key)
    return births, genders


def test_birth_dates_and_genders_contradict_the_id_number_only_where_planted(city: City) -> None:
    out, manifest = city
    registry = _sql(out, "gaj", "SELECT rkid, sfzh, xb, csrq FROM hj_rk")
    insured = _sql(out, "rsj", "SELECT grbh, sfzh, xb, NULL FROM sb_cbry")
    records = json.loads((out / "files" / "mzj_db_dx.json").read_text(encoding="utf-8"))
    allowances = [(r["dbzh"], r["sfzh"], r["xb"], r.get("csrq")) for r in records]
    for table, rows in (("hj_rk", registry), ("sb_cbry", insured), ("db_dx", allowances)):
        births, genders = _contradictions(rows)
        assert births == _keys(manifest, table, "birth_mismatch"), table
        assert genders == _keys(manifest, table, "gender_mismatch"), table
    assert _keys(manifest, "hj_rk", "birth_mismatch") and _keys(manifest, "hj_rk", "gender_mismatch")
    assert _keys(manifest, "sb_cbry", "gender_mismatch") and _keys(manifest, "db_dx", "birth_mismatch")
    # a contradicting birth date is still a real date written the column's way
    planted = _keys(manifest, "hj_rk", "birth_mismatch")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", born) for key, _, _, born in registry if key in planted)
