"""Cross-field rules a data element brings: ``id_birth_date`` and ``id_gender`` bind the column with
the identity number of the same person, and only when that number is unambiguous."""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
import pytest
from sqlalchemy.orm import Session

from govdata.catalog.models import Item, Resource
from govdata.govern import seed_library
from govdata.govern.quality.stored import effective_bindings
from govdata.runtime import Platform


@pytest.fixture
def s(platform: Platform) -> Iterator[Session]:
    with platform.unit() as session:
        seed_library(session, platform.audit)
        yield session


def _pairs(s: Session, columns: dict[str, str | None]) -> set[tuple[str, tuple[str, ...], str | None]]:
    """The derived cross-field bindings of a table whose columns bind these elements."""
    items = [Item(position=i, column=c, name=c, data_type="字符", element=e) for i, (c, e) in enumerate(columns.items())]  # fmt: skip
    resource = Resource(code="t", items=items)
    schema = pa.schema([(c, pa.string()) for c in columns])
    return {
        (e.binding.rule_name, e.binding.columns, e.element)
        for e in effective_bindings(s, resource, schema)
        if e.binding.rule_name in ("id_birth_date", "id_gender")
    }


def test_birth_date_and_gender_pair_with_the_tables_identity_number(s: Session) -> None:
    pairs = _pairs(s, {"sfzh": "id_number", "xb": "gender", "csrq": "birth_date", "xm": "person_name"})
    assert pairs == {
        ("id_gender", ("sfzh", "xb"), "gender"),
        ("id_birth_date", ("sfzh", "csrq"), "birth_date"),
    }


def test_a_flattened_header_pairs_within_its_group_only(s: Session) -> None:
    columns = {
        "新生儿/性别": "gender",
        "新生儿/出生日期": "birth_date",
        "母亲/身份证号": "id_number",
        "父亲/身份证号": "id_number",
    }
    assert _pairs(s, columns) == set()  # the newborn has no ID; the parents' say nothing about it
    columns["新生儿/身份证号"] = "id_number"
    assert _pairs(s, columns) == {
        ("id_gender", ("新生儿/身份证号", "新生儿/性别"), "gender"),
        ("id_birth_date", ("新生儿/身份证号", "新生儿/出生日期"), "birth_date"),
    }


def test_no_pair_when_the_identity_number_is_ambiguous_or_unbound(s: Session) -> None:
    assert _pairs(s, {"男方身份证号": "id_number", "女方身份证号": "id_number", "xb": "gender"}) == set()
    assert _pairs(s, {"sfzh": None, "xb": "gender", "csrq": "birth_date"}) == set()
