"""Format specs of data elements: examples, and properties of the parser (hypothesis)."""

from __future__ import annotations

import re

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govdata.errors import InvalidInput
from govdata.govern.library_format import CLASSES, FormatSpec, parse_format


@pytest.mark.parametrize(
    ("spec", "kind", "low", "high", "scale", "template"),
    [
        ("c18", "c", 18, 18, None, None),
        ("n8", "n", 8, 8, None, None),
        ("an..20", "an", 0, 20, None, None),
        ("c2..50", "c", 2, 50, None, None),
        ("n12,2", "n", 12, 12, 2, None),
        ("n8(YYYYMMDD)", "n", 8, 8, None, "YYYYMMDD"),
        ("YYYYMMDD", "n", 8, 8, None, "YYYYMMDD"),
        ("YYYY-MM-DD", "c", 10, 10, None, "YYYY-MM-DD"),
        ("c19(YYYY-MM-DD hh:mm:ss)", "c", 19, 19, None, "YYYY-MM-DD hh:mm:ss"),
    ],
)
def test_examples(spec: str, kind: str, low: int, high: int, scale: int | None, template: str | None) -> None:
    parsed = parse_format(spec)
    assert (parsed.kind, parsed.min_length, parsed.max_length, parsed.scale, parsed.template) == (
        kind,
        low,
        high,
        scale,
        template,
    )


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "x18",
        "c0",
        "c",
        "c..",
        "c5..3",
        "a3,1",
        "n2,2",
        "n8(YYYY-MM-DD)",
        "c..8(YYYYMMDD)",
        "c4001",
        "18c",
    ],
)
def test_refused(spec: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_format(spec)
    assert err.value.code == "govern.library.bad_format" and err.value.params["value"] == spec


@pytest.mark.parametrize(
    ("spec", "good", "bad"),
    [
        ("n8(YYYYMMDD)", ["19491231", "20000229"], ["19491331", "1949123", "1949-12-31"]),
        ("n6", ["330106"], ["33010", "33010a"]),
        ("n12,2", ["12.5", "-3", "1234567890.12"], ["1.234", "12345678901"]),
        ("an..4", ["A1", "abcd"], ["abcde", "a-1", ""]),
        ("c19(YYYY-MM-DD hh:mm:ss)", ["2023-05-01 23:59:00"], ["2023-05-01 24:00:00", "2023-05-01T10:00:00"]),
    ],
)
def test_patterns_match_python_and_duckdb_alike(spec: str, good: list[str], bad: list[str]) -> None:
    pattern = parse_format(spec).pattern()
    con = duckdb.connect()
    for value, expected in [(v, True) for v in good] + [(v, False) for v in bad]:
        assert bool(re.fullmatch(pattern, value)) is expected, value
        assert con.execute("SELECT regexp_full_match(?, ?)", [value, pattern]).fetchone()[0] is expected, (
            value
        )


specs = st.builds(
    lambda kind, low, span, fixed, scale: FormatSpec(
        kind,
        low + span if fixed else low,
        low + span,
        scale if kind == "n" and scale is not None and scale < low + span else None,
        None,
        fixed,
    ),
    st.sampled_from(sorted(CLASSES)),
    st.integers(min_value=1, max_value=300),
    st.integers(min_value=0, max_value=300),
    st.booleans(),
    st.one_of(st.none(), st.integers(min_value=0, max_value=6)),
)


@given(specs)
def test_a_spec_round_trips_through_its_text(spec: FormatSpec) -> None:
    assert parse_format(str(spec)) == spec


@given(specs, st.data())
def test_values_of_the_allowed_length_match_the_pattern(spec: FormatSpec, data: st.DataObject) -> None:
    pattern = re.compile(spec.pattern())
    if spec.scale is not None:
        whole = data.draw(st.integers(min_value=0, max_value=10 ** max(spec.max_length - spec.scale, 1) - 1))
        assert pattern.fullmatch(str(whole))
        return
    length = data.draw(st.integers(min_value=max(spec.min_length, 1), max_value=spec.max_length))
    char = {"a": "x", "n": "7", "an": "7", "c": "中"}[spec.kind]
    assert pattern.fullmatch(char * length)
    assert not pattern.fullmatch(char * (spec.max_length + 1))


@given(st.text(max_size=40))
def test_any_text_parses_or_is_refused_with_its_code(text: str) -> None:
    try:
        spec = parse_format(text)
    except InvalidInput as exc:
        assert exc.code == "govern.library.bad_format"
    else:
        assert parse_format(str(spec)) == spec
        re.compile(spec.pattern())
