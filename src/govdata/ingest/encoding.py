"""Text-file encoding detection (STANDARDS.md §12).

Owns ``detect_encoding(path)``: BOM ``EF BB BF`` → utf-8-sig; ``FF FE``/``FE FF`` → utf-16;
``84 31 95 33`` → gb18030; strict UTF-8 → utf-8; else strict gb18030 (reads GBK/GB2312 too).
A file that is mostly valid UTF-8 but broken somewhere is reported as broken rather than decoded as
GB18030 mojibake. Raises ``InvalidInput("ingest.bad_encoding")`` naming the file, line and byte
offset of the first undecodable byte; never decodes with ``errors="ignore"``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from govdata.errors import InvalidInput

_CHUNK = 1 << 20
_SAMPLE = 4 << 20
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (b"\x84\x31\x95\x33", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(path: str | Path) -> str:
    """The Python codec name that decodes the whole of ``path`` strictly."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(4)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            _check(path, encoding)
            return encoding
    utf8_error = _first_error(path, "utf-8")
    if utf8_error is None:
        return "utf-8"
    if _mostly_utf8(path):
        _raise(path, "utf-8", utf8_error)
    _check(path, "gb18030")
    return "gb18030"


def check_encoding(path: str | Path, encoding: str) -> None:
    """Raise ``ingest.bad_encoding`` unless ``path`` decodes strictly as ``encoding``."""
    _check(Path(path), encoding)


def _check(path: Path, encoding: str) -> None:
    offset = _first_error(path, encoding)
    if offset is not None:
        _raise(path, encoding, offset)


def _first_error(path: Path, encoding: str) -> int | None:
    """Byte offset of the first undecodable byte, or None if the file decodes strictly."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    consumed = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return consumed - pending + exc.start
            if not chunk:
                return None
            consumed += len(chunk)


def _mostly_utf8(path: Path) -> bool:
    """True when the sample's non-ASCII text is overwhelmingly valid UTF-8 (a broken UTF-8 file).

    GBK text decoded as UTF-8 yields a replacement for most of its characters; UTF-8 text with a
    damaged byte yields one among many valid multi-byte characters.
    """
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE)
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    # every character beyond U+007F adds at least one byte when re-encoded; U+FFFD adds two
    extra = len(text.encode("utf-8")) - len(text) - 2 * bad
    return extra >= 8 * max(bad, 1)


def _raise(path: Path, encoding: str, offset: int) -> None:
    with path.open("rb") as fh:
        prefix = fh.read(offset)
    line = prefix.decode(encoding, errors="strict").count("\n") + 1
    raise InvalidInput("ingest.bad_encoding", file=str(path), line=line, offset=offset, encoding=encoding)
