"""The hook specifications of govdata: every extension point of the platform, in one place.

One pluggy project, ``govdata``, with one pair of markers: ``hookspec`` for the specs below and
``hookimpl`` for implementations. The platform's own connectors, quality rules and maskers register
through these hooks exactly like outside packages do (see ``govdata.plugins`` and docs/plugins.md).
Each ``register_*`` hook returns a list; the registries in the pillars collect them by ``name``.

Planned, added when their first implementation lands: ``register_sensitive_detectors`` and
``register_data_services``. Raises nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from govdata.govern.quality.rules import Rule
    from govdata.ingest.connectors.base import Connector
    from govdata.security.masking import Masker

PROJECT = "govdata"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_connectors() -> list[type[Connector]]:  # type: ignore[empty-body]
    """Return source connector classes (subclasses of ``Connector``) to add to the registry."""


@hookspec
def register_quality_rules() -> list[type[Rule]]:  # type: ignore[empty-body]
    """Return quality rule classes (subclasses of ``Rule``) to add to the registry."""


@hookspec
def register_maskers() -> list[Masker | type[Masker]]:  # type: ignore[empty-body]
    """Return maskers (``Masker`` instances, or subclasses taking no arguments) to add to the registry."""
