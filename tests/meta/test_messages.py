"""Every error code raised in src/ has a bilingual message, and the messages are well-formed.

The source is scanned with ``ast``: a call to ``GovdataError`` or any class deriving from it (the
subclasses in ``govdata.errors`` and any pillar subclass found in src/) whose first argument is a
string literal is an error code. Codes handed to ``error_body`` in the web layer count too.
"""

from __future__ import annotations

import ast
import inspect
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import govdata.errors
from govdata.i18n.messages import MESSAGES

SRC = Path(govdata.errors.__file__).resolve().parent

# Codes that have a message but no ``<code>.hint`` yet. The list may only shrink: a new code needs a
# hint (STYLE.md: "Every code has a zh_CN and an en message plus a hint"), and a code that gains one
# must leave this list.
HINT_DEBT: frozenset[str] = frozenset()  # every raised code has a hint; keep it that way


@dataclass(frozen=True)
class Site:
    """One place in src/ that raises (or reports) an error code."""

    code: str
    file: str
    line: int
    params: frozenset[str]
    open_params: bool  # ``**kwargs`` passed: the parameter names cannot be known statically

    def __str__(self) -> str:
        return f"{self.code} at {self.file}:{self.line}"


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_classes(modules: list[tuple[Path, ast.Module]]) -> set[str]:
    """Names of GovdataError and every class deriving from it, in govdata.errors or anywhere in src/."""
    names = {
        name
        for name, obj in inspect.getmembers(govdata.errors, inspect.isclass)
        if issubclass(obj, govdata.errors.GovdataError)
    }
    classes = [n for _, tree in modules for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for cls in classes:
            if cls.name not in names and any(_name(b) in names for b in cls.bases):
                names.add(cls.name)
                grew = True
    return names


def raise_sites() -> list[Site]:
    """Every call ``<ErrorClass>("literal.code", ...)`` and ``error_body("literal.code", ...)`` in src/."""
    modules = list(_modules())
    classes = error_classes(modules)
    sites = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            callee = _name(node.func)
            first = node.args[0]
            if callee not in classes and callee != "error_body":
                continue
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            keywords = {k.arg for k in node.keywords if k.arg is not None}
            open_params = callee == "error_body" or any(k.arg is None for k in node.keywords)
            sites.append(
                Site(
                    code=first.value,
                    file=str(path.relative_to(SRC.parent)),
                    line=node.lineno,
                    params=frozenset(keywords),
                    open_params=open_params,
                )
            )
    return sites


def placeholders(template: str) -> set[str]:
    """Root names of the ``{placeholders}`` of a str.format template (``{a.b!s:>3}`` → ``a``)."""
    names = set()
    for _, field, _, _ in string.Formatter().parse(template):
        if field is not None:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return names


SITES = raise_sites()
CODES = sorted({s.code for s in SITES})


def test_the_scanner_finds_the_codes_it_should() -> None:
    # A scanner that silently finds nothing would pass every other test here.
    assert len(CODES) > 40, CODES
    for known in ("config.weak_secret", "auth.bad_credentials", "ingest.failed", "share.no_grant"):
        assert known in CODES
    assert "error.unknown" in CODES and "error.validation" in CODES  # via error_body


def test_every_raised_code_has_a_zh_and_an_en_message() -> None:
    missing = [str(s) for s in SITES if s.code not in MESSAGES]
    assert not missing, f"error codes without an entry in govdata.i18n: {missing}"
    empty = [c for c in CODES if not all(t.strip() for t in MESSAGES[c])]
    assert not empty, f"error codes with an empty zh or en message: {empty}"


def test_every_message_uses_the_same_placeholders_in_both_languages() -> None:
    differ = {
        key: (sorted(placeholders(zh)), sorted(placeholders(en)))
        for key, (zh, en) in MESSAGES.items()
        if placeholders(zh) != placeholders(en)
    }
    assert not differ, f"zh and en templates use different placeholders: {differ}"


def test_every_message_template_is_valid() -> None:
    broken = []
    for key, pair in MESSAGES.items():
        for template in pair:
            try:
                list(string.Formatter().parse(template))
            except ValueError as exc:
                broken.append(f"{key}: {exc}")
    assert not broken, broken


def test_every_raise_site_passes_the_placeholders_its_message_needs() -> None:
    # ``text`` falls back to the raw template when a parameter is missing, so the user would see
    # "{code}" instead of the value: catch it here.
    short = [
        f"{s} lacks {sorted(placeholders(MESSAGES[s.code][0]) - s.params)}"
        for s in SITES
        if s.code in MESSAGES and not s.open_params and placeholders(MESSAGES[s.code][0]) - s.params
    ]
    assert not short, short


def test_hints_are_bilingual_and_belong_to_a_code() -> None:
    hints = [k for k in MESSAGES if k.endswith(".hint")]
    orphans = [k for k in hints if k.removesuffix(".hint") not in MESSAGES]
    assert not orphans, f"hints without their message: {orphans}"
    empty = [k for k in hints if not all(t.strip() for t in MESSAGES[k])]
    assert not empty, empty


@pytest.mark.parametrize("code", CODES)
def test_every_raised_code_has_a_hint(code: str) -> None:
    has_hint = f"{code}.hint" in MESSAGES
    if code in HINT_DEBT:
        assert not has_hint, f"{code} has a hint now: remove it from HINT_DEBT in {__file__}"
    else:
        assert has_hint, f"{code} needs a '{code}.hint' entry (what to do next) in src/govdata/i18n/"


def test_hint_debt_lists_only_real_codes() -> None:
    stale = sorted(HINT_DEBT - set(MESSAGES))
    assert not stale, f"HINT_DEBT names codes that no longer exist: {stale}"


def test_pillar_subclasses_count_as_error_classes() -> None:
    tree = ast.parse("class QualityError(errors.InvalidInput): ...\nclass RuleError(QualityError): ...")
    found = error_classes([(Path("x.py"), tree)])
    assert {"GovdataError", "NotAuthenticated", "QualityError", "RuleError"} <= found


def test_placeholders_read_conversions_and_escapes() -> None:
    assert placeholders("{value!s} in {known} {{literal}} {a.b} {c[0]}") == {"value", "known", "a", "c"}
