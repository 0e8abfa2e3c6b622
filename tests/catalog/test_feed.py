"""The change feed: fan-out to grant holders and subscribers, signed webhooks with retries, NATS.

Webhooks go to a real HTTP receiver on a free localhost port that checks the signature the way
docs/catalog.md tells receivers to; NATS is the real JetStream server at 127.0.0.1:4222, on a
stream and subject prefix of the test's own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from tests.catalog.feed_receiver import receiver
from tests.conftest import Org

from govdata.catalog import ItemIn, ResourceIn, create_resource, get_resource, publish_resource
from govdata.catalog import lifecycle as lc
from govdata.catalog.feed_dispatch import dispatch
from govdata.catalog.feed_nats import publish_pending
from govdata.catalog.feed_schemas import SubscriptionIn
from govdata.catalog.feed_service import create_subscription
from govdata.catalog.feed_webhook import check_url, deliver_pending, encode, sign, verify
from govdata.catalog.models import ChangeEvent, Delivery, Notice, Resource
from govdata.config import FeedSettings
from govdata.db.base import utcnow
from govdata.errors import InvalidInput
from govdata.ingest.scheduler import Scheduler
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.org import create_department
from govdata.share.models import Application, Grant

CODE = "330100/1010/gaj-0900"
SYSTEM = Actor.system("test")
NATS_URL = "nats://127.0.0.1:4222"


def _with_feed(platform: Platform, **feed: Any) -> Platform:
    settings = platform.settings.model_copy(update={"feed": FeedSettings(**feed)})
    return dataclasses.replace(platform, settings=settings)


@pytest.fixture
def plat(platform: Platform) -> Platform:
    """The platform with NATS off: these tests look at notices and webhooks."""
    return _with_feed(platform, nats_url="off", portal_url="https://portal.example.gov.cn")


def _entry(**changes: Any) -> ResourceIn:
    base = ResourceIn(
        code=CODE,
        name="机动车登记信息",
        department="gaj",
        summary="示例市机动车档案信息",
        category="部门",
        format="数据库",
        share_type="有条件共享",
        share_condition="仅限交通管理使用",
        open_type="不予开放",
        update_cycle="每日",
        items=[ItemIn(column="hphm", name="号牌号码", length=10), ItemIn(column="syr", name="所有人")],
    )
    return base.model_copy(update=changes)


def _publish(platform: Platform, data: ResourceIn | None = None, note: str | None = None) -> int:
    """File the resource (or revise it) and publish through the lifecycle; the change event's id."""
    with platform.unit() as s:
        if s.execute(select(Resource.id)).first() is None:
            create_resource(s, platform.audit, SYSTEM, data or _entry())
        else:
            lc.revise(s, platform.audit, SYSTEM, CODE, data or _entry(), note)
        publish_resource(s, platform.audit, SYSTEM, CODE)
    with platform.unit() as s:
        return s.execute(select(func.max(ChangeEvent.id))).scalar_one()


def _grant(platform: Platform, dept: str, org: Org, *, days: int = 30, revoked: bool = False) -> None:
    with platform.unit() as s:
        res = get_resource(s, CODE)
        consumer = org.departments[dept]
        app = Application(
            resource_id=res.id,
            consumer_department_id=consumer,
            fields=["hphm"],
            purpose="p",
            service_types=[],
            days=30,
        )
        s.add(app)
        s.flush()
        s.add(
            Grant(
                application_id=app.id,
                resource_id=res.id,
                consumer_department_id=consumer,
                fields=["hphm"],
                purpose="p",
                service_types=["query"],
                expires_at=utcnow() + dt.timedelta(days=days),
                revoked_at=utcnow() if revoked else None,
            )
        )


def _department(platform: Platform, code: str, prefix17: str) -> int:
    from govdata.govern.standards import uscc_check_char

    uscc = prefix17 + uscc_check_char(prefix17)
    with platform.unit() as s:
        return create_department(
            s, platform.audit, SYSTEM, code=code, name=code, uscc=uscc, region_code="330100"
        ).id


