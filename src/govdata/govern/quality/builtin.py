"""Registers the built-in quality rules through the ``register_quality_rules`` hook."""

from __future__ import annotations

from govdata.govern.quality.rules import BUILTIN_RULES, Rule
from govdata.hookspecs import hookimpl


@hookimpl
def register_quality_rules() -> list[type[Rule]]:
    return list(BUILTIN_RULES)
