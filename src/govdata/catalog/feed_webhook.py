"""Webhook delivery of the change feed: signed POSTs, retried with exponential backoff.

A delivery is sent as ``POST <webhook_url>`` with the event message as compact UTF-8 JSON and

- ``X-Govdata-Event``: the kind (``published``, ``new_version``, ``retired``; ``test`` for a test);
- ``X-Govdata-Delivery``: the delivery id, the same on every retry (receivers de-duplicate on it);
- ``X-Govdata-Timestamp``: Unix seconds when this attempt was signed;
- ``X-Govdata-Signature``: ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with
  the subscription's secret.

A 2xx answer delivers it; anything else (a status, a timeout, a refused connection) is kept in
``last_error`` and retried after ``BACKOFF_BASE × 2^(attempts−1)``, at most ``BACKOFF_CAP`` apart,
until ``feed.webhook_max_attempts`` attempts, then the delivery is ``failed``. Redirects are not
followed. Several workers may drain at once: each claims a delivery by moving its
``next_attempt_at`` forward in one guarded UPDATE, so one attempt is made by one worker.
Raises ``InvalidInput("catalog.feed.bad_url")`` from ``check_url``; ``deliver_pending`` raises
nothing for a failing receiver (it is recorded).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from govdata.catalog.feed import message
from govdata.catalog.models import ChangeEvent, Delivery, Subscription
from govdata.db.base import utcnow
from govdata.errors import GovdataError, InvalidInput

if TYPE_CHECKING:
    from govdata.runtime import Platform

log = logging.getLogger(__name__)

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)
SIGNATURE_PREFIX = "sha256="
MAX_URL = 500


def check_url(url: str) -> str:
    """``url`` trimmed, if it is an http(s) URL with a host; private (intranet) addresses are allowed."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        raise InvalidInput("catalog.feed.bad_url", url=url[:100]) from exc
    if (
        len(url) > MAX_URL
        or parts.scheme not in ("http", "https")
        or not host
        or any(ch.isspace() or ord(ch) < 32 for ch in url)
    ):
        raise InvalidInput("catalog.feed.bad_url", url=url[:100])
    return url


def encode(body: dict[str, Any]) -> bytes:
    """The body exactly as sent and signed: compact, keys sorted, UTF-8 (Chinese kept as is)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return SIGNATURE_PREFIX + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300) -> bool:
    """A receiver's check: the signature matches and the timestamp is within ``tolerance`` seconds."""
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True)
class Attempt:
    """What one POST did: ``ok`` for a 2xx, else the HTTP status or the error."""

    ok: bool
    status_code: int | None
    error: str | None


def post(url: str, secret: str, kind: str, delivery_id: str, body: bytes, timeout: float) -> Attempt:
    """Sign and POST ``body`` once."""
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "govdata-webhook/1",
        "X-Govdata-Event": kind,
        "X-Govdata-Delivery": delivery_id,
        "X-Govdata-Timestamp": timestamp,
        "X-Govdata-Signature": sign(secret, timestamp, body),
    }
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(url, content=body, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:  # ValueError: a host IDNA refuses
        return Attempt(False, None, f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return Attempt(True, response.status_code, None)
    return Attempt(False, response.status_code, f"HTTP {response.status_code}: {response.text[:300]}")


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt after ``attempts`` failed ones: 30 s, 1, 2, 4 … min, ≤ 1 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0


def portal_url(platform: Platform) -> str:
    settings = platform.settings
    return settings.feed.portal_url or f"http://{settings.host}:{settings.port}"


def deliver_pending(platform: Platform, now: dt.datetime | None = None, limit: int = 50) -> DeliveryReport:
    """Attempt every delivery due at ``now`` (up to ``limit``); record each outcome."""
    now = now or utcnow()
    report = DeliveryReport()
    with platform.sessions() as s:
        due = list(
            s.scalars(
                select(Delivery.id)
                .where(Delivery.status == PENDING, Delivery.next_attempt_at <= now)
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
            )
        )
    for delivery_id in due:
        outcome = _attempt(platform, delivery_id, now)
        if outcome == DELIVERED:
            report.delivered += 1
        elif outcome == FAILED:
            report.failed += 1
        elif outcome == PENDING:
            report.retrying += 1
    return report


def _claim(s: Session, delivery_id: int, now: dt.datetime, lease: dt.timedelta) -> bool:
    result = s.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == PENDING, Delivery.next_attempt_at <= now)
        .values(next_attempt_at=now + lease)
        .execution_options(synchronize_session=False)
    )
    s.commit()
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def _attempt(platform: Platform, delivery_id: int, now: dt.datetime) -> str | None:
    """One attempt of one delivery this worker claimed; its new status (None: not claimed)."""
    from govdata.ingest import decrypt_secret  # one platform-key scheme for every stored secret

    feed = platform.settings.feed
    lease = dt.timedelta(seconds=feed.webhook_timeout_seconds * 2 + 60)
    with platform.sessions() as s:
        if not _claim(s, delivery_id, now, lease):
            return None
        delivery = s.get(Delivery, delivery_id)
        event = s.get(ChangeEvent, delivery.event_id) if delivery else None
        sub = s.get(Subscription, delivery.subscription_id) if delivery else None
        if delivery is None or event is None:
            return None
        if sub is None or not sub.active or not sub.webhook_url or not sub.secret:
            return _record(s, delivery, now, Attempt(False, None, "subscription has no webhook"), final=True)
        try:
            secret = decrypt_secret(sub.secret, platform.settings.secret_key.get_secret_value(), f"#{sub.id}")
        except GovdataError as exc:
            return _record(s, delivery, now, Attempt(False, None, exc.message("en")), final=True)
        url, kind, body = sub.webhook_url, event.kind, encode(message(event, portal_url(platform)))
        s.commit()  # no transaction stays open while the receiver answers
    attempt = post(url, secret, kind, str(delivery_id), body, feed.webhook_timeout_seconds)
    with platform.sessions() as s:
        delivery = s.get(Delivery, delivery_id)
        if delivery is None:  # the subscription was deleted meanwhile
            return None
        return _record(s, delivery, now, attempt, final=delivery.attempts + 1 >= feed.webhook_max_attempts)


def _record(s: Session, delivery: Delivery, now: dt.datetime, attempt: Attempt, *, final: bool) -> str:
    delivery.attempts += 1
    if attempt.ok:
        delivery.status = DELIVERED
        delivery.delivered_at = utcnow()
        delivery.last_error = None
    else:
        delivery.last_error = attempt.error
        delivery.status = FAILED if final else PENDING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        log.info("webhook delivery %s failed (attempt %s): %s", delivery.id, delivery.attempts, attempt.error)
    status = delivery.status
    s.commit()
    return status
