"""Change-feed API (目录变更推送): a department's subscriptions, inbox and webhook delivery log.

Every route needs ``catalog.read`` and acts for the caller's own department. Errors come from
``govdata.catalog.feed_service``: ``catalog.feed.no_department`` (403), ``catalog.feed.bad_url``
(422), ``catalog.feed.duplicate`` (409), ``catalog.feed.subscription_not_found``,
``catalog.feed.notice_not_found``, ``catalog.feed.no_webhook`` and ``catalog.not_found`` (404).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from govdata.catalog import feed_service as feed
from govdata.catalog.feed_schemas import DeliveryOut, NoticePage, PingResult, SubscriptionIn, SubscriptionOut
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(prefix="/catalog/feed", tags=["catalog"])
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]


@router.get("/subscriptions", response_model=list[SubscriptionOut])
def list_subscriptions(session: SessionDep, actor: Reader) -> list[SubscriptionOut]:
    """The department's subscriptions with delivery counts by status (secrets never shown)."""
    return feed.list_subscriptions(session, actor)


@router.post("/subscriptions", response_model=SubscriptionOut, status_code=201)
def create_subscription(
    data: SubscriptionIn, session: SessionDep, actor: Reader, platform: PlatformDep
) -> SubscriptionOut:
    """Subscribe to one resource or all; with a webhook the answer carries its secret, once."""
    return feed.create_subscription(
        session, platform.audit, actor, data, secret_key=platform.settings.secret_key.get_secret_value()
    )


@router.delete("/subscriptions/{subscription_id}", status_code=204)
def delete_subscription(
    subscription_id: int, session: SessionDep, actor: Reader, platform: PlatformDep
) -> Response:
    feed.delete_subscription(session, platform.audit, actor, subscription_id)
    return Response(status_code=204)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    subscription_id: int, session: SessionDep, actor: Reader, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[DeliveryOut]:
    """Webhook deliveries of the subscription, newest first, with status, attempts and last error."""
    return feed.list_deliveries(session, actor, subscription_id, limit)


@router.post("/subscriptions/{subscription_id}/test", response_model=PingResult)
def send_test(subscription_id: int, session: SessionDep, actor: Reader, platform: PlatformDep) -> PingResult:
    """POST a signed ``test`` event to the webhook now; the receiver's answer."""
    return feed.send_test(session, platform.audit, actor, subscription_id, platform.settings)


@router.get("/notices", response_model=NoticePage)
def list_notices(
    session: SessionDep,
    actor: Reader,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> NoticePage:
    """The department's change notices, unread first; ``unread=true`` for the unread only."""
    return feed.list_notices(session, actor, unread_only=unread, limit=limit, offset=offset)


@router.post("/notices/{notice_id}/read")
def read_notice(notice_id: int, session: SessionDep, actor: Reader, platform: PlatformDep) -> dict[str, int]:
    return {"marked": feed.mark_read(session, platform.audit, actor, notice_id)}


@router.post("/notices/read-all")
def read_all(session: SessionDep, actor: Reader, platform: PlatformDep) -> dict[str, int]:
    return {"marked": feed.mark_read(session, platform.audit, actor)}
