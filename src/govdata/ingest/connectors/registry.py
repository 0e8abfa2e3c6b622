"""The connector registry: ``CONNECTORS`` maps a stable name to a ``Connector`` class.

Built-ins register through the same ``register_connectors`` hook as outside packages
(``govdata.ingest.connectors.builtin``). Raises ``InvalidInput("ingest.unknown_connector")`` for an
unknown name (listing the known ones) and ``Conflict("ingest.connector_name_taken")`` when two
different classes claim one name.
"""

from __future__ import annotations

import pluggy

from govdata.errors import Conflict, InvalidInput
from govdata.ingest.connectors.base import Connector

CONNECTORS: dict[str, type[Connector]] = {}


def register_connector(cls: type[Connector]) -> type[Connector]:
    """Add ``cls`` under ``cls.name``; registering the same class twice is harmless."""
    existing = CONNECTORS.get(cls.name)
    if existing is not None and existing is not cls:
        raise Conflict("ingest.connector_name_taken", name=cls.name)
    CONNECTORS[cls.name] = cls
    return cls


def register_from(pm: pluggy.PluginManager) -> None:
    """Register every connector the plugins of ``pm`` return from ``register_connectors``."""
    for classes in pm.hook.register_connectors():
        for cls in classes or []:
            register_connector(cls)


def _ensure_builtins() -> None:
    if {"sql", "csv", "excel", "json"} <= CONNECTORS.keys():
        return
    from govdata.ingest import hooks
    from govdata.ingest.connectors import builtin

    pm = pluggy.PluginManager("govdata")
    pm.add_hookspecs(hooks)
    pm.register(builtin)
    register_from(pm)


def connector_names() -> list[str]:
    _ensure_builtins()
    return sorted(CONNECTORS)


def get_connector(name: str) -> Connector:
    """An instance of the connector registered as ``name``."""
    _ensure_builtins()
    cls = CONNECTORS.get(name)
    if cls is None:
        raise InvalidInput("ingest.unknown_connector", name=name, known=", ".join(sorted(CONNECTORS)))
    return cls()
