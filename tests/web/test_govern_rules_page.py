"""The quality rules page: effective bindings with where they come from, the add form per rule (an
HTMX partial), adding, switching off and on, restoring and deleting through HTMX, refusals in the
page language, read-only and forbidden users, and the links to the page."""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from govdata.catalog import get_resource
from govdata.govern import recheck_resource
from govdata.govern.service import catalog_bindings
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord
from tests.conftest import Org
from tests.govern.quality_seed import CODE, REF, publish_with_mobile

PAGE = f"/govern/rules/{quote(CODE)}"
HX = {"HX-Request": "true"}
Login = Callable[[str], str]


@pytest.fixture
def people(platform: Platform, org: Org) -> None:
    """gaj's people table (4 bad IDs, 3 blank names), its phone column bound to the mobile element."""
    publish_with_mobile(platform)


def _soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _rows(soup: BeautifulSoup) -> dict[tuple[str, str], dict[str, str]]:
    """The bindings table by (rule, columns): origin, enabled, id and the action buttons' classes."""
    out = {}
    for tr in soup.select("#rules-table tbody tr[data-rule]"):
        buttons = [c for b in tr.select("button") for c in b.get("class", []) if c.startswith("rules-")]
        out[(str(tr["data-rule"]), str(tr["data-columns"]))] = {
            "origin": str(tr["data-origin"]),
            "enabled": str(tr["data-enabled"]),
            "id": str(tr.get("data-id", "")),
            "origin_text": tr.select_one(".rules-origin").get_text(" ", strip=True),
            "buttons": " ".join(buttons),
        }
    return out


def _bindings(platform: Platform) -> set[tuple[str, tuple[str, ...]]]:
    with platform.unit() as s:
        resource = get_resource(s, CODE)
        return {(b.rule_name, b.columns) for b in catalog_bindings(resource, platform.lake.schema(REF))}


def _changes(platform: Platform) -> list[tuple[str, str]]:
    """(actor, change) of every audited binding change, oldest first."""
    with platform.unit() as s:
        records = s.scalars(
            sa.select(AuditRecord).where(AuditRecord.action == "quality.rule_saved").order_by(AuditRecord.seq)
        ).all()
        return [(r.actor, json.loads(r.detail)["change"]) for r in records]


def test_page_lists_effective_bindings_with_where_they_come_from(
    client: TestClient, people: None, portal_login: Login
) -> None:
    portal_login("gaj_officer")
    page = client.get(PAGE)
    assert page.status_code == 200, page.text
    soup = _soup(page.text)
    assert soup.select_one("h1").get_text().startswith("质量规则")
    rows = _rows(soup)
    assert rows[("not_null", "xm")]["origin"] == "required"
    assert rows[("id_number", "sfzh")]["origin"] == "suggested"
    assert rows[("uniqueness", "sfzh")]["origin"] == "key"
    phone = rows[("phone", "lxdh")]
    assert phone["origin"] == "element" and "mobile" in phone["origin_text"]
    assert all(r["buttons"] == "rules-disable" for r in rows.values())  # derived: switch off only
    form = soup.select_one("#rules-form")
    assert form is not None and form["hx-post"] == f"{PAGE}/add"
    assert [o["value"] for o in form.select("#rules-columns option")] == ["rkid", "xm", "sfzh", "lxdh"]
    registry = {o["value"] for o in form.select("#rules-rule option")}
    assert {"range", "referential", "custom_sql", "id_gender"} <= registry
    english = _soup(client.get(f"{PAGE}?lang=en").text)
    assert english.select_one("h1").get_text().startswith("Quality rules")
    assert english.select_one("#rules-form")["hx-post"] == f"{PAGE}/add?lang=en"


def test_choosing_a_rule_fetches_its_form(client: TestClient, people: None, portal_login: Login) -> None:
    portal_login("gaj_officer")
    part = client.get(f"{PAGE}/form", params={"rule": "range"}, headers=HX)
    assert part.status_code == 200
    soup = _soup(part.text)
    assert soup.select_one("html") is None and soup.select_one("#rules-add") is not None  # a partial
    assert soup.select_one("#rules-form")["data-rule"] == "range"
    assert soup.select_one("#rules-params")["placeholder"] == '{"min": 0, "max": 150}'
    assert "min_inclusive" in soup.select_one("#rules-params-hint").get_text()
    assert soup.select_one("#rules-blocking") is not None  # a row-level rule may block
    unique = _soup(client.get(f"{PAGE}/form", params={"rule": "uniqueness"}, headers=HX).text)
    assert unique.select_one("#rules-blocking") is None
    assert "1–∞" in unique.select_one("#rules-columns-hint").get_text()
    english = _soup(client.get(f"{PAGE}/form", params={"rule": "referential", "lang": "en"}, headers=HX).text)
    assert "the referenced lake table" in english.select_one("#rules-params-hint").get_text()


