"""Ingest (聚): connectors to departments' systems and files, loads into the raw layer, run history.

Public API for other pillars, the web app and the CLI.
"""

from govdata.ingest.connectors import (
    CONNECTORS,
    Capabilities,
    Connector,
    ConnectorConfig,
    ReadRequest,
    connector_names,
    get_connector,
    register_connector,
    register_from,
)
from govdata.ingest.connectors.sql_pool import clear as close_source_connections
from govdata.ingest.encoding import detect_encoding
from govdata.ingest.models import IngestRun, RunStatus, Source, SourceStatus, SourceTable
from govdata.ingest.quarantine import quarantine_rows
from govdata.ingest.runner import (
    LoadResult,
    load_to_lake,
    query_in_place,
    run_full_load,
    run_table,
    source_config,
    store_config,
)
from govdata.ingest.secret import decrypt_secret, encrypt_secret

__all__ = [
    "CONNECTORS",
    "Capabilities",
    "Connector",
    "ConnectorConfig",
    "ReadRequest",
    "IngestRun",
    "LoadResult",
    "RunStatus",
    "Source",
    "SourceStatus",
    "SourceTable",
    "close_source_connections",
    "connector_names",
    "decrypt_secret",
    "detect_encoding",
    "encrypt_secret",
    "get_connector",
    "load_to_lake",
    "register_connector",
    "register_from",
    "query_in_place",
    "quarantine_rows",
    "run_full_load",
    "run_table",
    "source_config",
    "store_config",
]
