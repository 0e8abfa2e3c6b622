"""The one error tree of govdata.

Every error carries a stable ``code``; the bilingual message and the hint live in
``govdata.i18n.messages`` under that code, so the API, the portal and the CLI all say the same thing.
Pillars subclass these in their own ``errors.py`` when they need to.
"""

from __future__ import annotations

from typing import Any


class GovdataError(Exception):
    """Root of every error govdata raises on purpose."""

    http_status = 400

    def __init__(self, code: str, /, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, lang: str = "zh") -> str:
        from govdata.i18n import error_text

        return error_text(self.code, lang, **self.params)

    def hint(self, lang: str = "zh") -> str:
        from govdata.i18n import error_hint

        return error_hint(self.code, lang)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message('en')}"


class InvalidInput(GovdataError):
    """Input that cannot be used; ``params`` name the file, row and column where known."""

    http_status = 422


class NotFound(GovdataError):
    http_status = 404


class PermissionDenied(GovdataError):
    http_status = 403


class NotAuthenticated(GovdataError):
    http_status = 401


class Conflict(GovdataError):
    http_status = 409


class TransientError(GovdataError):
    """A failure worth retrying (network, lock, a server busy)."""

    http_status = 503