def _subscribe(
    platform: Platform,
    dept: str,
    resource: str | None = CODE,
    url: str | None = None,
    secret: str | None = None,
) -> Any:
    with platform.unit() as s:
        return create_subscription(
            s,
            platform.audit,
            SYSTEM,
            SubscriptionIn(resource=resource, webhook_url=url, secret=secret),
            secret_key=platform.settings.secret_key.get_secret_value(),
            department=dept,
        )


def _notices(platform: Platform, event_id: int) -> dict[str, str]:
    with platform.unit() as s:
        rows = s.execute(
            select(Department.code, Notice.reason)
            .join(Department, Department.id == Notice.department_id)
            .where(Notice.event_id == event_id)
        )
        return {code: reason for code, reason in rows}


def _deliveries(platform: Platform) -> list[Delivery]:
    with platform.unit() as s:
        return list(s.scalars(select(Delivery).order_by(Delivery.id)))


# --- fan-out and the message ------------------------------------------------------------------------


def test_fan_out_reaches_live_grant_holders_and_subscribers_but_not_the_provider(
    plat: Platform, org: Org
) -> None:
    with plat.unit() as s:
        create_resource(s, plat.audit, SYSTEM, _entry())
    org.departments["jtj"] = _department(plat, "jtj", "11330100MB0000004")
    org.departments["wjw"] = _department(plat, "wjw", "11330100MB0000005")
    _grant(plat, "mzj", org)  # live
    _grant(plat, "jtj", org, days=-1)  # expired
    _grant(plat, "wjw", org, revoked=True)  # revoked
    _grant(plat, "gaj", org)  # the provider's own grant does not make it a recipient
    _subscribe(plat, "sjj", resource=None)  # everything, portal only

    first = _publish(plat)
    assert _notices(plat, first) == {"mzj": "grant", "sjj": "subscription"}
    assert _deliveries(plat) == []  # nobody gave a webhook

    _subscribe(plat, "gaj", url="http://10.20.30.40:8080/hook")  # the provider subscribes: now it hears
    _subscribe(plat, "mzj", url="https://mzj.example.gov.cn/hook")  # a grant holder adds a webhook
    second = _publish(plat)
    assert _notices(plat, second) == {"gaj": "subscription", "mzj": "grant", "sjj": "subscription"}
    assert len(_deliveries(plat)) == 2 and {d.status for d in _deliveries(plat)} == {"pending"}


def test_message_names_the_version_and_what_changed_against_the_previous_snapshot(
    plat: Platform, org: Org
) -> None:
    first = _publish(plat)
    changed = _entry(
        summary="示例市机动车档案信息（含车辆类型）",
        items=[ItemIn(column="hphm", name="号牌号码", length=12), ItemIn(column="cllx", name="车辆类型")],
    )
    second = _publish(plat, changed, note="加入车辆类型")
    with plat.unit() as s:
        one, two = s.get(ChangeEvent, first), s.get(ChangeEvent, second)
        assert one is not None and two is not None
        assert one.payload["changes"] is None  # nothing earlier to compare with
        msg = two.payload
    assert msg["schema"] == 1 and msg["id"] == second and msg["kind"] == "new_version"
    assert msg["resource"] == {
        "code": CODE,
        "name": "机动车登记信息",
        "department": "gaj",
        "department_name": "示例市公安局",
        "version": 2,
        "status": "published",
        "published_at": msg["resource"]["published_at"],
    }
    assert msg["changes"] == {
        "previous_version": 1,
        "fields": ["summary"],
        "items_added": [{"column": "cllx", "name": "车辆类型"}],
        "items_removed": [{"column": "syr", "name": "所有人"}],
        "items_changed": [{"column": "hphm", "name": "号牌号码"}],
    }
    assert msg["note"] == "加入车辆类型" and msg["path"] == f"/catalog/resources/{CODE}"
    json.dumps(msg)  # stored as plain JSON


