"""Which resources hold each word of a query, field by field: the catalog search's reads of its index.

``hits`` answers, per word and field, a boolean mask over the resource ids of the index's facts
(see ``catalog.search``). A word found in most of the catalog holds as many ids as there are
resources, so the ids never become Python objects one by one:

- SQLite: one FTS5 query per word and field, its ids returned as one comma-joined string
  (``group_concat``) that Arrow splits and parses — one string for 150,000 ids, not 150,000 rows.
- PostgreSQL: the inverted lists (``catalog.search_postings``) of every token of the query, in one
  statement, each list one array however long. A word's ids in a field are the intersection of its
  atoms': a bigram's ids, a prefix's the union of the ids of the tokens it starts, and a phrase
  (three or more Chinese characters: bigrams that must be adjacent) the places of its first bigram
  whose next places hold the next bigrams, as resource ids — exact, and no text read.

Raises nothing of its own.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import text
from sqlalchemy.orm import Session

from govdata.catalog.search_index import FIELDS, INDEX_TABLE, is_postgres
from govdata.catalog.search_postings import POSTINGS_TABLE, SHIFT
from govdata.catalog.search_text import Atom, fts5_query, spelled

_FROM = f"FROM {POSTINGS_TABLE} WHERE"
Hits = dict[tuple[int, str], pa.Array]  # (word number, field) → which of the ids hold the word there


def hits(session: Session, ids: pa.Array, words: list[list[Atom]]) -> Hits:
    """Per (word number, field): a boolean mask over ``ids`` (resource ids), true where it holds the word."""
    if not words:
        return {}
    if is_postgres(session):
        return _pg_hits(session, ids, words)
    out: Hits = {}
    sql = text(f"SELECT group_concat(rowid) FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH :q")  # noqa: S608
    for i, word in enumerate(words):
        for field in FIELDS:
            if field == "initials" and not spelled(word):  # only letters can be pinyin initials
                found = None
            else:
                found = session.execute(sql, {"q": fts5_query(word, (field,))}).scalar()
            out[i, field] = pc.is_in(ids, value_set=_parse([found] if found else []))
    return out


def _parse(joined: list[str]) -> pa.Array:
    """The integers of comma-separated lists (``1,2,3``), as one int64 array."""
    parts = [j for j in joined if j]
    if not parts:
        return pa.array([], pa.int64())
    return pc.cast(pc.split_pattern(pa.array([",".join(parts)]), ",").flatten(), pa.int64())


def _pg_hits(session: Session, ids: pa.Array, words: list[list[Atom]]) -> Hits:
    phrases = [a for word in words for a in word if len(a.tokens) > 1]
    single = sorted({a.tokens[0] for word in words for a in word if not a.prefix and len(a.tokens) == 1})
    placed = sorted({t for a in phrases for t in a.tokens})
    prefixes = sorted({a.tokens[0] for word in words for a in word if a.prefix})
    # one statement: the ids of single bigrams, the places of the phrases' bigrams, the ids of each
    # prefix's range of tokens (the table sorts by byte: the tokens starting with p are [p, p⁺))
    parts, params = [], {}
    if single:
        parts.append(
            f"SELECT token, field, trim(CAST(ids AS text), '{{}}') {_FROM} token = ANY(CAST(:single AS text[]))"
        )
        params["single"] = single
    if placed:
        parts.append(
            f"SELECT '@' || token, field, trim(CAST(places AS text), '{{}}') {_FROM} token = ANY(CAST(:placed AS text[]))"
        )
        params["placed"] = placed
    for k, p in enumerate(prefixes):
        parts.append(
            f"SELECT '*' || :p{k}, field, trim(CAST(ids AS text), '{{}}') {_FROM} token >= :p{k} AND token < :q{k}"
        )
        params |= {f"p{k}": p, f"q{k}": p[:-1] + chr(ord(p[-1]) + 1)}
    lists: dict[tuple[str, int], list[str]] = {}
    for key, field, joined in session.execute(text(" UNION ALL ".join(parts)), params):
        lists.setdefault((key, field), []).append(joined)
    out: Hits = {}
    for i, word in enumerate(words):
        for n, field in enumerate(FIELDS):
            mask = None
            for a in word:
                if len(a.tokens) > 1:
                    found = _phrase([_parse(lists.get(("@" + t, n), [])) for t in a.tokens])
                else:
                    found = _parse(lists.get((("*" if a.prefix else "") + a.tokens[0], n), []))
                held = pc.is_in(ids, value_set=found)
                mask = held if mask is None else pc.and_(mask, held)
            assert mask is not None  # a word has at least one atom
            out[i, field] = mask
    return out


def _phrase(places: list[pa.Array]) -> pa.Array:
    """Resource ids where the tokens of ``places`` (each's places, in phrase order) follow each other."""
    start = places[0]
    for rank, then in enumerate(places[1:], start=1):
        start = pc.filter(start, pc.is_in(pc.add(start, rank), value_set=then))
    return pc.shift_right(start, SHIFT)
