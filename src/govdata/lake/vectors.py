"""Deletion vectors (Delta protocol): rows of a data file marked deleted without rewriting the file.

deltalake 1.6 reads them (its MERGE, scans and ``deletion_vectors()`` honour them) but never writes
them, so an upsert whose changed keys sit in every file used to rewrite the whole table. The lake
writes them itself (``rewrite.upsert``) and reads them where it reads files directly
(``Lake.register``, ``Lake.stats``).

Format (Delta PROTOCOL.md, "Deletion Vector Format"): the row positions as a 64-bit Roaring bitmap in
its portable serialization (pyroaring's ``BitMap64``) behind the magic number 1681511377
(little-endian); a file ``deletion_vector_<uuid>.bin`` beside the data holds a version byte (1) and,
per vector, its size (big-endian), the bytes and their CRC-32 (big-endian); the descriptor in the
``add`` action names the file by its UUID in Z85 (storage type ``u``) and the vector by its offset.
A file's vector can only be replaced together with the ``add`` that carries it: the log keys files by
path *and* vector, so ``current_adds`` replays the log for the old descriptors (deltalake exposes
none).
"""

from __future__ import annotations

import functools
import json
import os
import struct
import uuid
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

MAGIC = 1681511377
_Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
FEATURE = {"delta.enableDeletionVectors": "true"}


def z85(raw: bytes) -> str:
    """``raw`` (a multiple of 4 bytes) in ZeroMQ's Z85 — Python 3.11 has no ``base64.z85encode``."""
    out = []
    for i in range(0, len(raw), 4):
        value = int.from_bytes(raw[i : i + 4], "big")
        chunk = []
        for _ in range(5):
            value, digit = divmod(value, 85)
            chunk.append(_Z85[digit])
        out.extend(reversed(chunk))
    return "".join(out)


def z85_decode(text: str) -> bytes:
    """The bytes ``z85`` encoded as ``text`` (a multiple of 5 characters)."""
    digits = {c: i for i, c in enumerate(_Z85)}
    out = bytearray()
    for i in range(0, len(text), 5):
        value = 0
        for c in text[i : i + 5]:
            value = value * 85 + digits[c]
        out += value.to_bytes(4, "big")
    return bytes(out)


def encode(positions: Iterable[int]) -> bytes:
    """The serialized vector of ``positions``: magic number, then the portable 64-bit Roaring bitmap."""
    from pyroaring import BitMap64

    return struct.pack("<I", MAGIC) + BitMap64(positions).serialize()