def test_publishing_through_the_lifecycle_records_the_event_and_notifies(plat: Platform, org: Org) -> None:
    with plat.unit() as s:
        s.get(Department, org.departments["sjj"]).is_bureau = True
    officer = Actor(
        "gaj_officer", "data_officer", department_id=org.departments["gaj"], department_code="gaj"
    )
    bureau = Actor(
        "sjj_admin", "dept_admin", department_id=org.departments["sjj"], department_code="sjj", is_bureau=True
    )
    _subscribe(plat, "mzj", resource=None)
    with plat.unit() as s:
        create_resource(s, plat.audit, officer, _entry())
        lc.submit(s, plat.audit, officer, CODE)
        lc.review(s, plat.audit, bureau, CODE, approve=True)
        lc.publish(s, plat.audit, bureau, CODE)
    with plat.unit() as s:
        event = s.execute(select(ChangeEvent)).scalar_one()
        assert event.kind == "published" and event.payload["resource"]["version"] == 1
    assert _notices(plat, event.id) == {"mzj": "subscription"}

    with plat.unit() as s:
        lc.retire(s, plat.audit, bureau, CODE, "并入新系统")
    with plat.unit() as s:
        retired = s.execute(select(ChangeEvent).where(ChangeEvent.kind == "retired")).scalar_one()
        assert retired.payload["resource"]["status"] == "retired" and retired.payload["changes"] is None
    assert _notices(plat, retired.id) == {"mzj": "subscription"}


# --- webhooks ----------------------------------------------------------------------------------------


def test_webhook_is_signed_and_the_receiver_verifies_it(plat: Platform, org: Org) -> None:
    with receiver("an-agreed-secret-of-mzj-0001") as rx:
        sub = _subscribe(plat, "mzj", resource=None, url=rx.url, secret="an-agreed-secret-of-mzj-0001")
        event_id = _publish(plat)
        report = deliver_pending(plat)
    assert (report.delivered, report.retrying, report.failed) == (1, 0, 0)
    assert len(rx.verified) == 1
    got = rx.verified[0]
    assert got.headers["x-govdata-event"] == "published"
    assert got.headers["x-govdata-delivery"] == str(_deliveries(plat)[0].id)
    body = got.json
    assert body["id"] == event_id and body["resource"]["code"] == CODE
    assert body["url"] == f"https://portal.example.gov.cn/catalog/resources/{CODE}" and "path" not in body
    assert got.body == encode(body)  # compact, sorted: the bytes that were signed
    assert sub.secret == "an-agreed-secret-of-mzj-0001"
    (delivery,) = _deliveries(plat)
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_error is None
    assert deliver_pending(plat).delivered == 0  # delivered once


def test_receiver_with_another_secret_rejects_it_and_the_delivery_is_retried(
    plat: Platform, org: Org
) -> None:
    with receiver("the-receiver-has-this-secret-1") as rx:
        _subscribe(plat, "mzj", resource=None, url=rx.url, secret="the-platform-has-another-one-2")
        _publish(plat)
        report = deliver_pending(plat)
    assert report.retrying == 1 and rx.received and not rx.verified  # the check can fail
    (delivery,) = _deliveries(plat)
    assert (
        delivery.status == "pending"
        and delivery.last_error is not None
        and delivery.last_error.startswith("HTTP 401")
    )


def test_a_500_is_retried_with_backoff_and_then_delivered(plat: Platform, org: Org) -> None:
    with receiver("secret-for-the-retry-test-0001", statuses=[500]) as rx:
        _subscribe(plat, "mzj", resource=None, url=rx.url, secret="secret-for-the-retry-test-0001")
        _publish(plat)
        t0 = utcnow()
        assert deliver_pending(plat, now=t0).retrying == 1
        (delivery,) = _deliveries(plat)
        assert (
            delivery.attempts == 1 and delivery.last_error is not None and "HTTP 500" in delivery.last_error
        )
        assert delivery.next_attempt_at >= t0 + dt.timedelta(seconds=30)  # backed off
        assert deliver_pending(plat, now=t0 + dt.timedelta(seconds=5)).delivered == 0  # not due yet
        assert len(rx.received) == 1
        assert deliver_pending(plat, now=t0 + dt.timedelta(seconds=31)).delivered == 1
    (delivery,) = _deliveries(plat)
    assert delivery.status == "delivered" and delivery.attempts == 2 and len(rx.verified) == 2
    assert rx.verified[0].headers["x-govdata-delivery"] == rx.verified[1].headers["x-govdata-delivery"]


