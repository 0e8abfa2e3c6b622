"""Every recorded run is a valid OpenLineage 2-0-2 RunEvent, and the push delivers them in order.

``jsonschema`` is not installed, so the spec's required fields (RunEvent, Run, Job, Dataset, the
facets' ``_producer``/``_schemaURL``, SchemaDatasetFacet, ColumnLineageDatasetFacet, JobTypeJobFacet)
are written here as strict Pydantic models from https://openlineage.io/spec/2-0-2/OpenLineage.json
and the facet specs.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Literal

import pytest
from pydantic import AnyUrl, AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select

from govdata.govern.lineage import ColumnEdge, record_lineage
from govdata.govern.lineage.events import deliver
from govdata.govern.lineage.models import LineageRun
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.models import AuditRecord

SYSTEM = Actor.system("test")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="allow", strict=False)


class Facet(_Spec):
    producer: AnyUrl = Field(alias="_producer")
    schema_url: AnyUrl = Field(alias="_schemaURL")


class SchemaField(_Spec):
    name: str
    type: str | None = None


class SchemaFacet(Facet):
    fields: list[SchemaField]


class Transformation(_Spec):
    type: Literal["DIRECT", "INDIRECT"]
    subtype: str | None = None
    description: str | None = None


class InputField(_Spec):
    namespace: str
    name: str
    field: str
    transformations: list[Transformation] = []


class ColumnFields(_Spec):
    inputFields: list[InputField]  # noqa: N815 - the spec's name


class ColumnLineageFacet(Facet):
    fields: dict[str, ColumnFields]


class DatasetFacets(_Spec):
    schema_: SchemaFacet | None = Field(default=None, alias="schema")
    columnLineage: ColumnLineageFacet | None = None  # noqa: N815


class Dataset(_Spec):
    namespace: str
    name: str
    facets: DatasetFacets = DatasetFacets()


class JobType(Facet):
    processingType: str  # noqa: N815
    integration: str
    jobType: str | None = None  # noqa: N815


class Job(_Spec):
    namespace: str
    name: str
    facets: dict[str, JobType] = {}


class Run(_Spec):
    runId: uuid.UUID  # noqa: N815
    facets: dict[str, Facet] = {}


class RunEvent(_Spec):
    eventTime: AwareDatetime  # noqa: N815
    producer: AnyUrl
    schemaURL: AnyUrl  # noqa: N815
    eventType: Literal["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"] | None = None  # noqa: N815
    run: Run
    job: Job
    inputs: list[Dataset] = []
    outputs: list[Dataset] = []


RAW, STD = "raw.gaj.rk_ol", "std.gaj.rk_ol"


def _record(platform: Platform, job: str = f"standardize {RAW}") -> LineageRun:
    with platform.unit() as s:
        run = record_lineage(
            s, job=job, kind="standardize", inputs=[RAW], outputs=[STD], version=4,
            column_edges=[ColumnEdge(RAW, "sfzh", STD, "sfzh", "id_number_18"), ColumnEdge(RAW, "xb", STD, "xb"),
                          ColumnEdge(RAW, "csrq", STD, "xb", "code_table")],
        )  # fmt: skip
        s.expunge(run)
        return run


def test_a_recorded_run_is_a_valid_complete_run_event_with_schema_and_column_lineage(
    platform: Platform,
) -> None:
    run = _record(platform)
    event = RunEvent.model_validate(json.loads(json.dumps(run.event)))  # through JSON, as it is sent
    assert event.eventType == "COMPLETE" and str(event.run.runId) == run.run_uuid
    assert event.eventTime.tzinfo is not None and event.job.name == f"standardize {RAW}"
    assert [d.name for d in event.inputs] == [RAW] and [d.name for d in event.outputs] == [STD]
    output = event.outputs[0].facets
    assert output.schema_ is not None and [f.name for f in output.schema_.fields] == ["sfzh", "xb"]
    assert output.columnLineage is not None
    xb = output.columnLineage.fields["xb"].inputFields
    assert [(f.name, f.field) for f in xb] == [(RAW, "xb"), (RAW, "csrq")]
    assert xb[1].transformations[0].description == "code_table"
    assert run.event["run"]["facets"]["govdata_version"]["lakeVersion"] == 4


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    status = 201

    def do_POST(self) -> None:  # noqa: N802 - the http.server hook
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if type(self).status < 300:
            type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "status": 201})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/lineage", handler
    server.shutdown()
    server.server_close()


def test_the_push_sends_each_undelivered_event_once_in_order(
    platform: Platform, receiver: tuple[str, type[_Receiver]]
) -> None:
    url, handler = receiver
    first, second = _record(platform, "a"), _record(platform, "b")
    handler.status = 503
    with platform.unit() as s:
        failed = deliver(s, platform.audit, SYSTEM, url, timeout=5)
    assert (
        failed.sent == 0
        and failed.error is not None
        and failed.error.code == "govern.lineage.delivery_failed"
    )
    handler.status = 201
    with platform.unit() as s:
        assert deliver(s, platform.audit, SYSTEM, url, timeout=5).sent == 2
    with platform.unit() as s:
        assert deliver(s, platform.audit, SYSTEM, url, timeout=5).sent == 0
        delivered = s.scalars(select(LineageRun.delivered_at)).all()
    assert [e["run"]["runId"] for e in handler.received] == [first.run_uuid, second.run_uuid]
    assert all(isinstance(d, dt.datetime) for d in delivered)
    with platform.sessions() as s:
        audited = s.execute(
            select(AuditRecord.target, AuditRecord.rows).where(AuditRecord.action == "lineage.delivered")
        )
        assert [tuple(row) for row in audited] == [(url, 2)]


def test_an_unreachable_server_stops_the_push_and_keeps_the_events(platform: Platform) -> None:
    _record(platform)
    with platform.unit() as s:
        result = deliver(s, platform.audit, SYSTEM, "http://127.0.0.1:9/api/v1/lineage", timeout=1)
        assert result.sent == 0 and result.error is not None
        assert s.scalar(select(LineageRun.delivered_at)) is None


def test_the_scheduler_pushes_to_the_configured_server_on_each_tick(
    platform: Platform, receiver: tuple[str, type[_Receiver]]
) -> None:
    from govdata.ingest.scheduler import Scheduler

    url, handler = receiver
    run = _record(platform)
    platform.settings.lineage.openlineage_url = url
    Scheduler(platform).tick()
    assert [e["run"]["runId"] for e in handler.received] == [run.run_uuid]
    Scheduler(platform).tick()
    assert len(handler.received) == 1
