"""One round of the change feed's outbound work, for the scheduler loop: webhooks, then NATS.

``dispatch`` runs in every tick of the scheduler (the thread in ``govdata serve`` and each
``govdata worker``), after the publishing transactions committed. It never raises: a failing
receiver is recorded on its delivery, an unreachable NATS server is logged and tried next round.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govdata.catalog.feed_nats import publish_pending
from govdata.catalog.feed_webhook import DeliveryReport, deliver_pending
from govdata.errors import GovdataError

if TYPE_CHECKING:
    from govdata.runtime import Platform

log = logging.getLogger(__name__)


@dataclass
class DispatchReport:
    webhooks: DeliveryReport = field(default_factory=DeliveryReport)
    nats_published: int = 0
    errors: list[str] = field(default_factory=list)


def dispatch(platform: Platform, now: dt.datetime | None = None) -> DispatchReport:
    """Send due webhook deliveries and publish pending events to NATS; never raises."""
    report = DispatchReport()
    try:
        report.webhooks = deliver_pending(platform, now=now)
    except Exception as exc:  # the loop goes on; the next round tries again
        log.exception("change feed: webhook delivery round failed")
        report.errors.append(f"webhooks: {exc}")
    try:
        report.nats_published = publish_pending(platform)
    except GovdataError as exc:
        log.warning("change feed: %s", exc)
        report.errors.append(exc.code)
    except Exception as exc:
        log.exception("change feed: NATS round failed")
        report.errors.append(f"nats: {exc}")
    return report
