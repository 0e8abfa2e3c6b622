"""Data quality: rules as SQL predicates, one-scan table checks, scores and rule suggestions.

Public API of the quality step of the govern pillar; see ``rules`` (the registry) and ``engine``.
"""

from govdata.govern.quality.engine import (
    BindingResult,
    QualityReport,
    RuleBinding,
    check_table,
    failing_keys,
)
from govdata.govern.quality.rules import RULES, Dimension, Rule, get_rule, register_rule
from govdata.govern.quality.sql import quote_ident
from govdata.govern.quality.suggest import suggest_bindings

__all__ = [
    "RULES",
    "BindingResult",
    "Dimension",
    "QualityReport",
    "Rule",
    "RuleBinding",
    "check_table",
    "failing_keys",
    "get_rule",
    "quote_ident",
    "register_rule",
    "suggest_bindings",
]
