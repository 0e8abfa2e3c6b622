"""Hook specifications of the ingest pillar (pluggy project ``govdata``).

The lead's global plugin manager adds these specs with ``pm.add_hookspecs(govdata.ingest.hooks)``
and then calls ``govdata.ingest.connectors.registry.register_from(pm)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from govdata.ingest.connectors.base import Connector

hookspec = pluggy.HookspecMarker("govdata")
hookimpl = pluggy.HookimplMarker("govdata")


@hookspec
def register_connectors() -> list[type[Connector]]:  # type: ignore[empty-body]
    """Return connector classes (subclasses of ``Connector``) to add to the registry."""
