"""Change-feed schemas at the boundary: subscriptions, the inbox, the delivery log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

MIN_SECRET = 16


class SubscriptionIn(BaseModel):
    """Subscribe the caller's department to one resource (by code) or, without one, to all."""

    resource: str | None = Field(default=None, max_length=100)
    webhook_url: str | None = Field(default=None, max_length=500)
    # the HMAC key of the webhook; generated (and shown once) when not given
    secret: str | None = Field(default=None, max_length=200)  # at least MIN_SECRET characters


class SubscriptionOut(BaseModel):
    id: int
    department: str
    resource: str | None  # None: every resource
    resource_name: str | None
    webhook_url: str | None
    active: bool
    created_by: str
    created_at: dt.datetime
    deliveries: dict[str, int] = Field(default_factory=dict)  # status → count
    # the webhook secret, in the answer to the creation only; never stored in clear or shown again
    secret: str | None = None


class NoticeOut(BaseModel):
    id: int
    event_id: int
    kind: str
    reason: str  # grant | subscription
    read: bool
    read_at: dt.datetime | None
    created_at: dt.datetime
    resource: dict[str, Any]  # the message's resource summary
    changes: dict[str, Any] | None
    note: str | None
    path: str


class NoticePage(BaseModel):
    items: list[NoticeOut]
    total: int
    unread: int


class DeliveryOut(BaseModel):
    id: int
    event_id: int
    kind: str
    resource: str
    version: int
    status: str  # pending | delivered | failed
    attempts: int
    next_attempt_at: dt.datetime | None  # when pending
    last_error: str | None
    delivered_at: dt.datetime | None


class PingResult(BaseModel):
    """The answer of the receiver to a test event."""

    delivered: bool
    status_code: int | None
    error: str | None
