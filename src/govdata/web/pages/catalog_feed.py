"""Change-feed pages (目录变更): the department's inbox, its subscriptions and their delivery log.

Two HTMX partials serve shared templates: the unread badge in the header (``/catalog/feed/badge``)
and the subscribe/unsubscribe button on a resource page (``/catalog/feed/button``). A webhook
secret is shown once, on the page the creating POST renders. Services raise the errors named in
``govdata.catalog.feed_service``; the portal error page shows them with their hint.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from govdata.catalog import feed_service as feed
from govdata.catalog.feed_schemas import PingResult, SubscriptionIn, SubscriptionOut
from govdata.catalog.service import get_resource
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require
from govdata.web.pages.view import local_path, redirect, render_page

router = APIRouter()
Reader = Annotated[Actor, Depends(require(Permission.CATALOG_READ))]
OptionalText = Annotated[str, Form()]


@router.get("/catalog/feed")
def inbox(request: Request, session: SessionDep, actor: Reader, offset: int = 0) -> Response:
    page = feed.list_notices(session, actor, limit=50, offset=max(offset, 0))
    return render_page(request, "catalog/feed_inbox.html", {"page": page, "offset": max(offset, 0)})


@router.get("/catalog/feed/badge")
def badge(request: Request, session: SessionDep, actor: Reader) -> Response:
    """The unread count for the header; empty for an account without a department."""
    count = feed.unread_count(session, actor) if actor.department_id is not None else 0
    return render_page(request, "catalog/feed_badge.html", {"unread": count})


@router.post("/catalog/feed/read")
def read(
    session: SessionDep, platform: PlatformDep, actor: Reader, notice_id: Annotated[int | None, Form()] = None
) -> Response:
    feed.mark_read(session, platform.audit, actor, notice_id)
    return redirect("/catalog/feed")


@router.get("/catalog/feed/button")
def button(request: Request, session: SessionDep, actor: Reader, resource: str) -> Response:
    """Subscribe / unsubscribe for the resource page (nothing for an account without a department)."""
    if actor.department_id is None:
        return HTMLResponse("")
    code = get_resource(session, resource).code
    sub = feed.subscription_for(session, actor, code)
    return render_page(request, "catalog/feed_button.html", {"code": code, "subscription": sub})


@router.get("/catalog/feed/subscriptions")
def subscriptions(request: Request, session: SessionDep, actor: Reader) -> Response:
    return _subscriptions_page(request, session, actor)


def _subscriptions_page(
    request: Request, session: SessionDep, actor: Actor, created: SubscriptionOut | None = None
) -> Response:
    ctx = {"subscriptions": feed.list_subscriptions(session, actor), "created": created}
    return render_page(request, "catalog/feed_subscriptions.html", ctx)


@router.post("/catalog/feed/subscribe")
def subscribe(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    actor: Reader,
    resource: OptionalText = "",
    webhook_url: OptionalText = "",
    secret: OptionalText = "",
    next: OptionalText = "",  # noqa: A002 — the form field's name
) -> Response:
    """Subscribe; with a webhook the page shows its secret once, else back to where the form was."""
    data = SubscriptionIn(
        resource=resource.strip() or None,
        webhook_url=webhook_url.strip() or None,
        secret=secret.strip() or None,
    )
    key = platform.settings.secret_key.get_secret_value()
    created = feed.create_subscription(session, platform.audit, actor, data, secret_key=key)
    if created.webhook_url:
        return _subscriptions_page(request, session, actor, created)
    return redirect(local_path(next, "/catalog/feed/subscriptions"))


@router.post("/catalog/feed/subscriptions/{subscription_id}/delete")
def unsubscribe(
    subscription_id: int,
    session: SessionDep,
    platform: PlatformDep,
    actor: Reader,
    next: OptionalText = "",  # noqa: A002 — the form field's name
) -> Response:
    feed.delete_subscription(session, platform.audit, actor, subscription_id)
    return redirect(local_path(next, "/catalog/feed/subscriptions"))


@router.get("/catalog/feed/subscriptions/{subscription_id}")
def deliveries(request: Request, subscription_id: int, session: SessionDep, actor: Reader) -> Response:
    return _log_page(request, session, actor, subscription_id)


@router.post("/catalog/feed/subscriptions/{subscription_id}/test")
def test_event(
    request: Request, subscription_id: int, session: SessionDep, platform: PlatformDep, actor: Reader
) -> Response:
    result = feed.send_test(session, platform.audit, actor, subscription_id, platform.settings)
    return _log_page(request, session, actor, subscription_id, result)


def _log_page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    subscription_id: int,
    result: PingResult | None = None,
) -> Response:
    sub = feed.subscription_out(session, feed.get_subscription(session, actor, subscription_id))
    ctx = {"sub": sub, "deliveries": feed.list_deliveries(session, actor, subscription_id), "result": result}
    return render_page(request, "catalog/feed_deliveries.html", ctx)