def write(root: str, vectors: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Write ``vectors`` (data file path → ``BitMap64`` of deleted positions) into one new vector file
    under ``root``; each path's descriptor for its ``add`` action."""
    name = uuid.uuid4()
    body = bytearray(b"\x01")
    descriptors = {}
    for path, positions in vectors.items():
        data = encode(positions)
        descriptors[path] = {
            "storageType": "u",
            "pathOrInlineDv": z85(name.bytes),
            "offset": len(body),
            "sizeInBytes": len(data),
            "cardinality": len(positions),
        }
        body += struct.pack(">I", len(data)) + data + struct.pack(">I", zlib.crc32(data) & 0xFFFFFFFF)
    with open(os.path.join(root, f"deletion_vector_{name}.bin"), "xb") as out:
        out.write(body)
    return descriptors


def deleted(table: Any, adds: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, pa.Array]:
    """Deleted row positions (uint64) per data file of ``table`` that has a vector, by local path.

    A local table's vectors are read from their files by the descriptors in its log, each vector
    once per process (``_positions``: a vector never changes once written); deltalake's
    ``deletion_vectors()`` would expand every file's vector into a selection vector as long as the
    file, every time. Other tables, and descriptors this reader does not know, go through deltalake.
    ``adds``: ``current_adds`` at the table's version, when the caller has already read them.
    """
    if not enabled(table):
        return {}
    root = local_root(table)
    if root is not None:
        out = {}
        try:
            if adds is None:
                adds = current_adds(root, int(table.version()))
            for path, add in adds.items():
                if add.get("deletionVector"):
                    out[_local_path(root, path)] = _positions(root, _descriptor(add["deletionVector"]))
            return out
        except (OSError, ValueError):  # an unknown storage type, a checkpoint this reader cannot parse
            pass
    return _deleted_by_deltalake(table)


def _deleted_by_deltalake(table: Any) -> dict[str, pa.Array]:
    import pyarrow.compute as pc

    out = {}
    for batch in pa.RecordBatchReader.from_stream(table.deletion_vectors()):
        for path, keep in zip(
            batch.column("filepath").to_pylist(), batch.column("selection_vector"), strict=True
        ):
            mask = pa.array(keep.values if hasattr(keep, "values") else keep.as_py(), pa.bool_())
            out[_local_path("", str(path))] = pc.indices_nonzero(pc.invert(mask)).cast(pa.uint64())
    return out


def deleted_rows(table: Any) -> int:
    """How many rows of a deltalake table's files its deletion vectors mark deleted (the log's row
    counts include them): the vectors' cardinalities in the log, where the table is local."""
    if not enabled(table):
        return 0
    root = local_root(table)
    if root is not None:
        try:
            adds = current_adds(root, int(table.version())).values()
            return sum(int(a["deletionVector"]["cardinality"]) for a in adds if a.get("deletionVector"))
        except (OSError, ValueError, KeyError):
            pass
    return sum(len(rows) for rows in _deleted_by_deltalake(table).values())


def local_root(table: Any) -> str | None:
    """The directory of a table on the local file system (None for an object store)."""
    uri = str(table.table_uri)
    if uri.startswith("file://"):
        from urllib.parse import unquote

        uri = unquote(uri.removeprefix("file://"))
    return None if "://" in uri else uri.rstrip("/")


def _local_path(root: str, path: str) -> str:
    from urllib.parse import unquote

    if "://" in path:
        return unquote(path.removeprefix("file://"))
    return os.path.join(root, unquote(path))


def _descriptor(dv: Mapping[str, Any]) -> tuple[str, str, int, int]:
    return (
        str(dv["storageType"]),
        str(dv["pathOrInlineDv"]),
        int(dv.get("offset") or 0),
        int(dv["sizeInBytes"]),
    )


def _positions(root: str, descriptor: tuple[str, str, int, int]) -> pa.Array:
    storage, where, offset, size = descriptor
    if storage == "u":  # a random prefix (a directory), then the file's UUID in 20 Z85 characters
        prefix, encoded = where[:-20], where[-20:]
        name = f"deletion_vector_{uuid.UUID(bytes=z85_decode(encoded))}.bin"
        return _read_vector(os.path.join(root, prefix, name), offset, size)
    if storage == "p":
        return _read_vector(_local_path(root, where), offset, size)
    if storage == "i":
        return _decode(z85_decode(where)[:size])
    raise ValueError(f"unknown deletion vector storage type {storage!r}")


@functools.lru_cache(maxsize=256)  # one table's vectors at 10M rows are ~25 MB at most (COMPACT_SHARE)
def _read_vector(path: str, offset: int, size: int) -> pa.Array:
    with open(path, "rb") as f:
        f.seek(offset)
        head = f.read(4 + size)
    if len(head) < 4 + size or struct.unpack(">I", head[:4])[0] != size:
        raise ValueError(f"deletion vector {path}@{offset}: size does not match its descriptor")
    return _decode(head[4:])


def _decode(data: bytes) -> pa.Array:
    from pyroaring import BitMap64

    if len(data) < 4 or struct.unpack("<I", data[:4])[0] != MAGIC:
        raise ValueError("not a deletion vector (magic number)")
    positions = BitMap64.deserialize(data[4:]).to_array()  # array('Q'): no numpy needed
    return pa.Array.from_buffers(pa.uint64(), len(positions), [None, pa.py_buffer(positions)])


def positions_table(gone: Mapping[str, pa.Array]) -> pa.Table:
    """(filename, file_row_number) of every deleted row — what DuckDB's ``read_parquet`` reports.
    The file names are dictionary-encoded: repeating each name per row costs 20 ms per 80k rows."""
    counts = [len(rows) for rows in gone.values()]
    index = [pa.repeat(pa.scalar(i, pa.int32()), n) for i, n in enumerate(counts)]
    names = pa.DictionaryArray.from_arrays(
        pa.concat_arrays(index) if index else pa.array([], pa.int32()), pa.array(list(gone), pa.string())
    )
    rows = [r.cast(pa.int64()) for r in gone.values()]
    return pa.table(
        {
            "filename": names,
            "file_row_number": pa.concat_arrays(rows) if rows else pa.array([], pa.int64()),
        }
    )


def enabled(table: Any) -> bool:
    """Whether ``table`` has the deletion-vector reader feature (its files may carry vectors)."""
    return "deletionVectors" in (table.protocol().reader_features or [])


def current_adds(root: str, version: int) -> dict[str, dict[str, Any]]:
    """The ``add`` actions of the table at ``version`` as the log holds them (deletion vectors
    included), from its last checkpoint at or before ``version`` and the commits after it."""
    import pyarrow.parquet as pq

    log = os.path.join(root, "_delta_log")
    adds: dict[str, dict[str, Any]] = {}
    start = 0
    checkpoint = _checkpoint(log, version)
    if checkpoint is not None:
        start, files = checkpoint
        for path in files:
            table = pq.read_table(path, columns=["add"])
            for add in table.column("add").to_pylist():
                if add is not None:
                    adds[add["path"]] = _from_checkpoint(add)
        start += 1
    for v in range(start, version + 1):
        with open(os.path.join(log, f"{v:020d}.json"), encoding="utf-8") as commit:
            for line in commit:
                if not line.strip():
                    continue
                action = json.loads(line)
                if "add" in action:
                    adds[action["add"]["path"]] = action["add"]
                elif "remove" in action:
                    adds.pop(action["remove"]["path"], None)
    return adds


def _from_checkpoint(add: dict[str, Any]) -> dict[str, Any]:
    """A checkpoint's ``add`` row as the JSON action: maps as objects, no empty fields."""
    out: dict[str, Any] = {}
    for key in _ADD_KEYS:
        value = add.get(key)
        if value is None:
            continue
        if key in ("partitionValues", "tags") and isinstance(value, list):
            value = dict(value)
        if key == "deletionVector":
            value = {k: v for k, v in value.items() if v is not None}
        out[key] = value
    return out


def _checkpoint(log: str, version: int) -> tuple[int, list[str]] | None:
    """The newest classic checkpoint at or before ``version``: (its version, its part files)."""
    best: dict[int, list[str]] = {}
    for name in os.listdir(log):
        if ".checkpoint." not in name or not name.endswith(".parquet"):
            continue
        head = name.split(".", 1)[0]
        if head.isdigit() and int(head) <= version:
            best.setdefault(int(head), []).append(os.path.join(log, name))
    if not best:
        return None
    top = max(best)
    parts = sorted(best[top])
    if any(len(os.path.basename(p).split(".")) not in (3, 5) for p in parts):
        raise ValueError("unsupported checkpoint layout")  # v2 checkpoints: the caller falls back to MERGE
    return top, parts


_ADD_KEYS = ("path", "partitionValues", "size", "modificationTime", "dataChange", "stats", "tags",
             "deletionVector", "baseRowId", "defaultRowCommitVersion", "clusteringProvider")  # fmt: skip


def remove_of(add: Mapping[str, Any], now: int) -> dict[str, Any]:
    """The ``remove`` action for a current ``add`` — with its vector, which the log keys files by."""
    out = {
        "path": add["path"],
        "deletionTimestamp": now,
        "dataChange": True,
        "extendedFileMetadata": True,
        "partitionValues": add.get("partitionValues") or {},
        "size": add["size"],
    }
    if add.get("deletionVector"):
        out["deletionVector"] = add["deletionVector"]
    return out


def add_with(add: Mapping[str, Any], descriptor: Mapping[str, Any], now: int) -> dict[str, Any]:
    """``add`` again, now carrying ``descriptor``; its bounds stay valid but are no longer tight."""
    out = {k: add[k] for k in _ADD_KEYS if add.get(k) is not None}
    out.update(deletionVector=dict(descriptor), dataChange=True, modificationTime=now)
    if out.get("stats"):
        stats = json.loads(out["stats"])
        stats["tightBounds"] = False
        out["stats"] = json.dumps(stats, ensure_ascii=False)
    return out


def add_of(action: Any) -> dict[str, Any]:
    """A deltalake ``AddAction`` as the log's JSON."""
    return {
        "path": action.path,
        "partitionValues": dict(action.partition_values or {}),
        "size": action.size,
        "modificationTime": action.modification_time,
        "dataChange": action.data_change,
        "stats": action.stats,
    }


def commit(root: str, version: int, actions: list[dict[str, Any]]) -> None:
    """Write commit ``version`` atomically and only if no other writer made it first (a hard link
    of a complete temporary file: put-if-absent on a local file system)."""
    log = os.path.join(root, "_delta_log")
    target = os.path.join(log, f"{version:020d}.json")
    temporary = os.path.join(log, f"_commit_{uuid.uuid4()}.json.tmp")  # the name deltalake gives its own
    with open(temporary, "w", encoding="utf-8") as out:
        out.write("\n".join(json.dumps(a, ensure_ascii=False) for a in actions) + "\n")
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(temporary, target)
    except FileExistsError as exc:
        raise RuntimeError(f"another writer committed version {version} of {root} first") from exc
    finally:
        os.unlink(temporary)
