"""Error codes of the ingest pillar and the one place unknown failures become ``GovdataError``.

Connectors raise ``InvalidInput`` (bad file, config, value — naming file, row, column) or
``TransientError`` (source unreachable, worth a retry); ``as_govdata_error`` turns anything else
into ``GovdataError("ingest.failed")`` so callers never see a bare exception.
"""

from __future__ import annotations

from govdata.errors import GovdataError, InvalidInput, TransientError

__all__ = ["GovdataError", "InvalidInput", "TransientError", "as_govdata_error"]


def as_govdata_error(exc: BaseException, table: str) -> GovdataError:
    """``exc`` itself if it is a ``GovdataError``, else an ``ingest.failed`` error describing it."""
    if isinstance(exc, GovdataError):
        return exc
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return TransientError("ingest.source_unavailable", source=table)
    detail = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
    return GovdataError("ingest.failed", table=table, detail=detail)