def test_after_the_last_attempt_the_delivery_fails_with_its_error(platform: Platform, org: Org) -> None:
    plat = _with_feed(platform, nats_url="off", webhook_max_attempts=3)
    with receiver("secret-for-the-failing-test-01", statuses=[503, 503, 503, 503]) as rx:
        _subscribe(plat, "mzj", resource=None, url=rx.url, secret="secret-for-the-failing-test-01")
        _publish(plat)
        now = utcnow()
        for _ in range(3):
            deliver_pending(plat, now=now)
            now += dt.timedelta(hours=2)
        assert deliver_pending(plat, now=now + dt.timedelta(days=1)).failed == 0  # nothing left to try
    (delivery,) = _deliveries(plat)
    assert delivery.status == "failed" and delivery.attempts == 3 and len(rx.received) == 3
    assert delivery.last_error is not None and delivery.last_error.startswith("HTTP 503")


def test_unreachable_receiver_is_recorded_not_raised(plat: Platform, org: Org) -> None:
    with receiver("x" * 20) as rx:
        url = rx.url  # the server is gone after the block: connections are refused
    _subscribe(plat, "mzj", resource=None, url=url)
    _publish(plat)
    assert deliver_pending(plat).retrying == 1
    (delivery,) = _deliveries(plat)
    assert delivery.last_error is not None and "Connect" in delivery.last_error


def test_the_scheduler_tick_delivers_after_commit(plat: Platform, org: Org) -> None:
    with receiver("secret-for-the-scheduler-0001") as rx:
        _subscribe(plat, "mzj", resource=None, url=rx.url, secret="secret-for-the-scheduler-0001")
        _publish(plat)
        assert rx.received == []  # publishing sent nothing
        Scheduler(plat, "test-worker").tick()
    assert len(rx.verified) == 1 and _deliveries(plat)[0].status == "delivered"


def test_the_secret_is_stored_encrypted(plat: Platform, org: Org) -> None:
    from govdata.catalog.models import Subscription

    sub = _subscribe(plat, "mzj", resource=None, url="https://mzj.example.gov.cn/hook")
    assert sub.secret and len(sub.secret) >= 32
    with plat.unit() as s:
        stored = s.get(Subscription, sub.id)
        assert stored is not None and stored.secret and sub.secret not in stored.secret


