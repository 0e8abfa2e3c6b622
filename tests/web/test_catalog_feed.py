"""Change-feed API and portal: subscriptions with a secret shown once, the inbox, the delivery log,
the test event against a real receiver, and who may do what."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from govdata.catalog import ResourceIn, get_resource
from govdata.catalog import lifecycle as lc
from govdata.catalog.feed_webhook import deliver_pending
from govdata.catalog.lifecycle_view import entry_of
from govdata.catalog.models import Subscription
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord
from tests.catalog.feed_receiver import receiver
from tests.conftest import Org
from tests.factories import publish_people

API = "/api/v1/catalog/feed"
CODE = "330100/1010/gaj-0001"
Token = Callable[[str], dict[str, str]]


def _error(resp) -> str:  # type: ignore[no-untyped-def]
    return str(resp.json()["error"]["code"])


def test_subscribe_secret_shown_once_and_stored_encrypted(
    client: TestClient, token: Token, platform: Platform
) -> None:
    mzj = token("mzj_user")
    resp = client.post(f"{API}/subscriptions", json={"webhook_url": "https://10.8.0.2/hooks"}, headers=mzj)
    assert resp.status_code == 201, resp.text
    created = resp.json()
    assert created["resource"] is None and created["department"] == "mzj" and len(created["secret"]) >= 32
    listed = client.get(f"{API}/subscriptions", headers=mzj).json()
    assert [s["id"] for s in listed] == [created["id"]] and listed[0]["secret"] is None
    with platform.unit() as s:
        stored = s.get(Subscription, created["id"])
        assert stored is not None and stored.secret and created["secret"] not in stored.secret
        actions = s.execute(select(AuditRecord.action).where(AuditRecord.actor == "mzj_user")).scalars().all()
    assert "catalog.feed.subscribed" in actions

    again = client.post(f"{API}/subscriptions", json={"webhook_url": "https://10.8.0.2/hooks"}, headers=mzj)
    assert again.status_code == 409 and _error(again) == "catalog.feed.duplicate"
    bad = client.post(f"{API}/subscriptions", json={"webhook_url": "ftp://10.8.0.2/x"}, headers=mzj)
    assert bad.status_code == 422 and _error(bad) == "catalog.feed.bad_url"
    weak = client.post(
        f"{API}/subscriptions", json={"webhook_url": "http://h/x", "secret": "short"}, headers=mzj
    )
    assert weak.status_code == 422 and _error(weak) == "catalog.feed.weak_secret"
    unknown = client.post(f"{API}/subscriptions", json={"resource": "no/such"}, headers=mzj)
    assert unknown.status_code == 404


def test_who_may_subscribe_and_whose_subscription(client: TestClient, token: Token) -> None:
    assert client.get(f"{API}/subscriptions", headers=token("auditor")).status_code == 403
    assert client.get(f"{API}/subscriptions", headers=token("sysadmin")).status_code == 403
    secadmin = client.get(f"{API}/subscriptions", headers=token("secadmin"))  # catalog.read, no department
    assert secadmin.status_code == 403 and _error(secadmin) == "catalog.feed.no_department"
    assert client.get(f"{API}/notices").status_code == 401

    mine = client.post(f"{API}/subscriptions", json={}, headers=token("mzj_user")).json()
    other = token("gaj_officer")
    assert client.delete(f"{API}/subscriptions/{mine['id']}", headers=other).status_code == 403
    assert client.get(f"{API}/subscriptions/{mine['id']}/deliveries", headers=other).status_code == 403
    assert client.get(f"{API}/subscriptions", headers=other).json() == []
    assert client.delete(f"{API}/subscriptions/{mine['id']}", headers=token("mzj_officer")).status_code == 204
    assert client.get(f"{API}/subscriptions", headers=token("mzj_user")).json() == []


def test_inbox_unread_first_and_mark_read(client: TestClient, token: Token, platform: Platform) -> None:
    mzj = token("mzj_user")
    client.post(f"{API}/subscriptions", json={}, headers=mzj)  # every resource, portal only
    publish_people(platform, code=CODE)
    publish_people(platform, code="330100/1010/gaj-0002")
    page = client.get(f"{API}/notices", headers=mzj).json()
    assert page["total"] == 2 and page["unread"] == 2
    first, second = page["items"]
    assert {first["resource"]["code"], second["resource"]["code"]} == {CODE, "330100/1010/gaj-0002"}
    assert first["kind"] == "published" and first["reason"] == "subscription" and not first["read"]

    assert client.post(f"{API}/notices/{second['id']}/read", headers=mzj).json() == {"marked": 1}
    items = client.get(f"{API}/notices", headers=mzj).json()["items"]
    assert [n["id"] for n in items] == [first["id"], second["id"]] and [n["read"] for n in items] == [
        False,
        True,
    ]
    assert client.get(f"{API}/notices?unread=true", headers=mzj).json()["total"] == 1
    assert client.post(f"{API}/notices/{first['id']}/read", headers=token("gaj_officer")).status_code == 404
    assert client.post(f"{API}/notices/read-all", headers=mzj).json() == {"marked": 1}
    assert client.get(f"{API}/notices", headers=mzj).json()["unread"] == 0
    assert client.get(f"{API}/notices", headers=token("gaj_officer")).json()["total"] == 0  # the provider


def test_delivery_log_and_test_event_against_a_real_receiver(
    client: TestClient, token: Token, platform: Platform
) -> None:
    mzj = token("mzj_user")
    secret = "shared-secret-of-the-mzj-receiver"
    with receiver(secret, statuses=[500]) as rx:
        sub = client.post(
            f"{API}/subscriptions", json={"webhook_url": rx.url, "secret": secret}, headers=mzj
        ).json()
        publish_people(platform, code=CODE)
        deliver_pending(platform)
        (log,) = client.get(f"{API}/subscriptions/{sub['id']}/deliveries", headers=mzj).json()
        assert (
            log["status"] == "pending" and log["attempts"] == 1 and log["last_error"].startswith("HTTP 500")
        )
        assert log["resource"] == CODE and log["next_attempt_at"] is not None

        ping = client.post(f"{API}/subscriptions/{sub['id']}/test", headers=mzj).json()
        assert ping == {"delivered": True, "status_code": 200, "error": None}
        assert rx.verified[-1].headers["x-govdata-event"] == "test" and rx.verified[-1].json["kind"] == "test"

        rx.secret = "the-receiver-rotated-its-secret"  # now the signatures no longer verify
        ping = client.post(f"{API}/subscriptions/{sub['id']}/test", headers=mzj).json()
        assert ping["delivered"] is False and ping["status_code"] == 401
    listed = client.get(f"{API}/subscriptions", headers=mzj).json()
    assert listed[0]["deliveries"] == {"pending": 1}


# --- portal -----------------------------------------------------------------------------------------


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_portal_inbox_badge_and_subscribe_button(
    client: TestClient, portal_login: Callable[[str], str], platform: Platform, org: Org
) -> None:
    publish_people(platform, code=CODE)
    csrf = portal_login("mzj_user")
    detail = soup(client.get(f"/catalog/resources/{CODE}").text)
    assert detail.select_one("#feed-button-slot") is not None
    assert soup(client.get("/open").text).select_one("#feed-link") is not None
    button = soup(client.get("/catalog/feed/button", params={"resource": CODE}).text)
    assert button.select_one("#feed-subscribe") is not None

    form = {"resource": CODE, "next": f"/catalog/resources/{CODE}"}
    assert (
        client.post("/catalog/feed/subscribe", data=form, follow_redirects=False).status_code == 403
    )  # no CSRF
    resp = client.post("/catalog/feed/subscribe", data={**form, "csrf_token": csrf}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == f"/catalog/resources/{CODE}"
    button = soup(client.get("/catalog/feed/button", params={"resource": CODE}).text)
    assert button.select_one("#feed-unsubscribe") is not None

    publish_people(platform, code="330100/1010/gaj-0003")  # not subscribed: no notice
    with platform.unit() as s:
        system = Actor.system("test")
        data: ResourceIn = entry_of(get_resource(s, CODE)).model_copy(update={"summary": "新摘要"})
        lc.revise(s, platform.audit, system, CODE, data, "更新摘要")
        lc.publish_directly(s, platform.audit, system, CODE)
    assert soup(client.get("/catalog/feed/badge").text).select_one("#feed-unread").text == "1"
    inbox = soup(client.get("/catalog/feed").text)
    rows = inbox.select("#feed-notices tbody tr[id^=notice-]")
    assert len(rows) == 1 and "户籍人口基本信息" in rows[0].text and "summary" in rows[0].text
    assert "更新摘要" in rows[0].text
    notice_id = rows[0]["id"].split("-")[1]
    client.post("/catalog/feed/read", data={"notice_id": notice_id, "csrf_token": csrf})
    assert soup(client.get("/catalog/feed/badge").text).select_one("#feed-unread") is None
    assert "Catalog changes" in client.get("/catalog/feed?lang=en").text


def test_portal_webhook_secret_shown_once_and_delivery_log(
    client: TestClient, portal_login: Callable[[str], str], org: Org
) -> None:
    csrf = portal_login("mzj_officer")
    page = soup(
        client.post(
            "/catalog/feed/subscribe", data={"webhook_url": "http://10.0.0.9:8080/in", "csrf_token": csrf}
        ).text
    )
    secret = page.select_one("#feed-secret-value").text
    assert len(secret) >= 32
    again = client.get("/catalog/feed/subscriptions").text
    assert secret not in again and "http://10.0.0.9:8080/in" in again
    sub_id = soup(again).select_one("tr[id^=subscription-]")["id"].split("-")[1]
    log = soup(client.get(f"/catalog/feed/subscriptions/{sub_id}").text)
    assert log.select_one("#feed-test") is not None and log.select_one("#feed-deliveries") is not None
    bad = client.post(
        "/catalog/feed/subscribe", data={"webhook_url": "file:///etc/passwd", "csrf_token": csrf}
    )
    assert bad.status_code == 422
