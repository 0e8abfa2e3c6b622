"""Rule bindings API: effective bindings with their origin, element rules, adding, overriding,
disabling and validating stored bindings, by role; the checks the stored bindings drive."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from govdata.catalog import get_resource
from govdata.govern.models import DataElement
from govdata.govern.quality.stored import _element_params
from govdata.govern.service import catalog_bindings, check_resource
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord
from tests.conftest import Org
from tests.govern.quality_seed import CODE, REF, publish_with_mobile

API = "/api/v1/govern/rules"
BINDINGS = f"{API}/resources/{CODE}/bindings"


@pytest.fixture
def people(platform: Platform, org: Org) -> None:
    """gaj's people table (4 bad IDs, 3 blank names), its phone column bound to the mobile element."""
    publish_with_mobile(platform)


def _by(rows: list[dict[str, object]]) -> dict[tuple[str, tuple[str, ...]], dict[str, object]]:
    return {(str(r["rule"]), tuple(r["columns"])): r for r in rows}  # type: ignore[arg-type]


def test_effective_bindings_say_where_they_come_from(
    client: TestClient, token: Callable[[str], dict[str, str]], people: None
) -> None:
    rows = _by(client.get(BINDINGS, headers=token("gaj_officer")).json())
    assert rows[("not_null", ("xm",))]["origin"] == "required"
    assert rows[("id_number", ("sfzh",))]["origin"] == "suggested"
    phone = rows[("phone", ("lxdh",))]
    assert (phone["origin"], phone["element"], phone["id"], phone["enabled"]) == (
        "element",
        "mobile",
        None,
        True,
    )
    assert client.get(BINDINGS, headers=token("mzj_user")).status_code == 403  # no quality.read
    registry = {r["name"]: r for r in client.get(f"{API}/registry", headers=token("gaj_officer")).json()}
    assert (
        registry["uniqueness"]["row_level"] is False and registry["id_gender"]["dimension"] == "consistency"
    )


def test_add_override_disable_and_audit(
    client: TestClient, token: Callable[[str], dict[str, str]], people: None, platform: Platform
) -> None:
    officer = token("gaj_officer")
    added = client.post(
        BINDINGS, headers=officer, json={"rule": "length", "columns": ["xm"], "params": {"max": 2}}
    )
    assert added.status_code == 201, added.text
    binding = added.json()
    assert (binding["origin"], binding["dimension"], binding["blocking"]) == ("stored", "validity", False)
    again = client.post(
        BINDINGS, headers=officer, json={"rule": "length", "columns": ["xm"], "params": {"max": 3}}
    )
    assert again.json()["error"]["code"] == "govern.rules.duplicate"
    # switch the derived ID check off by storing an override, then back on
    off = client.post(
        BINDINGS, headers=officer, json={"rule": "id_number", "columns": ["sfzh"], "enabled": False}
    )
    assert off.status_code == 201
    rows = _by(client.get(BINDINGS, headers=officer).json())
    assert (
        rows[("id_number", ("sfzh",))]["enabled"] is False
        and rows[("length", ("xm",))]["id"] == binding["id"]
    )
    with platform.unit() as s:
        resource = get_resource(s, CODE)
        names = {(b.rule_name, b.columns) for b in catalog_bindings(resource, platform.lake.schema(REF))}
        assert ("id_number", ("sfzh",)) not in names and ("length", ("xm",)) in names
        run = check_resource(s, platform.lake, platform.audit, Actor.system("t"), resource)
        failed = {c.rule: c.failed_rows for c in run.checks}
        assert "id_number" not in failed and failed["length"] > 0
        saved = s.scalars(
            sa.select(AuditRecord).where(AuditRecord.action == "quality.rule_saved").order_by(AuditRecord.seq)
        ).all()
        assert len(saved) == 2 and saved[0].actor == "gaj_officer"
    on = client.put(
        f"{BINDINGS}/{off.json()['id']}", headers=officer, json={"rule": "id_number", "columns": ["sfzh"]}
    )
    assert on.status_code == 200 and on.json()["enabled"] is True
    missing = client.put(
        f"{BINDINGS}/99999", headers=officer, json={"rule": "id_number", "columns": ["sfzh"]}
    )
    assert missing.json()["error"]["code"] == "govern.rules.binding_not_found"
    other = client.post(
        BINDINGS, headers=token("mzj_officer"), json={"rule": "not_null", "columns": ["lxdh"]}
    )
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"rule": "custom_sql", "params": {"expression": "length(xmm) > 1", "name": "姓名长度"}},
            "govern.quality.bad_sql",
        ),
        (
            {"rule": "custom_sql", "params": {"expression": "(SELECT 1 FROM read_csv('x')) = 1"}},
            "govern.quality.bad_sql",
        ),
        ({"rule": "uniqueness", "columns": ["xm"], "blocking": True}, "govern.rules.not_blocking"),
        ({"rule": "range", "columns": ["nope"], "params": {"min": 1}}, "govern.quality.unknown_column"),
        ({"rule": "range", "columns": ["xm"], "params": {}}, "govern.quality.bad_params"),
        ({"rule": "colour", "columns": ["xm"]}, "govern.quality.unknown_rule"),
        (
            {
                "rule": "referential",
                "columns": ["sfzh"],
                "params": {"table": "raw.gaj.hj_rk_q", "column": "x"},
            },
            "govern.quality.unknown_column",
        ),
    ],
)
def test_bad_bindings_are_refused_before_saving(
    client: TestClient,
    token: Callable[[str], dict[str, str]],
    people: None,
    body: dict[str, object],
    code: str,
) -> None:
    officer = token("gaj_officer")
    checked = client.post(f"{API}/resources/{CODE}/validate", headers=officer, json=body)
    assert checked.json()["error"]["code"] == code
    assert checked.json()["error"]["message_en"]
    assert client.post(BINDINGS, headers=officer, json=body).json()["error"]["code"] == code
    assert all(r["origin"] != "stored" for r in client.get(BINDINGS, headers=officer).json())


