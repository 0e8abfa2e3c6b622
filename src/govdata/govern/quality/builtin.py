"""Registers the built-in quality rules through the ``register_quality_rules`` hook."""

from __future__ import annotations

from govdata.govern.quality.bounds import LengthRule, RangeRule
from govdata.govern.quality.consistency import IdBirthDateRule, IdGenderRule
from govdata.govern.quality.custom import CustomSqlRule
from govdata.govern.quality.referential import ReferentialRule
from govdata.govern.quality.rules import BUILTIN_RULES, Rule
from govdata.govern.quality.timeliness import TimelinessRule
from govdata.hookspecs import hookimpl

MORE_RULES: tuple[type[Rule], ...] = (
    RangeRule,
    LengthRule,
    IdBirthDateRule,
    IdGenderRule,
    ReferentialRule,
    CustomSqlRule,
    TimelinessRule,
)


@hookimpl
def register_quality_rules() -> list[type[Rule]]:
    return [*BUILTIN_RULES, *MORE_RULES]
