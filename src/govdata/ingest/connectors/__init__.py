"""Source connectors: the contract, the registry and the built-ins (sql, csv, excel, json)."""

from govdata.ingest.connectors.base import (
    INGESTED_AT,
    SOURCE_ROW,
    Capabilities,
    Connector,
    ConnectorConfig,
    ReadRequest,
)
from govdata.ingest.connectors.registry import (
    CONNECTORS,
    connector_names,
    get_connector,
    register_connector,
    register_from,
)

__all__ = [
    "CONNECTORS",
    "INGESTED_AT",
    "SOURCE_ROW",
    "Capabilities",
    "ReadRequest",
    "Connector",
    "ConnectorConfig",
    "connector_names",
    "get_connector",
    "register_connector",
    "register_from",
]