def test_validate_accepts_a_good_custom_rule(
    client: TestClient, token: Callable[[str], dict[str, str]], people: None
) -> None:
    body = {
        "rule": "custom_sql",
        "params": {"expression": "length(sfzh) = 18", "name": "十八位"},
        "blocking": True,
    }
    checked = client.post(f"{API}/resources/{CODE}/validate", headers=token("gaj_officer"), json=body)
    assert checked.status_code == 200 and checked.json()["rule"] == "custom_sql"


def test_element_rules_take_the_code_table_and_format(platform: Platform, people: None) -> None:
    with platform.unit() as s:
        gender = s.scalars(sa.select(DataElement).where(DataElement.identifier == "gender")).one()
        values = _element_params("code_set", gender)
        assert values is not None and {"1", "2", "男", "女", "9"} <= set(values["values"])
        born = s.scalars(sa.select(DataElement).where(DataElement.identifier == "birth_date")).one()
        # a normalized element's format is the std form: no pattern check on raw values
        assert _element_params("pattern", born) is None
        plain = DataElement(identifier="zip", name="邮编", data_type="字符", format="n6", normalizer=None)
        assert _element_params("pattern", plain) == {"pattern": "^[0-9]{6}$"}
        assert _element_params("range", born) is None


def test_delete_a_stored_binding_restores_the_derived_one(
    client: TestClient, token: Callable[[str], dict[str, str]], people: None, platform: Platform
) -> None:
    officer = token("gaj_officer")
    off = client.post(
        BINDINGS, headers=officer, json={"rule": "phone", "columns": ["lxdh"], "enabled": False}
    )
    assert off.status_code == 201
    row = _by(client.get(BINDINGS, headers=officer).json())[("phone", ("lxdh",))]
    assert (row["origin"], row["overrides"], row["element"], row["enabled"]) == (
        "stored",
        "element",
        "mobile",
        False,
    )
    assert client.delete(f"{BINDINGS}/{off.json()['id']}", headers=token("mzj_officer")).status_code == 403
    gone = client.delete(f"{BINDINGS}/{off.json()['id']}", headers=officer)
    assert gone.status_code == 204
    row = _by(client.get(BINDINGS, headers=officer).json())[("phone", ("lxdh",))]
    assert (row["origin"], row["overrides"], row["id"], row["enabled"]) == ("element", None, None, True)
    again = client.delete(f"{BINDINGS}/{off.json()['id']}", headers=officer)
    assert again.json()["error"]["code"] == "govern.rules.binding_not_found"
    with platform.unit() as s:
        details = s.scalars(
            sa.select(AuditRecord.detail)
            .where(AuditRecord.action == "quality.rule_saved")
            .order_by(AuditRecord.seq)
        ).all()
    assert [json.loads(d)["change"] for d in details] == ["added", "deleted"]


def test_registry_says_how_many_columns_a_rule_binds(
    client: TestClient, token: Callable[[str], dict[str, str]], people: None
) -> None:
    registry = {r["name"]: r for r in client.get(f"{API}/registry", headers=token("gaj_officer")).json()}
    assert (registry["id_gender"]["min_columns"], registry["id_gender"]["max_columns"]) == (2, 2)
    assert registry["not_null"]["max_columns"] is None and registry["custom_sql"]["min_columns"] == 0
