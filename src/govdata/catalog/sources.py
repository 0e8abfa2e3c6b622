"""What a connected source holds, read without loading rows: its tables and their columns.

A SQL database is asked once through SQLAlchemy's inspector (all tables of one engine): each
column's lake name and Arrow type exactly as the ``sql`` connector would load it (``arrow_type``,
``clean_names``), its declared length (``VARCHAR(18)`` → 18, ``DECIMAL(12,2)`` → 12), nullability and
comment, and the table comment where the database keeps one (SQLite keeps none). Every other
connector is asked through its contract: ``discover`` for the tables, ``schema`` for the columns.

Raises what the connector raises (``ingest.*``); anything else becomes ``ingest.failed``, and an
unreachable database ``TransientError("ingest.source_unavailable")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govdata.errors import TransientError


@dataclass
class TableInfo:
    name: str
    columns: list[dict[str, Any]] = field(default_factory=list)  # name, type, nullable, length, comment
    comment: str | None = None
    row_estimate: int | None = None


def read_tables(source: Any, secret_key: str) -> list[TableInfo]:
    """The tables ``source`` (an ingest ``Source``) offers now, with their columns."""
    from govdata.ingest import get_connector, source_config
    from govdata.ingest.errors import as_govdata_error

    connector = get_connector(source.connector)
    try:
        cfg = connector.parse_config(source_config(source, secret_key))
        if source.connector == "sql":
            return _sql_tables(cfg)
        return _contract_tables(connector, cfg)
    except Exception as exc:
        raise as_govdata_error(exc, source.name) from exc


def _contract_tables(connector: Any, cfg: Any) -> list[TableInfo]:
    from govdata.ingest.connectors.base import RESERVED_COLUMNS

    out = []
    for name in connector.discover(cfg):
        one = cfg.model_copy(update={"table": name}) if "table" in type(cfg).model_fields else cfg
        schema = connector.schema(one)
        out.append(
            TableInfo(
                name=name,
                columns=[
                    {"name": f.name, "type": str(f.type), "nullable": f.nullable}
                    for f in schema
                    if f.name not in RESERVED_COLUMNS
                ],
            )
        )
    return out


def _sql_tables(cfg: Any) -> list[TableInfo]:
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.pool import NullPool

    from govdata.ingest.connectors.base import clean_names
    from govdata.ingest.connectors.sql import arrow_type, engine_url

    engine = create_engine(engine_url(cfg.url), poolclass=NullPool)
    try:
        inspector = inspect(engine)
        out = []
        for name in sorted(inspector.get_table_names(schema=cfg.schema_)):
            cols = inspector.get_columns(name, schema=cfg.schema_)
            names = clean_names([c["name"] for c in cols])
            out.append(
                TableInfo(
                    name=name,
                    comment=_table_comment(inspector, name, cfg.schema_),
                    columns=[
                        {
                            "name": lake_name,
                            "type": str(arrow_type(c["type"])[0]),
                            "nullable": bool(c.get("nullable", True)),
                            "length": _length(c["type"]),
                            "comment": c.get("comment") or None,
                        }
                        for lake_name, c in zip(names, cols, strict=True)
                    ],
                )
            )
        return out
    except OperationalError as exc:
        from govdata.ingest.connectors.sql import _safe_url

        raise TransientError("ingest.source_unavailable", source=_safe_url(cfg.url)) from exc
    finally:
        engine.dispose()


def _table_comment(inspector: Any, name: str, schema: str | None) -> str | None:
    try:
        comment = inspector.get_table_comment(name, schema=schema).get("text")
    except NotImplementedError:  # SQLite keeps no table comments
        return None
    return str(comment).strip() or None if comment else None


def _length(sql_type: Any) -> int | None:
    length = getattr(sql_type, "length", None)
    if isinstance(length, int):
        return length
    precision = getattr(sql_type, "precision", None)
    if isinstance(precision, int) and getattr(sql_type, "scale", None) is not None:
        return precision  # exact decimals: the declared precision
    return None
