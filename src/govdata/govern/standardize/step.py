"""The standardize step that runs after each successful load (``govern.pipeline.steps``).

A table is standardized after a load when it has a saved spec, or — with the suggested spec — when
its resource's catalog items bind data elements (the catalog then says what the columns hold).
Other tables wait for a spec: guessing from names and values alone is for a person to confirm.
"""

from __future__ import annotations

from govdata.govern.pipeline import Loaded
from govdata.govern.standardize.run import spec_record, standardize


def standardize_step(ctx: Loaded) -> None:
    record = spec_record(ctx.session, ctx.ref)
    saved = record is not None and record.spec is not None
    resource = ctx.resource if ctx.resource is not None and ctx.resource.lake_table == ctx.ref.key else None
    bound = resource is not None and any(i.element for i in resource.items)
    if saved or bound:
        standardize(ctx.session, ctx.lake, ctx.audit, ctx.actor, resource or ctx.ref)
