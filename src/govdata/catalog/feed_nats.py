"""The change feed on NATS JetStream: an outbox of events drained after commit, at least once.

Every ``ChangeEvent`` with ``nats_published_at`` unset is published, oldest first, on
``<feed.nats_subject_prefix>.<department code>.<kind>`` (``govdata.catalog.gaj.new_version``) into
the stream ``feed.nats_stream`` (created with subjects ``<prefix>.>`` when missing). The body is the
event message (``feed.message``: the same JSON a webhook receives, unsigned). An event is marked
published only after JetStream acknowledged it; a crash in between publishes it again, with the
same ``Nats-Msg-Id`` header (``govdata-catalog-<event id>-<created µs>``), which JetStream drops
inside its duplicate window. ``feed.nats_url = "off"`` publishes nothing (the outbox keeps the
events until it is turned on).

nats-py is asyncio; the drain runs it with ``asyncio.run`` (on a helper thread when the caller
already runs an event loop). Raises ``TransientError("catalog.feed.nats_unavailable")`` when the
server cannot be reached or refuses a message; what was acknowledged before is kept.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select, update

from govdata.catalog.feed import message
from govdata.catalog.feed_webhook import encode, portal_url
from govdata.catalog.models import ChangeEvent
from govdata.db.base import utcnow
from govdata.errors import TransientError

if TYPE_CHECKING:
    from govdata.runtime import Platform

T = TypeVar("T")
OFF = "off"
CONNECT_TIMEOUT = 2.0
PUBLISH_TIMEOUT = 5.0
_TOKEN = re.compile(r"[^A-Za-z0-9_-]")


def subject(prefix: str, department: str, kind: str) -> str:
    """``<prefix>.<department>.<kind>``; characters NATS treats specially become ``_``."""
    return f"{prefix}.{_TOKEN.sub('_', department) or '_'}.{_TOKEN.sub('_', kind)}"


def msg_id(event: ChangeEvent) -> str:
    """Stable for one event row, distinct across a rebuilt metadata store that reuses ids."""
    created = int(event.created_at.timestamp() * 1_000_000)
    return f"govdata-catalog-{event.id}-{created}"


def enabled(platform: Platform) -> bool:
    return platform.settings.feed.nats_url.strip().lower() not in (OFF, "")


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from synchronous code, inside a running loop or not."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _quiet(exc: Exception) -> None:
    """nats-py logs connection errors itself; the drain raises them instead."""


async def _publish(
    url: str, stream: str, prefix: str, messages: list[tuple[int, str, bytes, str]], acked: list[int]
) -> None:
    import nats
    from nats.js.errors import NotFoundError

    nc = await asyncio.wait_for(
        nats.connect(
            servers=[url],
            connect_timeout=CONNECT_TIMEOUT,
            allow_reconnect=False,
            max_reconnect_attempts=1,
            reconnect_time_wait=0.5,
            error_cb=_quiet,
        ),
        timeout=CONNECT_TIMEOUT * 3,
    )
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(stream)
        except NotFoundError:
            await js.add_stream(name=stream, subjects=[f"{prefix}.>"])
        for event_id, subj, data, mid in messages:
            await js.publish(subj, data, timeout=PUBLISH_TIMEOUT, headers={"Nats-Msg-Id": mid})
            acked.append(event_id)
    finally:
        await nc.close()


def publish_pending(platform: Platform, limit: int = 500) -> int:
    """Publish up to ``limit`` unpublished events; the number JetStream acknowledged."""
    if not enabled(platform):
        return 0
    feed = platform.settings.feed
    base = portal_url(platform)
    with platform.sessions() as s:
        events = list(
            s.scalars(
                select(ChangeEvent)
                .where(ChangeEvent.nats_published_at.is_(None))
                .order_by(ChangeEvent.id)
                .limit(limit)
            )
        )
        messages = [
            (
                e.id,
                subject(
                    feed.nats_subject_prefix,
                    str(dict(e.payload.get("resource") or {}).get("department")),
                    e.kind,
                ),
                encode(message(e, base)),
                msg_id(e),
            )
            for e in events
        ]
    if not messages:
        return 0
    acked: list[int] = []
    try:
        run_async(_publish(feed.nats_url, feed.nats_stream, feed.nats_subject_prefix, messages, acked))
    except Exception as exc:  # noqa: BLE001 - any nats-py or socket error: try again next round
        raise TransientError(
            "catalog.feed.nats_unavailable", server=feed.nats_url, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from exc
    finally:
        _mark(platform, acked)
    return len(acked)


def _mark(platform: Platform, ids: list[int]) -> None:
    if not ids:
        return
    with platform.sessions() as s:
        s.execute(
            update(ChangeEvent)
            .where(ChangeEvent.id.in_(ids))
            .values(nats_published_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        s.commit()
