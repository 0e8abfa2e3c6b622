"""Jinja2 templates for the portal, with the i18n catalog as ``_()``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from govdata.i18n import text

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def lang_of(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" or request.cookies.get("lang") == "en" else "zh"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    lang = lang_of(request)
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "_": lambda key, **kw: text(key, lang, **kw),
        "actor": getattr(request.state, "actor", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }
    ctx.update(context or {})
    return TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
