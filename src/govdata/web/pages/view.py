"""Shared pieces of the portal pages: rendering with the page context, safe redirects, number formats.

Raises nothing of its own; ``render_page`` passes on template errors.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from govdata.i18n import text
from govdata.security.roles import Permission
from govdata.web.templating import lang_of, render

_COMPACT_UNITS = {
    "zh": ((100_000_000, "portal.unit.yi"), (10_000, "portal.unit.wan")),
    "en": (
        (1_000_000_000, "portal.unit.billion"),
        (1_000_000, "portal.unit.million"),
        (1_000, "portal.unit.thousand"),
    ),
}


def render_page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a portal page; adds ``Permission`` so templates can ask ``actor.can(Permission.X)``."""
    ctx: dict[str, Any] = {"Permission": Permission}
    ctx.update(context or {})
    return render(request, name, ctx, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """303 See Other: after a form POST the browser follows with a GET.

    The request's unit of work commits before the response leaves (``SessionDep`` has function
    scope), so the page the browser lands on already sees the change.
    """
    return RedirectResponse(url, status_code=303)


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site, else ``default`` (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return default
    return target


def lang(request: Request) -> str:
    return lang_of(request)


def thousands(value: int) -> str:
    """``1234567`` → ``1,234,567``."""
    return f"{value:,}"


def compact(value: int, lang: str = "zh") -> str:
    """A count as a bureau reports it: ``12,345,678`` → ``1234.57万`` (zh) or ``12.35 million`` (en)."""
    for scale, key in _COMPACT_UNITS.get(lang, _COMPACT_UNITS["zh"]):
        if value >= scale:
            number = f"{value / scale:.2f}".rstrip("0").rstrip(".")
            return text(key, lang, value=number)
    return thousands(value)
