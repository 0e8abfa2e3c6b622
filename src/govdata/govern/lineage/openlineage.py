"""OpenLineage RunEvents (spec 2-0-2) built from what a lineage run records.

Every dataset is in the namespace ``govdata`` under its full lineage name (``raw.gaj.hj_rk``,
``source:hj_db/rk``, ``service:人口查询``), so an event read back names the same nodes the portal
shows. Outputs carry the ``schema`` facet (the columns written) and the ``columnLineage`` facet
(for each output column, the input columns it comes from); inputs carry the ``schema`` facet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from govdata.govern.lineage.record import ColumnEdge

NAMESPACE = "govdata"
PRODUCER = "https://github.com/govdata/govdata"
SCHEMA_URL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
_FACETS = "https://openlineage.io/spec/facets/"
SCHEMA_FACET_URL = _FACETS + "1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
COLUMN_FACET_URL = _FACETS + "1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
JOB_TYPE_URL = _FACETS + "2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"


def _schema_facet(columns: list[str]) -> dict[str, Any]:
    return {
        "_producer": PRODUCER,
        "_schemaURL": SCHEMA_FACET_URL,
        "fields": [{"name": column} for column in columns],
    }


def _dataset(name: str, columns: list[str], column_facet: dict[str, Any] | None = None) -> dict[str, Any]:
    facets: dict[str, Any] = {}
    if columns:
        facets["schema"] = _schema_facet(columns)
    if column_facet:
        facets["columnLineage"] = {
            "_producer": PRODUCER,
            "_schemaURL": COLUMN_FACET_URL,
            "fields": column_facet,
        }
    return {"namespace": NAMESPACE, "name": name, "facets": facets}


def run_event(
    *,
    run_id: str,
    at: dt.datetime,
    job: str,
    kind: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    column_edges: Sequence[ColumnEdge],
    version: int | None,
) -> dict[str, Any]:
    """The COMPLETE RunEvent of one run (a plain, JSON-ready dict)."""
    read: dict[str, list[str]] = {name: [] for name in inputs}
    written: dict[str, list[str]] = {name: [] for name in outputs}
    lineage: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in outputs}
    for edge in column_edges:
        if edge.source_column not in read.setdefault(edge.source_table, []):
            read[edge.source_table].append(edge.source_column)
        if edge.target_column not in written.setdefault(edge.target_table, []):
            written[edge.target_table].append(edge.target_column)
        field: dict[str, Any] = {
            "namespace": NAMESPACE,
            "name": edge.source_table,
            "field": edge.source_column,
        }
        if edge.transform:
            field["transformations"] = [
                {"type": "DIRECT", "subtype": "TRANSFORMATION", "description": edge.transform}
            ]
        target = lineage.setdefault(edge.target_table, {}).setdefault(edge.target_column, [])
        target.append(field)
    run_facets: dict[str, Any] = {}
    if version is not None:
        run_facets["govdata_version"] = {
            "_producer": PRODUCER,
            "_schemaURL": PRODUCER + "/blob/main/docs/govern.md#lineage",
            "lakeVersion": version,
        }
    return {
        "eventType": "COMPLETE",
        "eventTime": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "producer": PRODUCER,
        "schemaURL": SCHEMA_URL,
        "run": {"runId": run_id, "facets": run_facets},
        "job": {
            "namespace": NAMESPACE,
            "name": job,
            "facets": {
                "jobType": {
                    "_producer": PRODUCER,
                    "_schemaURL": JOB_TYPE_URL,
                    "processingType": "BATCH",
                    "integration": "GOVDATA",
                    "jobType": kind.upper(),
                }
            },
        },
        "inputs": [_dataset(name, columns) for name, columns in read.items()],
        "outputs": [
            _dataset(
                name, columns, {col: {"inputFields": fields} for col, fields in lineage.get(name, {}).items()}
            )
            for name, columns in written.items()
        ],
    }
