"""The ``nats`` connector against the real JetStream server: micro-batches with exactly-once effect.

The runner's part (merge by ``_stream_seq``, then ``after_commit``) is played by ``_load`` here:
one Delta commit that keeps existing rows and adds the batch's rows whose sequence is new.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from govdata.errors import InvalidInput, TransientError
from govdata.ingest.connectors.nats_stream import KEY_COLUMNS, STREAM_SEQ, NatsConnector
from govdata.lake import Lake, TableRef

NATS_URL = "nats://127.0.0.1:4222"
assert KEY_COLUMNS == (STREAM_SEQ,)


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _admin(action: str, stream: str, subject: str = "") -> None:
    import nats

    try:
        nc = await nats.connect(NATS_URL, connect_timeout=3, allow_reconnect=False, max_reconnect_attempts=0)
    except Exception as exc:  # noqa: BLE001 - the message names the server
        pytest.fail(f"NATS JetStream at {NATS_URL} is unreachable: {exc}")
    js = nc.jetstream()
    if action == "create":
        await js.add_stream(name=stream, subjects=[subject])
    else:
        await js.delete_stream(stream)
    await nc.close()


async def _publish(subject: str, records: list[tuple[str | None, Any]]) -> None:
    import nats

    nc = await nats.connect(NATS_URL)
    js = nc.jetstream()
    for msg_id, body in records:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        await js.publish(subject, data, headers={"Nats-Msg-Id": msg_id} if msg_id else None)
    await nc.close()


@pytest.fixture
def stream() -> Iterator[dict[str, str]]:
    tag = uuid.uuid4().hex[:10]
    names = {"stream": f"GD_TEST_{tag}", "subject": f"gd.test.{tag}", "durable": f"gd_{tag}"}
    _run(_admin("create", names["stream"], names["subject"]))
    yield names
    _run(_admin("delete", names["stream"]))


def _config(names: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"servers": [NATS_URL], **names, "fetch_timeout_seconds": 0.3, **extra}


def _load(lake: Lake, ref: TableRef, config: dict[str, Any], *, commit_hook: bool = True) -> NatsConnector:
    """What the runner does for an upsert table keyed by ``_stream_seq``."""
    connector = NatsConnector()
    cfg = connector.parse_config(config)
    schema = connector.schema(cfg)
    batch = pa.Table.from_batches(list(connector.read(cfg)), schema=schema)
    if lake.exists(ref):
        with lake.connect(old=ref) as con:
            con.register("new", batch)
            merged = con.execute(
                "SELECT * FROM old UNION ALL BY NAME "
                "SELECT * FROM new WHERE _stream_seq NOT IN (SELECT _stream_seq FROM old)"
            ).to_arrow_table()
        lake.write(ref, merged.select(schema.names).cast(schema), mode="overwrite")
    else:
        lake.write(ref, batch, mode="overwrite")
    if commit_hook:
        connector.after_commit(cfg)
    return connector


def _rows(lake: Lake, ref: TableRef) -> list[dict[str, Any]]:
    return sorted(lake.dataset(ref).to_table().to_pylist(), key=lambda r: r[STREAM_SEQ])


def test_redelivered_and_republished_messages_do_not_duplicate(tmp_path: Any, stream: dict[str, str]) -> None:
    lake = Lake(str(tmp_path / "lake"))
    ref = TableRef("raw", "gaj", "events")
    _run(_publish(stream["subject"], [(f"m{i}", {"id": i, "name": f"事件{i}"}) for i in range(1, 6)]))
    first = _load(lake, ref, _config(stream))
    assert first.last_sequence == 5
    assert [r["id"] for r in _rows(lake, ref)] == ["1", "2", "3", "4", "5"]

    # more messages, and a retried publish of m2/m3 (same msg id): JetStream drops the repeats
    _run(
        _publish(stream["subject"], [("m6", {"id": 6, "extra": True}), ("m2", {"id": 2}), ("m3", {"id": 3})])
    )
    _load(lake, ref, _config(stream))
    rows = _rows(lake, ref)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[-1]["_msg_id"] == "m6" and rows[-1]["extra"] == "true"
    assert [r[STREAM_SEQ] for r in rows] == [1, 2, 3, 4, 5, 6]

    # nothing new: the consumer has acked everything, so a run reads nothing
    assert _load(lake, ref, _config(stream)).last_sequence is None
    assert len(_rows(lake, ref)) == 6


def test_crash_between_commit_and_ack_redelivers_without_duplicates(
    tmp_path: Any, stream: dict[str, str]
) -> None:
    lake = Lake(str(tmp_path / "lake"))
    ref = TableRef("raw", "gaj", "events")
    config = _config(stream, ack_wait_seconds=1.0)
    _run(_publish(stream["subject"], [(None, {"id": i}) for i in range(1, 4)]))
    crashed = _load(lake, ref, config, commit_hook=False)  # committed, then "killed" before the ack
    assert crashed.pending == 3
    time.sleep(1.5)  # ack_wait expires: JetStream redelivers
    again = _load(lake, ref, config)
    assert again.last_sequence == 3
    rows = _rows(lake, ref)
    assert [r["id"] for r in rows] == ["1", "2", "3"] and rows[0]["_msg_id"] is None
    crashed.after_failure(config)  # release the stale connection


def test_failed_run_gives_messages_back(stream: dict[str, str]) -> None:
    _run(_publish(stream["subject"], [(None, {"id": 1}), (None, {"id": 2})]))
    connector = NatsConnector()
    cfg = connector.parse_config(_config(stream))
    assert len(list(connector.read(cfg))[0]) == 2
    connector.after_failure(cfg)  # nak: back at once, no ack_wait
    again = NatsConnector()
    assert sum(len(b) for b in again.read(cfg)) == 2
    again.after_commit(cfg)


def test_bad_message_names_its_sequence(stream: dict[str, str]) -> None:
    _run(_publish(stream["subject"], [(None, {"id": 1}), (None, b"not json")]))
    connector = NatsConnector()
    with pytest.raises(InvalidInput) as err:
        list(connector.read(_config(stream)))
    assert err.value.code == "ingest.stream_bad_message" and err.value.params["seq"] == 2


def test_missing_stream_and_unreachable_server() -> None:
    with pytest.raises(InvalidInput) as err:
        list(
            NatsConnector().read(
                _config({"stream": "GD_NO_SUCH_" + uuid.uuid4().hex[:6], "subject": "x.y", "durable": "d"})
            )
        )
    assert err.value.code == "ingest.stream_not_found"
    with pytest.raises(TransientError) as down:
        list(
            NatsConnector().read(
                {
                    "servers": ["nats://127.0.0.1:1"],
                    "stream": "S",
                    "subject": "s",
                    "durable": "d",
                    "connect_timeout_seconds": 0.5,
                }
            )
        )
    assert down.value.code == "ingest.stream_unavailable"


def test_token_is_the_secret() -> None:
    connector = NatsConnector()
    public, secret = connector.split_secret({"stream": "S", "subject": "s", "durable": "d", "token": "t0k"})
    assert secret == "t0k" and "token" not in public
    assert connector.join_secret(public, secret)["token"] == "t0k"
