"""The connector registry: ``CONNECTORS`` maps a stable name to a ``Connector`` class.

``CONNECTORS`` is a ``govdata.plugins.Registry`` over the ``register_connectors`` hook, filled from
the platform's plugin manager on first lookup: built-ins (``govdata.ingest.connectors.builtin``) and
outside packages register the same way. Raises ``InvalidInput("ingest.unknown_connector")`` for an
unknown name (listing the known ones) and ``Conflict("ingest.connector_name_taken")`` when two
different classes claim one name.
"""

from __future__ import annotations

import pluggy

from govdata.ingest.connectors.base import Connector
from govdata.plugins import Registry

CONNECTORS: Registry[type[Connector]] = Registry(
    "register_connectors", unknown="ingest.unknown_connector", taken="ingest.connector_name_taken"
)


def register_connector(cls: type[Connector]) -> type[Connector]:
    """Add ``cls`` under ``cls.name``; registering the same class twice is harmless."""
    return CONNECTORS.register(cls)


def register_from(pm: pluggy.PluginManager) -> None:
    """Register every connector the plugins of another manager ``pm`` return from ``register_connectors``.

    The platform's own manager needs no call: ``CONNECTORS`` follows it by itself.
    """
    for classes in pm.hook.register_connectors():
        for cls in classes or []:
            register_connector(cls)


def connector_names() -> list[str]:
    return CONNECTORS.names()


def get_connector(name: str) -> Connector:
    """An instance of the connector registered as ``name``."""
    return CONNECTORS.lookup(name)()