def test_add_a_binding_through_htmx(
    client: TestClient, people: None, portal_login: Login, platform: Platform
) -> None:
    csrf = portal_login("gaj_officer")
    data = {
        "csrf_token": csrf,
        "rule": "length",
        "columns": ["xm"],
        "params": '{"max": 2}',
        "blocking": "true",
    }
    added = client.post(f"{PAGE}/add", data=data, headers=HX)
    assert added.status_code == 200, added.text
    soup = _soup(added.text)
    assert soup.select_one("html") is None and soup.select_one("#rules-body") is not None
    assert soup.select_one("#rules-done") is not None
    row = soup.select_one("#rules-table tr[data-rule=length]")
    assert row["data-origin"] == "stored" and row["data-id"]
    assert "阻断" in row.get_text() and '"max": 2' in row.select_one(".rules-params").get_text()
    assert ("length", ("xm",)) in _bindings(platform)
    assert _changes(platform) == [("gaj_officer", "added")]
    # without HTMX the post redirects back to the page
    plain = client.post(
        f"{PAGE}/add",
        data={"csrf_token": csrf, "rule": "not_null", "columns": ["lxdh"]},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == PAGE


@pytest.mark.parametrize(
    ("data", "status", "zh", "en"),
    [
        ({"rule": "range", "columns": ["xm"], "params": "{max: 2"}, 422, "JSON 对象", "one JSON object"),
        ({"rule": "range", "columns": ["nope"], "params": '{"min": 1}'}, 422, "nope", "nope"),
        (
            {"rule": "custom_sql", "params": '{"expression": "length(xmm) > 1"}'},
            422,
            "自定义SQL",
            "Custom SQL",
        ),
        ({"rule": "uniqueness", "columns": ["xm"], "blocking": "true"}, 422, "不能设为阻断", "cannot block"),
    ],
)
def test_a_refused_binding_shows_why_in_the_page_language(
    client: TestClient,
    people: None,
    portal_login: Login,
    data: dict[str, object],
    status: int,
    zh: str,
    en: str,
) -> None:
    csrf = portal_login("gaj_officer")
    for suffix, expected in (("", zh), ("?lang=en", en)):
        refused = client.post(f"{PAGE}/add{suffix}", data={"csrf_token": csrf, **data}, headers=HX)
        assert refused.status_code == status, refused.text
        soup = _soup(refused.text)
        error = soup.select_one("#rules-error")
        assert error is not None and expected in error.get_text(), error
        assert error.select_one(".hint") is not None  # what to do next
        # the form keeps what was typed, for the rule that was chosen
        assert soup.select_one("#rules-form")["data-rule"] == data["rule"]
        assert soup.select_one("#rules-params").get_text() == data.get("params", "")
    assert all(origin != "stored" for origin in [r["origin"] for r in _rows(soup).values()])


def test_a_duplicate_is_refused_with_409(client: TestClient, people: None, portal_login: Login) -> None:
    csrf = portal_login("gaj_officer")
    data = {"csrf_token": csrf, "rule": "length", "columns": ["xm"], "params": '{"max": 2}'}
    assert client.post(f"{PAGE}/add", data=data, headers=HX).status_code == 200
    again = client.post(f"{PAGE}/add?lang=en", data=data, headers=HX)
    assert again.status_code == 409
    assert "already binds rule length" in _soup(again.text).select_one("#rules-error").get_text()
    whole = client.post(f"{PAGE}/add", data=data)  # without HTMX: the whole page, with the message
    assert whole.status_code == 409 and _soup(whole.text).select_one("h1") is not None
    assert _soup(whole.text).select_one("#rules-error") is not None


def test_switch_a_derived_binding_off_and_back_on(
    client: TestClient, people: None, portal_login: Login, platform: Platform
) -> None:
    csrf = portal_login("gaj_officer")
    off = client.post(
        f"{PAGE}/disable-derived", data={"csrf_token": csrf, "rule": "phone", "columns": ["lxdh"]}, headers=HX
    )
    assert off.status_code == 200, off.text
    row = _rows(_soup(off.text))[("phone", "lxdh")]
    assert (row["origin"], row["enabled"], row["buttons"]) == ("stored", "false", "rules-enable")
    assert "mobile" in row["origin_text"] and "数据元" in row["origin_text"]  # what it overrides
    assert ("phone", ("lxdh",)) not in _bindings(platform)
    on = client.post(f"{PAGE}/bindings/{row['id']}/delete", data={"csrf_token": csrf}, headers=HX)
    assert on.status_code == 200
    back = _rows(_soup(on.text))[("phone", "lxdh")]
    assert (back["origin"], back["enabled"], back["id"]) == ("element", "true", "")
    assert ("phone", ("lxdh",)) in _bindings(platform)
    gone = client.post(
        f"{PAGE}/disable-derived?lang=en",
        data={"csrf_token": csrf, "rule": "phone", "columns": ["xm"]},
        headers=HX,
    )
    assert gone.status_code == 404
    assert "no derived rule phone" in _soup(gone.text).select_one("#rules-error").get_text()


def test_switch_a_stored_binding_off_on_and_delete_it(
    client: TestClient, people: None, portal_login: Login, platform: Platform
) -> None:
    csrf = portal_login("gaj_officer")
    data = {"csrf_token": csrf, "rule": "length", "columns": ["xm"], "params": '{"max": 2}'}
    row = _rows(_soup(client.post(f"{PAGE}/add", data=data, headers=HX).text))[("length", "xm")]
    assert row["buttons"] == "rules-disable rules-delete"
    url = f"{PAGE}/bindings/{row['id']}"
    off = _rows(_soup(client.post(f"{url}/disable", data={"csrf_token": csrf}, headers=HX).text))
    assert off[("length", "xm")]["enabled"] == "false" and ("length", ("xm",)) not in _bindings(platform)
    on = _rows(_soup(client.post(f"{url}/enable", data={"csrf_token": csrf}, headers=HX).text))
    assert on[("length", "xm")]["enabled"] == "true" and ("length", ("xm",)) in _bindings(platform)
    deleted = client.post(f"{url}/delete", data={"csrf_token": csrf}, headers=HX)
    assert deleted.status_code == 200 and ("length", "xm") not in _rows(_soup(deleted.text))
    missing = client.post(f"{url}/delete", data={"csrf_token": csrf}, headers=HX)
    assert missing.status_code == 404 and _soup(missing.text).select_one("#rules-error") is not None
    assert client.post(f"{url}/explode", data={"csrf_token": csrf}, headers=HX).status_code == 422
    assert [change for _, change in _changes(platform)] == ["added", "updated", "updated", "deleted"]


def test_who_may_read_and_who_may_change(
    client: TestClient, people: None, portal_login: Login, platform: Platform
) -> None:
    portal_login("mzj_user")  # no quality.read
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/form", params={"rule": "range"}, headers=HX).status_code == 403
    csrf = portal_login("mzj_officer")  # quality.feedback, but another department's resource
    soup = _soup(client.get(PAGE).text)
    assert soup.select_one("#rules-form") is None and soup.select_one("#rules-read-only") is not None
    assert not soup.select("#rules-table button")
    data = {"csrf_token": csrf, "rule": "length", "columns": ["xm"], "params": '{"max": 2}'}
    assert client.post(f"{PAGE}/add", data=data, headers=HX).status_code == 403
    derived = {"csrf_token": csrf, "rule": "phone", "columns": ["lxdh"]}
    assert client.post(f"{PAGE}/disable-derived", data=derived, headers=HX).status_code == 403
    csrf = portal_login("secadmin")  # reads quality, changes nothing
    assert _soup(client.get(PAGE).text).select_one("#rules-read-only") is not None
    assert client.post(f"{PAGE}/add", data={**data, "csrf_token": csrf}, headers=HX).status_code == 403
    assert ("length", ("xm",)) not in _bindings(platform)


def test_the_resource_page_and_the_quality_page_link_here(
    client: TestClient, people: None, portal_login: Login, platform: Platform
) -> None:
    with platform.unit() as s:  # open the table's issues
        recheck_resource(s, platform.lake, platform.audit, Actor.system("t"), get_resource(s, CODE), 15)
    portal_login("gaj_officer")
    resource = _soup(client.get(f"/catalog/resources/{quote(CODE)}").text)
    assert resource.select_one("#rules-link")["href"] == PAGE
    quality = _soup(client.get("/quality").text)
    assert PAGE in {a["href"] for a in quality.select("#quality-issues a.rules-link")}
    issue = quality.select_one("#quality-issues td a")["href"]
    assert _soup(client.get(issue).text).select_one("#issue-rules-link")["href"] == PAGE
    portal_login("mzj_user")  # cannot read quality: no link
    assert _soup(client.get(f"/catalog/resources/{quote(CODE)}").text).select_one("#rules-link") is None
