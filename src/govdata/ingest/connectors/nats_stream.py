"""The ``nats`` connector: a NATS JetStream subject micro-batched into the lake with exactly-once effect.

A run pulls up to ``max_messages`` from a durable pull consumer (created on first use with explicit
acks). Each message — a JSON object — becomes a row of text columns plus ``_stream_seq`` (the
stream sequence, the row's key), ``_msg_id`` (the ``Nats-Msg-Id`` header, if any), ``_subject`` and
``_published_at``. Messages are acknowledged only in ``after_commit``, which the runner calls on the
same connector instance after the Delta commit succeeded; a crash between read and commit leaves
them unacknowledged, so JetStream redelivers them after ``ack_wait_seconds`` with the same stream
sequence, and the runner's merge by ``_stream_seq`` (the table's key column) absorbs the repeat.
A republished message with the same ``Nats-Msg-Id`` is dropped by JetStream's duplicate window.
``after_failure`` (optional for the runner) gives the messages back at once instead of waiting.

nats-py is asyncio; the connector runs it on a private event loop in its own thread, so it works
from synchronous code whether or not the caller has a loop of its own.
Raises ``TransientError("ingest.stream_unavailable")`` (server unreachable) and ``InvalidInput``:
``ingest.stream_not_found``, ``ingest.stream_bad_message`` (naming the stream sequence).
"""

from __future__ import annotations

import asyncio
import json
import threading
import weakref
from collections.abc import Coroutine, Iterator, Mapping
from typing import Any, TypeVar

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors.base import Capabilities, Connector, ConnectorConfig, ReadRequest, clean_names
from govdata.ingest.connectors.records import text_table, union_keys

STREAM_SEQ = "_stream_seq"
MSG_ID = "_msg_id"
SUBJECT = "_subject"
PUBLISHED_AT = "_published_at"
KEY_COLUMNS = (STREAM_SEQ,)
SECRET_FIELD = "token"
META_FIELDS = (
    pa.field(STREAM_SEQ, pa.int64()),
    pa.field(MSG_ID, pa.string()),
    pa.field(SUBJECT, pa.string()),
    pa.field(PUBLISHED_AT, pa.timestamp("us", tz="UTC")),
)
T = TypeVar("T")


class NatsConfig(ConnectorConfig):
    servers: list[str] = Field(
        default_factory=lambda: ["nats://127.0.0.1:4222"], description="NATS server URLs."
    )
    stream: str = Field(description="JetStream stream name.")
    subject: str = Field(description="Subject (may be a wildcard) the consumer filters on.")
    durable: str = Field(description="Durable consumer name; one per source table.")
    user: str | None = Field(default=None, description="User name, when the server wants user/password.")
    token: str | None = Field(default=None, description="The secret: auth token, or the password with user.")
    fields: list[str] | None = Field(default=None, description="Fixed columns; other keys are ignored.")
    batch_size: int = Field(default=1000, ge=1, le=100_000, description="Messages per fetch.")
    max_messages: int = Field(default=100_000, ge=1, description="Messages per run (one micro-batch).")
    fetch_timeout_seconds: float = Field(default=1.0, gt=0, description="Wait for more messages this long.")
    ack_wait_seconds: float = Field(default=300.0, gt=0, description="Unacked messages come back after this.")
    connect_timeout_seconds: float = Field(default=5.0, gt=0)


async def _quiet(exc: Exception) -> None:
    """nats-py logs every connection error itself; the connector raises them instead."""


