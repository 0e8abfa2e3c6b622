"""Registers the built-in connectors through the ``register_connectors`` hook."""

from __future__ import annotations

from govdata.hookspecs import hookimpl
from govdata.ingest.connectors.base import Connector


@hookimpl
def register_connectors() -> list[type[Connector]]:
    from govdata.ingest.connectors.csvfile import CsvConnector
    from govdata.ingest.connectors.excel import ExcelConnector
    from govdata.ingest.connectors.http_api import HttpApiConnector
    from govdata.ingest.connectors.jsonfile import JsonConnector
    from govdata.ingest.connectors.nats_stream import NatsConnector
    from govdata.ingest.connectors.parquet import ParquetConnector
    from govdata.ingest.connectors.sql import SqlConnector
    from govdata.ingest.push import PushConnector

    return [
        SqlConnector,
        CsvConnector,
        ExcelConnector,
        JsonConnector,
        ParquetConnector,
        HttpApiConnector,
        NatsConnector,
        PushConnector,
    ]
