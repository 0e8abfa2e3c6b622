"""How the catalog's search sees text: normalisation, index tokens, and the conditions of a query word.

Text is normalised (NFKC, lower case) and cut into runs: a run of Chinese characters becomes its
overlapping bigrams followed by its last character alone (婚姻登记 → 婚姻 姻登 登记 记), any other run
of letters or digits one word. A query run of two or more Chinese characters is then the phrase of its
bigrams — an exact substring match — and a single character (or a word) is a prefix match, so 1- and
2-character queries, the common case in Chinese, use the index like longer ones.

Pinyin initials (``initials``): a Chinese run also stands for the first letters of its characters'
readings (婚姻登记信息 → hydjxx, readings in context by ``pypinyin``: 银行行长 → yhhz), indexed as every
suffix of two letters or more, so that a query word of letters — a prefix match — finds them
anywhere in the run: hydj and djxx both find 婚姻登记信息. Pure functions; raise nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")


def normalize(value: str) -> str:
    """NFKC (full-width → half-width) and lower case: how both the index and a query see text."""
    return unicodedata.normalize("NFKC", value).lower()


@dataclass(frozen=True)
class Atom:
    """One condition of a query: a phrase of consecutive tokens, or a prefix of one token."""

    tokens: tuple[str, ...]
    prefix: bool


def tokens(value: str) -> list[str]:
    """Index tokens of ``value``: per Chinese run its bigrams then its last character; words whole."""
    out: list[str] = []
    for cjk, word in _RUN.findall(normalize(value)):
        if word:
            out.append(word)
            continue
        out.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
        out.append(cjk[-1])
    return out


def initials(value: str) -> list[str]:
    """Pinyin-initials tokens of ``value``: per Chinese run, every suffix (two letters or more) of its
    characters' initials; characters without a reading are left out."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries take ~50 MB: loaded where names are indexed

    out: list[str] = []
    for cjk, _ in _RUN.findall(normalize(value)):
        if not cjk:
            continue
        readings = lazy_pinyin(cjk, style=Style.FIRST_LETTER, errors="ignore")
        letters = "".join(
            first for r in readings if (first := unicodedata.normalize("NFKD", r)[:1]).isascii()
        )
        out.extend(letters[i:] for i in range(len(letters) - 1))
    return [t for t in out if t.isalpha()]


def spelled(word: Sequence[Atom]) -> bool:
    """Whether ``word`` (its atoms) could be pinyin initials: letters only, no Chinese."""
    return all(a.prefix and a.tokens[0].isascii() and a.tokens[0].isalpha() for a in word)


def atoms(term: str) -> list[Atom]:
    """The conditions one query term stands for, all of which a field must meet to hold the term."""
    out: list[Atom] = []
    for cjk, word in _RUN.findall(normalize(term)):
        if word or len(cjk) == 1:
            out.append(Atom((word or cjk,), prefix=True))
        else:
            out.append(Atom(tuple(cjk[i : i + 2] for i in range(len(cjk) - 1)), prefix=False))
    return out


def fts5_query(parts: Sequence[Atom], fields: Sequence[str] = ()) -> str:
    """An FTS5 expression ANDing ``parts`` within one of ``fields`` (all when empty).

    Tokens hold only letters and digits: no quoting needed.
    """
    body = " AND ".join(f'"{" ".join(a.tokens)}"' + ("*" if a.prefix else "") for a in parts)
    return f"{{{' '.join(fields)}}} : ({body})" if fields else f"({body})"
