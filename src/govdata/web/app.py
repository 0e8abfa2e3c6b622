"""``create_app(settings)``: the FastAPI app — JSON API under /api/v1, portal pages, OpenAPI at /docs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from govdata import __version__
from govdata.config import Settings
from govdata.runtime import Platform
from govdata.web import errors


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    """The web app over an open ``platform`` (opened from ``settings`` when not given)."""
    owned = platform is None
    plat = platform or Platform.open(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            plat.close()

    app = FastAPI(title="govdata", version=__version__, lifespan=lifespan, docs_url="/docs")
    app.state.platform = plat

    @app.middleware("http")
    async def _request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.request_id = uuid.uuid4().hex[:16]
        response = await call_next(request)
        response.headers["X-Request-ID"] = request.state.request_id
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    errors.install(app)
    from govdata.web.api import router as api_router
    from govdata.web.pages import router as pages_router

    app.include_router(api_router, prefix="/api/v1")
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app
