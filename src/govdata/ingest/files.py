"""File intake for the file connectors: uploads, a watched drop folder, and files fetched from a URL.

Files land under ``<home>/intake/<dept>/<source>/<filename>``: written to a temporary file in that
folder while hashed (SHA-256) and counted, then moved into place atomically, so a connector never
reads half a file. Filenames keep Chinese characters but refuse path tricks (separators, ``..``,
drive letters, control characters, leading dots). Functions only: the portal, CLI and scheduler
call them and point the source's ``path`` at the result.

Raises ``InvalidInput``: ``ingest.bad_filename``, ``ingest.file_too_large`` (HTTP 413),
``ingest.drop_folder_missing``, ``ingest.fetch_bad_url``, ``ingest.fetch_status``; and
``TransientError("ingest.fetch_unavailable")`` for a URL that cannot be reached or answers 5xx.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

import httpx

from govdata.errors import InvalidInput, TransientError

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
CHUNK = 1024 * 1024
STATE_KEY = "drop_files"
# in-progress copies and editor lock files are not data
_SKIP = re.compile(r"(^~\$|^\.|\.(part|tmp|crdownload|swp|lock)$)", re.IGNORECASE)
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class FileTooLarge(InvalidInput):
    """A file over the intake size limit (HTTP 413)."""

    http_status = 413


@dataclass(frozen=True)
class IntakeFile:
    """A file stored in the intake area."""

    path: Path
    filename: str
    size: int
    sha256: str
    unchanged: bool = False  # the same content was already there


@dataclass(frozen=True)
class DropFile:
    """A new or changed file in a drop folder."""

    path: Path
    name: str  # relative to the folder, with ``/``
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class DropScan:
    """What a scan found, and the state to keep in ``SourceTable.state`` for the next scan."""

    changed: list[DropFile]
    removed: list[str]
    state: dict[str, Any]


def safe_filename(name: str) -> str:
    """``name`` if it is a plain file name (NFC-normalised, trimmed), else ``ingest.bad_filename``."""
    clean = unicodedata.normalize("NFC", name or "").strip()
    if (
        not clean
        or clean in (".", "..")
        or clean.startswith(".")
        or _BAD_CHARS.search(clean)
        or len(clean.encode("utf-8")) > 255
    ):
        raise InvalidInput("ingest.bad_filename", filename=name)
    return clean


def intake_dir(home: Path, dept: str, source: str) -> Path:
    """``<home>/intake/<dept>/<source>``, created; both parts must be plain names."""
    folder = Path(home) / "intake" / safe_filename(dept) / safe_filename(source)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _store(chunks: Iterable[bytes], folder: Path, filename: str, max_bytes: int) -> IntakeFile:
    """Write ``chunks`` to ``folder/filename`` through a temporary file, hashing and counting."""
    target = folder / filename
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".intake-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(
                        "ingest.file_too_large", file=filename, limit_mb=max_bytes // (1024 * 1024)
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        unchanged = target.is_file() and target.stat().st_size == size and _sha256(target) == sha
        if unchanged:
            tmp.unlink()
        else:
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return IntakeFile(path=target, filename=filename, size=size, sha256=sha, unchanged=unchanged)


def _chunks(data: bytes | IO[bytes]) -> Iterable[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])
        return
    while chunk := data.read(CHUNK):
        yield chunk


def store_upload(
    home: Path,
    dept: str,
    source: str,
    filename: str,
    data: bytes | IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IntakeFile:
    """Store an uploaded file (bytes or a binary stream) as ``<home>/intake/<dept>/<source>/<filename>``.

    A re-upload under the same name replaces the file (``unchanged`` says whether its content is
    the same, so a caller can skip the load).
    """
    name = safe_filename(filename)
    return _store(_chunks(data), intake_dir(home, dept, source), name, max_bytes)


def scan_drop_folder(
    path: str | Path,
    state: Mapping[str, Any] | None = None,
    *,
    pattern: str = "*",
    settle_seconds: float = 5.0,
    now: float | None = None,
) -> DropScan:
    """Files in ``path`` (recursively, matching ``pattern``) that are new or changed since ``state``.

    ``state`` is the ``SourceTable.state`` of the last scan; the result's ``state`` replaces it
    (only the ``drop_files`` key is touched). A file counts as changed when its size or mtime moved
    *and* its SHA-256 differs (a ``touch`` alone is not a change). Files modified less than
    ``settle_seconds`` ago may still be being copied and wait for the next scan; hidden files,
    ``~$`` lock files and ``.part``/``.tmp`` copies are ignored.
    """
    root = Path(path)
    if not root.is_dir():
        raise InvalidInput("ingest.drop_folder_missing", path=str(path))
    before: dict[str, dict[str, Any]] = dict((state or {}).get(STATE_KEY, {}))
    after: dict[str, dict[str, Any]] = {}
    changed: list[DropFile] = []
    moment = time.time() if now is None else now
    for file in sorted(root.rglob(pattern)):
        rel = file.relative_to(root).as_posix()
        if not file.is_file() or any(_SKIP.search(part) for part in rel.split("/")):
            continue
        stat = file.stat()
        if moment - stat.st_mtime < settle_seconds:
            if rel in before:
                after[rel] = before[rel]
            continue
        seen = before.get(rel)
        if seen and seen.get("size") == stat.st_size and seen.get("mtime_ns") == stat.st_mtime_ns:
            after[rel] = seen
            continue
        sha = _sha256(file)
        after[rel] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha}
        if not seen or seen.get("sha256") != sha:
            changed.append(DropFile(file, rel, stat.st_size, stat.st_mtime_ns, sha))
    removed = sorted(set(before) - set(after))
    new_state = {**dict(state or {}), STATE_KEY: after}
    return DropScan(changed=changed, removed=removed, state=new_state)


def _filename_from(resp: httpx.Response, url: str) -> str:
    disposition = resp.headers.get("content-disposition", "")
    match = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.IGNORECASE) or re.search(
        r'filename="?([^";]+)"?', disposition, re.IGNORECASE
    )
    if match:
        return unquote(match.group(1)).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def fetch_url(
    url: str,
    home: Path,
    dept: str,
    source: str,
    *,
    filename: str | None = None,
    headers: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout_seconds: float = 60.0,
) -> IntakeFile:
    """Download ``url`` (http/https) into the intake folder, streamed, size-limited, moved atomically.

    The file name is ``filename``, else the server's ``Content-Disposition``, else the URL's last
    path segment — checked like an upload's.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput("ingest.fetch_bad_url", url=url)
    public = f"{parts.scheme}://{parts.netloc}{parts.path}"
    folder = intake_dir(home, dept, source)
    try:
        with httpx.stream(
            "GET", url, headers=dict(headers or {}), timeout=timeout_seconds, follow_redirects=True
        ) as resp:
            if resp.status_code >= 500 or resp.status_code == 429:
                raise TransientError(
                    "ingest.fetch_unavailable", url=public, detail=f"HTTP {resp.status_code}"
                )
            if resp.status_code >= 400:
                raise InvalidInput("ingest.fetch_status", url=public, status=resp.status_code)
            name = safe_filename(filename or _filename_from(resp, url))
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FileTooLarge("ingest.file_too_large", file=name, limit_mb=max_bytes // (1024 * 1024))
            return _store(resp.iter_bytes(CHUNK), folder, name, max_bytes)
    except httpx.HTTPError as exc:
        raise TransientError(
            "ingest.fetch_unavailable", url=public, detail=f"{type(exc).__name__}: {exc}"[:200]
        ) from exc
