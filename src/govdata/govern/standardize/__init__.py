"""Standardization raw → std: a declarative spec per table, compiled to one DuckDB statement.

Exports resolve lazily (the services import catalog and security, which import ``govern``).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ColumnStep": "govdata.govern.standardize.spec",
    "Dedup": "govdata.govern.standardize.spec",
    "StdSpec": "govdata.govern.standardize.spec",
    "StdReport": "govdata.govern.standardize.run",
    "check_spec": "govdata.govern.standardize.spec",
    "standardize": "govdata.govern.standardize.run",
    "suggest_spec": "govdata.govern.standardize.suggest",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
