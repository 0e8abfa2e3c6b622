"""The catalog's full-text index: Chinese bigrams, kept beside the catalog tables.

One index row per resource holds its tokens (name and code, item names and columns, summary) and the
normalised texts used to rank a hit. Text is normalised (NFKC, lower case) and cut into runs: a run of
Chinese characters becomes its overlapping bigrams followed by its last character alone
(婚姻登记 → 婚姻 姻登 登记 记), any other run of letters or digits one word. A query run of two or
more Chinese characters is then the phrase of its bigrams — an exact substring match — and a single
character (or a word) is a prefix match, so 1- and 2-character queries, the common case in Chinese,
use the index like longer ones. The same tokens feed both backends:

- SQLite: an FTS5 table ``catalog_search`` (``unicode61`` tokenizer over the space-joined tokens,
  ``rowid`` = resource id);
- PostgreSQL: a table ``catalog_search`` with a ``tsvector`` built from the tokens as a literal (no
  text-search parser or locale involved) and a GIN index.

A delete trigger on ``catalog_resources`` drops a resource's row. The index is created at first use
(``ensure_index``) and back-filled for resources it does not hold yet; ``index_resource`` refreshes
one resource and belongs after every change to a resource or its items. Raises nothing of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from govdata.catalog.models import Item, Resource

INDEX_TABLE = "catalog_search"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")
_BATCH = 2000
_PG_LOCK = 4_011_980_917  # advisory lock key: one session creates the index at a time

_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_search USING fts5(doc, name UNINDEXED, items UNINDEXED, "
    "summary UNINDEXED, tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS catalog_search_forget AFTER DELETE ON catalog_resources "
    "BEGIN DELETE FROM catalog_search WHERE rowid = old.id; END",
)
_PG_DDL = (
    "CREATE TABLE IF NOT EXISTS catalog_search (resource_id integer PRIMARY KEY, doc tsvector NOT NULL, "
    "name text NOT NULL, items text NOT NULL, summary text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_catalog_search_doc ON catalog_search USING gin (doc)",
    "CREATE OR REPLACE FUNCTION catalog_search_forget() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN DELETE FROM catalog_search WHERE resource_id = OLD.id; RETURN OLD; END $$",
    "CREATE OR REPLACE TRIGGER catalog_search_forget AFTER DELETE ON catalog_resources "
    "FOR EACH ROW EXECUTE FUNCTION catalog_search_forget()",
)


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


def atoms(term: str) -> list[Atom]:
    """The conditions one query term stands for, all of which a hit must meet."""
    out: list[Atom] = []
    for cjk, word in _RUN.findall(normalize(term)):
        if word or len(cjk) == 1:
            out.append(Atom((word or cjk,), prefix=True))
        else:
            out.append(Atom(tuple(cjk[i : i + 2] for i in range(len(cjk) - 1)), prefix=False))
    return out


def fts5_query(parts: Sequence[Atom]) -> str:
    """An FTS5 MATCH expression ANDing ``parts`` (tokens hold only letters and digits: no quoting)."""
    return " AND ".join(f'"{" ".join(a.tokens)}"' + ("*" if a.prefix else "") for a in parts)


def pg_query(parts: Sequence[Atom]) -> str:
    """A ``tsquery`` literal ANDing ``parts``: phrases with ``<->``, prefixes with ``:*``."""
    return " & ".join(
        f"'{a.tokens[0]}':*" if a.prefix else "(" + " <-> ".join(f"'{t}'" for t in a.tokens) + ")"
        for a in parts
    )


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _exists(session: Session) -> bool:
    if is_postgres(session):
        found = session.execute(text(f"SELECT to_regclass('{INDEX_TABLE}') IS NOT NULL")).scalar_one()
    else:
        found = session.execute(
            text("SELECT 1 FROM sqlite_master WHERE name = :name"), {"name": INDEX_TABLE}
        ).first()
    return bool(found)


def _create(session: Session) -> None:
    if _exists(session):
        return
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    for ddl in _PG_DDL if is_postgres(session) else _SQLITE_DDL:
        session.execute(text(ddl))


def ensure_index(session: Session) -> None:
    """Create the index if it is missing, then index the resources filed after its newest row.

    Two primary-key lookups when nothing is missing. Resources are caught up by id: a resource
    changed without ``index_resource`` is not noticed (``rebuild_index`` repairs that).
    """
    _create(session)
    if is_postgres(session):
        newest = session.execute(text("SELECT max(resource_id) FROM catalog_search")).scalar()
    else:
        newest = session.execute(
            text("SELECT rowid FROM catalog_search ORDER BY rowid DESC LIMIT 1")
        ).scalar()
    last = session.execute(select(func.max(Resource.id))).scalar()
    if last is None or (newest is not None and newest >= last):
        return
    ids = list(
        session.execute(
            select(Resource.id).where(Resource.id > (newest or 0)).order_by(Resource.id)
        ).scalars()
    )
    for start in range(0, len(ids), _BATCH):
        _write(session, ids[start : start + _BATCH])


def index_resource(session: Session, resource: Resource) -> None:
    """Refresh ``resource``'s row in the index (call after filing or changing it or its items)."""
    session.flush()
    ensure_index(session)
    _write(session, [resource.id])


