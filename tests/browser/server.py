"""The app factory the browser test's uvicorn subprocess imports (settings from GOVDATA_* env)."""

from __future__ import annotations

from fastapi import FastAPI

from govdata.config import Settings
from govdata.web.app import create_app


def app() -> FastAPI:
    return create_app(Settings())