@pytest.mark.parametrize(
    "url",
    [
        "ftp://10.0.0.1/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://h/",
        "http://",
        "https:/x",
        "http://a b/",
    ],
)
def test_only_http_and_https_webhook_urls_are_accepted(url: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        check_url(url)
    assert exc.value.code == "catalog.feed.bad_url"


def test_intranet_addresses_are_allowed() -> None:
    for url in (
        "http://10.1.2.3:8080/hook",
        "https://192.168.0.5/h",
        "http://localhost:9000/",
        "http://数据.政务.cn/h",
    ):
        assert check_url(f"  {url} ") == url


@given(scheme=st.from_regex(r"\A[a-z][a-z0-9+.-]{0,10}\Z"), rest=st.text(max_size=30))
def test_no_scheme_but_http_and_https_passes(scheme: str, rest: str) -> None:
    url = f"{scheme}://{rest}"
    try:
        assert check_url(url).split(":", 1)[0] in ("http", "https")
    except InvalidInput:
        pass


@given(
    secret=st.text(min_size=1, max_size=40),
    body=st.binary(max_size=200),
    other=st.text(min_size=1, max_size=40),
)
def test_signature_verifies_only_with_the_same_secret_and_body(secret: str, body: bytes, other: str) -> None:
    ts = str(int(utcnow().timestamp()))
    signature = sign(secret, ts, body)
    assert verify(secret, ts, body, signature)
    assert verify(other, ts, body, signature) == (other == secret)
    assert not verify(secret, ts, body + b"x", signature)
    assert not verify(secret, str(int(ts) - 3600), body, signature)  # an old timestamp is refused


# --- NATS ------------------------------------------------------------------------------------------------


@pytest.fixture
def nats_plat(platform: Platform) -> Iterator[Platform]:
    tag = uuid.uuid4().hex[:10]
    plat = _with_feed(
        platform, nats_url=NATS_URL, nats_stream=f"GD_FEED_{tag}", nats_subject_prefix=f"gdtest.{tag}"
    )
    yield plat
    asyncio.run(_delete_stream(plat.settings.feed.nats_stream))


async def _delete_stream(name: str) -> None:
    import nats

    nc = await nats.connect(NATS_URL)
    try:
        await nc.jetstream().delete_stream(name)
    except Exception:  # noqa: BLE001, S110 - the stream may never have been created
        pass
    await nc.close()


async def _stream_messages(stream: str, subject: str) -> list[Any]:
    import nats

    nc = await nats.connect(NATS_URL)
    try:
        js = nc.jetstream()
        info = await js.stream_info(stream)
        msgs = [await js.get_msg(stream, seq) for seq in range(info.state.first_seq, info.state.last_seq + 1)]
        return [m for m in msgs if m.subject == subject]
    finally:
        await nc.close()


def test_events_arrive_on_jetstream_once(nats_plat: Platform, org: Org) -> None:
    feed = nats_plat.settings.feed
    event_id = _publish(nats_plat)
    assert publish_pending(nats_plat) == 1
    subject = f"{feed.nats_subject_prefix}.gaj.published"
    (msg,) = asyncio.run(_stream_messages(feed.nats_stream, subject))
    body = json.loads(msg.data)
    assert body["id"] == event_id and body["kind"] == "published" and body["resource"]["code"] == CODE
    assert msg.headers is not None and msg.headers["Nats-Msg-Id"].startswith(f"govdata-catalog-{event_id}-")
    assert publish_pending(nats_plat) == 0  # the outbox is drained

    # a crash after the ack but before marking it: published again, JetStream drops the duplicate
    with nats_plat.unit() as s:
        s.execute(update(ChangeEvent).values(nats_published_at=None))
    assert publish_pending(nats_plat) == 1
    assert len(asyncio.run(_stream_messages(feed.nats_stream, subject))) == 1

    second = _publish(nats_plat)
    assert dispatch(nats_plat).nats_published == 1
    (msg2,) = asyncio.run(_stream_messages(feed.nats_stream, f"{feed.nats_subject_prefix}.gaj.new_version"))
    assert json.loads(msg2.data)["id"] == second


def test_unreachable_nats_keeps_the_events_for_the_next_round(platform: Platform, org: Org) -> None:
    plat = _with_feed(platform, nats_url="nats://127.0.0.1:1", nats_stream=f"GD_FEED_{uuid.uuid4().hex[:8]}")
    _publish(plat)
    report = dispatch(plat)  # never raises
    assert report.errors == ["catalog.feed.nats_unavailable"] and report.nats_published == 0
    with plat.unit() as s:
        assert s.execute(select(ChangeEvent.nats_published_at)).scalar_one() is None
    assert publish_pending(_with_feed(platform, nats_url="off")) == 0


def test_cli_deliver_sends_what_is_due(platform: Platform, org: Org) -> None:
    from tests.conftest import SECRET
    from typer.testing import CliRunner

    from govdata.cli.main import app as cli

    plat = _with_feed(platform, nats_url="off")
    env = {
        "GOVDATA_DATABASE_URL": platform.settings.database_url or "",
        "GOVDATA_SECRET_KEY": SECRET,
        "GOVDATA_FEED__NATS_URL": "off",
    }
    with receiver("secret-for-the-cli-test-000001") as rx:
        _subscribe(plat, "mzj", resource=None, url=rx.url, secret="secret-for-the-cli-test-000001")
        _publish(plat)
        result = CliRunner().invoke(
            cli, ["catalog", "deliver", "--home", str(platform.settings.home), "--json"], env=env
        )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["webhooks"] == {"delivered": 1, "retrying": 0, "failed": 0}
    assert len(rx.verified) == 1
