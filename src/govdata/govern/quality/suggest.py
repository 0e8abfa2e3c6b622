"""Rough rule suggestions from column names, for onboarding a new table (used by the demo flow).

Matches common Chinese, pinyin-initial and English column names; a human confirms the bindings.
Raises nothing.
"""

from __future__ import annotations

import pyarrow as pa

from govdata.govern.quality.engine import RuleBinding

# (names matched exactly after lower-casing, substrings matched anywhere, suggested rules)
_HINTS: list[tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]] = [
    (
        frozenset({"sfzh", "sfzhm", "gmsfhm", "zjhm", "id_number", "idcard", "id_card", "id_no"}),
        ("身份证", "公民身份号码"),
        ("id_number", "uniqueness"),
    ),
    (frozenset({"xm", "name", "full_name", "person_name"}), ("姓名",), ("not_null",)),
    (
        frozenset({"shxydm", "tyshxydm", "uscc", "credit_code", "social_credit_code"}),
        ("统一社会信用代码", "信用代码"),
        ("uscc",),
    ),
    (
        frozenset({"sjhm", "sjh", "phone", "mobile", "mobile_phone", "cellphone"}),
        ("手机",),
        ("phone",),
    ),
]


def suggest_bindings(schema: pa.Schema) -> list[RuleBinding]:
    """Suggested bindings for the columns of ``schema`` whose names say what they hold."""
    suggestions: list[RuleBinding] = []
    for name in schema.names:
        lowered = name.strip().lower()
        for exact, fragments, rule_names in _HINTS:
            if lowered in exact or any(f in name for f in fragments):
                suggestions.extend(RuleBinding(rule, (name,)) for rule in rule_names)
                break
    return suggestions
