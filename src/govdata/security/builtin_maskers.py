"""Registers the built-in maskers (STANDARDS.md §8 conventions) through the ``register_maskers`` hook."""

from __future__ import annotations

from govdata.hookspecs import hookimpl
from govdata.security.masking import BUILTIN_MASKERS, Masker


@hookimpl
def register_maskers() -> list[Masker | type[Masker]]:
    return list(BUILTIN_MASKERS)
