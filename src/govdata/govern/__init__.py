"""Governance (治): standards, quality rules and scores; later standardization, lineage, master data.

Exports resolve lazily: ``govern.standards`` is imported by the security pillar itself, so loading
the quality services (which use security) eagerly here would be circular.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "BindingIn": "govdata.govern.quality.schemas",
    "add_binding": "govdata.govern.quality.stored",
    "recheck_resource": "govdata.govern.recheck",
    "QualityCheck": "govdata.govern.models",
    "QualityRun": "govdata.govern.models",
    "check_resource": "govdata.govern.service",
    "code_lookup": "govdata.govern.library",
    "element_for_column": "govdata.govern.library",
    "seed_library": "govdata.govern.library_seed",
    "latest_runs": "govdata.govern.service",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
