"""Push API: department systems POST batches of records into a push source's table.

``POST /ingest/push/{source_table_id}`` with an ``Idempotency-Key`` header and a JSON (array of
objects or ``{"records": [...]}``) or CSV body; the logic is ``govdata.ingest.push.push_batch``.
201 for a new batch, 200 (same batch id, nothing written) for a repeated key.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import BaseModel

from govdata.ingest.push import PushTooLarge, push_batch
from govdata.security.actor import Actor
from govdata.security.roles import Permission
from govdata.web.deps import PlatformDep, SessionDep, require

router = APIRouter(tags=["ingest"])


class PushOut(BaseModel):
    batch_id: int
    table: str
    rows: int
    run_id: int | None
    lake_version: int | None
    replayed: bool


async def _body(request: Request) -> bytes:
    """The request body, refused (413) as soon as it passes the limit instead of buffered whole."""
    limit = request.app.state.platform.settings.ingest.push_max_mb * 1024 * 1024
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PushTooLarge("ingest.push_too_large", limit_mb=limit // (1024 * 1024))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PushTooLarge("ingest.push_too_large", limit_mb=limit // (1024 * 1024))
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/ingest/push/{source_table_id}",
    response_model=PushOut,
    status_code=201,
    responses={200: {"model": PushOut, "description": "A repeated Idempotency-Key: the original batch"}},
)
def push(
    source_table_id: int,
    request: Request,
    response: Response,
    session: SessionDep,
    platform: PlatformDep,
    actor: Annotated[Actor, Depends(require(Permission.INGEST_RUN))],
    body: Annotated[bytes, Depends(_body)],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> PushOut:
    result = push_batch(
        session,
        platform.lake,
        platform.audit,
        actor,
        source_table_id,
        idempotency_key,
        body,
        request.headers.get("content-type", ""),
        max_bytes=platform.settings.ingest.push_max_mb * 1024 * 1024,
    )
    if result.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    return PushOut(**asdict(result))