class _Loop:
    """A private asyncio loop on a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="govdata-nats", daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


class _Pulled:
    """Messages pulled in one run, held unacknowledged until the commit."""

    def __init__(self, loop: _Loop, nc: Any, messages: list[Any], table: pa.Table) -> None:
        self.loop = loop
        self.nc = nc
        self.messages = messages
        self.table = table
        self.settled = False

    def release(self) -> None:
        """Give unsettled messages back and close; for a connector dropped without a hook call."""
        try:
            self.settle(ack=False)
        except Exception:  # noqa: BLE001, S110 - best effort; unacked messages come back after ack_wait anyway
            pass

    def settle(self, ack: bool) -> None:
        if self.settled:
            return
        self.settled = True

        async def _settle() -> None:
            try:
                if ack and self.messages:
                    for msg in self.messages[:-1]:
                        await msg.ack()
                    await self.messages[-1].ack_sync()  # in order: once this is confirmed, all are
                elif self.messages:
                    for msg in self.messages:
                        await msg.nak()
                    await self.nc.flush()
            finally:
                await self.nc.close()

        try:
            self.loop.run(_settle())
        finally:
            self.loop.stop()


def _row_table(messages: list[Any], fields: list[str] | None) -> pa.Table:
    """The messages as text columns plus the stream metadata columns."""
    records: list[dict[str, Any]] = []
    for msg in messages:
        try:
            record = json.loads(msg.data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(
                "ingest.stream_bad_message", subject=msg.subject, seq=msg.metadata.sequence.stream
            ) from exc
        if not isinstance(record, dict):
            raise InvalidInput(
                "ingest.stream_bad_message", subject=msg.subject, seq=msg.metadata.sequence.stream
            )
        records.append(record)
    keys = list(fields) if fields is not None else union_keys(records)
    keys = [k for k in keys if k not in {f.name for f in META_FIELDS}]
    table = text_table(records, keys)
    meta = [
        pa.array([m.metadata.sequence.stream for m in messages], pa.int64()),
        pa.array([(m.headers or {}).get("Nats-Msg-Id") for m in messages], pa.string()),
        pa.array([m.subject for m in messages], pa.string()),
        pa.array([m.metadata.timestamp for m in messages], META_FIELDS[3].type),
    ]
    for field, array in zip(META_FIELDS, meta, strict=True):
        table = table.append_column(field, array)
    return table


class NatsConnector(Connector):
    name = "nats"
    label = "ingest.connector.nats"
    Config = NatsConfig
    capabilities = Capabilities(upsert=True)
    key_columns = KEY_COLUMNS  # what the source table's key_columns should be

    def __init__(self) -> None:
        self._pulled: _Pulled | None = None
        self.last_sequence: int | None = None

    def discover(self, config: Any) -> list[str]:
        return [self.parse_config(config).subject]

    def split_secret(self, config: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
        public = dict(config)
        return public, public.pop(SECRET_FIELD, None)

    def join_secret(self, config: Mapping[str, Any], secret: str | None) -> dict[str, Any]:
        joined = dict(config)
        if secret is not None:
            joined[SECRET_FIELD] = secret
        return joined

    async def _pull(self, cfg: NatsConfig) -> tuple[Any, list[Any]]:
        import nats
        from nats.errors import Error as NatsError
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
        from nats.js.errors import NotFoundError

        auth: dict[str, Any] = {}
        if cfg.token is not None:
            auth = {"user": cfg.user, "password": cfg.token} if cfg.user else {"token": cfg.token}
        try:
            nc = await asyncio.wait_for(
                nats.connect(
                    servers=cfg.servers,
                    connect_timeout=cfg.connect_timeout_seconds,
                    allow_reconnect=False,
                    max_reconnect_attempts=1,
                    error_cb=_quiet,
                    **auth,
                ),
                timeout=cfg.connect_timeout_seconds * 2 * len(cfg.servers),
            )
        except (NatsError, OSError, TimeoutError) as exc:
            raise TransientError(
                "ingest.stream_unavailable", server=", ".join(cfg.servers), detail=str(exc)[:200]
            ) from exc
        try:
            js = nc.jetstream()
            try:
                await js.stream_info(cfg.stream)
            except NotFoundError as exc:
                raise InvalidInput("ingest.stream_not_found", stream=cfg.stream) from exc
            try:
                await js.consumer_info(cfg.stream, cfg.durable)
            except NotFoundError:
                await js.add_consumer(
                    cfg.stream,
                    ConsumerConfig(
                        durable_name=cfg.durable,
                        ack_policy=AckPolicy.EXPLICIT,
                        deliver_policy=DeliverPolicy.ALL,
                        ack_wait=cfg.ack_wait_seconds,
                        filter_subject=cfg.subject,
                        max_ack_pending=-1,
                    ),
                )
            sub = await js.pull_subscribe_bind(durable=cfg.durable, stream=cfg.stream)
            messages: list[Any] = []
            while len(messages) < cfg.max_messages:
                want = min(cfg.batch_size, cfg.max_messages - len(messages))
                try:
                    got = await sub.fetch(want, timeout=cfg.fetch_timeout_seconds)
                except TimeoutError:
                    break
                messages.extend(got)
                if len(got) < want:
                    break
            return nc, messages
        except BaseException:
            await nc.close()
            raise

    def _take(self, cfg: NatsConfig) -> _Pulled:
        """The messages of this run, pulled once per instance (``schema`` and ``read`` share them)."""
        if self._pulled is None:
            loop = _Loop()
            try:
                nc, messages = loop.run(self._pull(cfg))
            except BaseException:
                loop.stop()
                raise
            pulled = _Pulled(loop, nc, messages, pa.table({}))
            try:
                pulled.table = _row_table(messages, cfg.fields)
            except BaseException:
                pulled.settle(ack=False)
                raise
            self._pulled = pulled
            # a runner that never calls after_commit/after_failure must not leak the connection
            weakref.finalize(self, pulled.release)
            seqs = [m.metadata.sequence.stream for m in messages]
            self.last_sequence = max(seqs) if seqs else None
        return self._pulled

    def schema(self, config: Any) -> pa.Schema:
        cfg = self.parse_config(config)
        if cfg.fields is not None:
            names = clean_names([f for f in cfg.fields if f not in {m.name for m in META_FIELDS}])
            return pa.schema([*(pa.field(n, pa.string()) for n in names), *META_FIELDS])
        return self._take(cfg).table.schema

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        cfg = self.parse_config(config)
        table = self._take(cfg).table
        if request is not None and request.columns:
            table = table.select(list(request.columns))
        if request is not None and request.limit is not None:
            table = table.slice(0, request.limit)
        yield from table.to_batches()

    @property
    def pending(self) -> int:
        """Messages read and not yet acknowledged."""
        return len(self._pulled.messages) if self._pulled else 0

    def after_commit(self, config: Any) -> None:
        """Acknowledge what ``read`` returned: the runner calls this after the Delta commit succeeded."""
        pulled, self._pulled = self._pulled, None
        if pulled is not None:
            pulled.settle(ack=True)

    def after_failure(self, config: Any) -> None:
        """Give the messages back for immediate redelivery (the run did not commit)."""
        pulled, self._pulled = self._pulled, None
        if pulled is not None:
            pulled.settle(ack=False)