def rebuild_index(session: Session) -> int:
    """Index every resource afresh; returns how many. For an index suspected stale, and benchmarks."""
    _create(session)
    session.execute(text(f"DELETE FROM {INDEX_TABLE}"))  # noqa: S608 - constant
    ids = list(session.execute(select(Resource.id).order_by(Resource.id)).scalars())
    for start in range(0, len(ids), _BATCH):
        _write(session, ids[start : start + _BATCH])
    return len(ids)


def _write(session: Session, ids: Iterable[int]) -> None:
    """(Re)write the index rows of ``ids`` from the catalog tables, in one statement per kind."""
    wanted = list(ids)
    if not wanted:
        return
    heads = session.execute(
        select(Resource.id, Resource.code, Resource.name, Resource.summary).where(Resource.id.in_(wanted))
    ).all()
    item_text: dict[int, list[str]] = {rid: [] for rid in wanted}
    for rid, column, name in session.execute(
        select(Item.resource_id, Item.column, Item.name)
        .where(Item.resource_id.in_(wanted))
        .order_by(Item.resource_id, Item.position)
    ):
        item_text[rid].append(f"{name} {column}")
    rows = []
    for rid, code, name, summary in heads:
        items = "\n".join(item_text[rid])
        doc = tokens(f"{name} {code}\n{items}\n{summary}")
        rows.append(
            {
                "rid": rid,
                "doc": _pg_vector(doc) if is_postgres(session) else " ".join(doc),
                "name": normalize(name),
                "items": normalize(items),
                "summary": normalize(summary),
            }
        )
    id_col = "resource_id" if is_postgres(session) else "rowid"
    session.execute(
        text(f"DELETE FROM {INDEX_TABLE} WHERE {id_col} IN :ids").bindparams(  # noqa: S608 - constants
            bindparam("ids", expanding=True)
        ),
        {"ids": wanted},
    )
    if rows:
        doc_value = "CAST(:doc AS tsvector)" if is_postgres(session) else ":doc"
        session.execute(
            text(
                f"INSERT INTO {INDEX_TABLE} ({id_col}, doc, name, items, summary) "  # noqa: S608 - constants
                f"VALUES (:rid, {doc_value}, :name, :items, :summary)"
            ),
            rows,
        )


def _pg_vector(doc: Sequence[str]) -> str:
    """A ``tsvector`` literal with positions (capped at PostgreSQL's 16383), tokens need no quoting."""
    return " ".join(f"'{tok}':{min(pos, 16383)}" for pos, tok in enumerate(doc, start=1))
