"""The one error shape of the API, built here and nowhere else.

``{"error": {"code", "message", "message_en", "hint", "details", "request_id"}}`` for /api paths;
portal pages render the same content as an HTML page (or redirect to the login page on 401).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from govdata.errors import GovdataError, NotAuthenticated
from govdata.i18n import error_hint, error_text

log = logging.getLogger("govdata.web")


def error_body(code: str, params: dict[str, Any], request_id: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": error_text(code, "zh", **params),
            "message_en": error_text(code, "en", **params),
            "hint": error_hint(code, "zh"),
            "hint_en": error_hint(code, "en"),
            "details": details if details is not None else params,
            "request_id": request_id,
        }
    }


def _request_id(request: Request) -> str:
    rid = getattr(request.state, "request_id", None)
    return rid or uuid.uuid4().hex[:16]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _respond(request: Request, status: int, body: dict[str, Any]) -> Response:
    if _is_api(request):
        return JSONResponse(body, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    from govdata.web.templating import render

    return render(request, "error.html", {"status": status, "error": body["error"]}, status_code=status)


def install(app: FastAPI) -> None:
    @app.exception_handler(GovdataError)
    async def _govdata(request: Request, exc: GovdataError) -> Response:
        body = error_body(exc.code, exc.params, _request_id(request))
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else None
        resp = _respond(request, exc.http_status, body)
        if headers and _is_api(request):
            resp.headers.update(headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
        body = error_body("error.validation", {"detail": detail}, _request_id(request), details=errors)
        return _respond(request, 422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = "error.not_found" if exc.status_code == 404 else "error.unknown"
        body = error_body(code, {"what": request.url.path}, _request_id(request))
        return _respond(request, exc.status_code, body)

    @app.exception_handler(Exception)
    async def _unknown(request: Request, exc: Exception) -> Response:
        rid = _request_id(request)
        log.exception("unhandled error, request %s", rid)
        return _respond(request, 500, error_body("error.unknown", {}, rid))
