"""The quality step after each load: check the loaded resource's table and sync its issues.

Runs inside ``govern.pipeline.after_load`` (which commits it, or rolls it back and logs a failure
without failing the load). A table without a catalog resource has no provider to feed back to and is
skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from govdata.govern.issues import sync_issues
from govdata.govern.service import check_resource

if TYPE_CHECKING:
    from govdata.govern.pipeline import Loaded


def quality_step(ctx: Loaded) -> None:
    """Check the resource's lake table at its new version, then open, refresh or close its issues."""
    if ctx.resource is None or not ctx.resource.lake_table:
        return
    from govdata.config import get_settings  # the runner is handed no settings: read the cached ones

    run = check_resource(ctx.session, ctx.lake, ctx.audit, ctx.actor, ctx.resource)
    sync_issues(
        ctx.session, ctx.audit, ctx.actor, run, deadline_days=get_settings().quality.issue_deadline_days
    )
