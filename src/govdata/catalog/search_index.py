"""The catalog's full-text index: Chinese bigrams per field, kept beside the catalog tables.

The text is cut into tokens by ``catalog.search_text`` (Chinese bigrams plus each run's last
character, other words whole; a name's pinyin initials).

One index row per resource holds the tokens of five fields, each searchable on its own so that a
search can tell where a word occurs without reading any text: ``name``, ``items`` (item names and
columns), ``summary``, ``other`` (code and tags: found, never ranked) and ``initials`` (the pinyin
initials of the name's Chinese runs). Beside it, one row of
*facts* per resource (``catalog_search_facts``: published or not, department, the five vocabulary
facets, name length and code) is what search counts, filters and orders by (in memory, see
``catalog.search``); ``catalog_search_meta`` holds the index version and a generation token that
every write to the index (and the delete trigger) replaces, so readers know when to reread the facts:

- SQLite: an FTS5 table ``catalog_search(name, items, summary, other, initials)`` (``unicode61`` tokenizer over
  the space-joined tokens, ``rowid`` = resource id);
- PostgreSQL: a table per field, ``catalog_search_name`` … ``catalog_search_initials``, of one
  ``tsvector`` per resource, built from the tokens as a literal (no text-search parser or locale
  involved), and derived from them the inverted lists of ``catalog.search_postings`` (per token and
  field: the resources holding it and where), which is what a search reads — one row per token
  however many resources hold it, where a full-text query of a word found in most resources scanned
  a field's whole table. The ``tsvector`` rows tell ``_write`` what a resource held before, so that
  it changes only the lists of what comes or goes; nothing searches them (no GIN index).

The index is not in the Alembic migrations (``db/migrations/env.py`` leaves ``catalog_search*`` out):
it is created at first use by ``ensure_index``, which also compares the version stored in
``catalog_search_meta`` with ``INDEX_VERSION`` and, when they differ (or the meta row is missing, as
in an index older than the versioning), drops every index object and rebuilds it from the catalog.
Bump ``INDEX_VERSION`` whenever what is indexed or how changes. ``rebuild_index`` (``govdata catalog
reindex``) does the same by hand. A delete trigger on ``catalog_resources`` drops a resource's rows;
resources filed after the newest indexed one are back-filled; ``index_resource`` refreshes one
resource and belongs after every change to a resource or its items (search reads status and facets
from the index). Raises nothing of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from govdata.catalog import search_postings as postings
from govdata.catalog.models import Item, Resource, ResourceStatus
from govdata.catalog.search_postings import POSTINGS_TABLE
from govdata.catalog.search_text import initials, tokens

INDEX_VERSION = 5  # bump when the index's structure or its text changes: indexes are rebuilt at first use
INDEX_TABLE = "catalog_search"
FACTS_TABLE = "catalog_search_facts"
META_TABLE = "catalog_search_meta"
FIELDS = ("name", "items", "summary", "other", "initials")
FACET_COLUMNS = ("department_id", "category", "share_type", "open_type", "update_cycle", "format")
_BATCH = 2000
_PG_LOCK = 4_011_980_917  # advisory lock key: one session creates the index at a time

_FACTS_DDL = (
    f"CREATE TABLE IF NOT EXISTS {FACTS_TABLE} (resource_id integer PRIMARY KEY, published integer NOT NULL, "
    "department_id integer NOT NULL, category varchar(16) NOT NULL, share_type varchar(16) NOT NULL, "
    "open_type varchar(16) NOT NULL, update_cycle varchar(16) NOT NULL, format varchar(32) NOT NULL, "
    "name_len integer NOT NULL, code varchar(100) NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key varchar(32) PRIMARY KEY, value varchar(200) NOT NULL)",
)
_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX_TABLE} USING fts5({', '.join(FIELDS)}, "
    "tokenize='unicode61 remove_diacritics 0')",
    *_FACTS_DDL,
    "CREATE TRIGGER IF NOT EXISTS catalog_search_forget AFTER DELETE ON catalog_resources BEGIN "
    "DELETE FROM catalog_search WHERE rowid = old.id; "
    "DELETE FROM catalog_search_facts WHERE resource_id = old.id; "
    "UPDATE catalog_search_meta SET value = lower(hex(randomblob(16))) WHERE key = 'generation'; END",
)
PG_FIELD_TABLES = {f: f"{INDEX_TABLE}_{f}" for f in FIELDS}
_PG_DDL = (
    *(
        f"CREATE TABLE IF NOT EXISTS {t} (resource_id integer PRIMARY KEY, tsv tsvector NOT NULL)"
        for t in PG_FIELD_TABLES.values()
    ),
    postings.DDL,
    *_FACTS_DDL,
    "CREATE OR REPLACE FUNCTION catalog_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608 - constants
    # the meta row first, as _write does: concurrent writers lock rows in one order
    "UPDATE catalog_search_meta SET value = md5(random()::text || clock_timestamp()::text) "
    "WHERE key = 'generation'; "
    + postings.forget(list(PG_FIELD_TABLES.values()))
    + "".join(f"DELETE FROM {t} WHERE resource_id = OLD.id; " for t in PG_FIELD_TABLES.values())  # noqa: S608
    + "DELETE FROM catalog_search_facts WHERE resource_id = OLD.id; RETURN OLD; END $$",
    "CREATE OR REPLACE TRIGGER catalog_search_forget AFTER DELETE ON catalog_resources "
    "FOR EACH ROW EXECUTE FUNCTION catalog_search_forget()",
)
_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS catalog_search_forget",
    f"DROP TABLE IF EXISTS {INDEX_TABLE}",
    f"DROP TABLE IF EXISTS {FACTS_TABLE}",
    f"DROP TABLE IF EXISTS {META_TABLE}",
)
_PG_DROP = (
    "DROP TRIGGER IF EXISTS catalog_search_forget ON catalog_resources",
    "DROP FUNCTION IF EXISTS catalog_search_forget()",
    f"DROP TABLE IF EXISTS {INDEX_TABLE}",  # the one table of all four fields, before version 3
    *(f"DROP TABLE IF EXISTS {t}" for t in PG_FIELD_TABLES.values()),
    f"DROP TABLE IF EXISTS {POSTINGS_TABLE}",
    f"DROP TABLE IF EXISTS {FACTS_TABLE}",
    f"DROP TABLE IF EXISTS {META_TABLE}",
)


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def index_version(session: Session) -> int | None:
    """The version of the index in the database: ``None`` when there is none (or only part of one),
    1 for an index from before the versioning."""
    pg = is_postgres(session)
    wanted = (
        *((*PG_FIELD_TABLES.values(), POSTINGS_TABLE) if pg else [INDEX_TABLE]),
        FACTS_TABLE,
        META_TABLE,
    )
    if pg:
        sql = "SELECT relname FROM pg_class WHERE relname IN :names AND relkind IN ('r', 'p')"
    else:
        sql = "SELECT name FROM sqlite_master WHERE name IN :names"
    stmt = text(sql).bindparams(bindparam("names", expanding=True))
    names = set(session.execute(stmt, {"names": [INDEX_TABLE, *wanted]}).scalars())
    if META_TABLE not in names:
        return 1 if names == {INDEX_TABLE} else None
    if names != set(wanted):
        return None
    found = session.execute(
        text(f"SELECT value FROM {META_TABLE} WHERE key = 'version'")  # noqa: S608 - constant
    ).scalar()
    return int(found) if found is not None else None


def _lock(session: Session) -> None:
    if is_postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})


def _drop(session: Session) -> None:
    for ddl in _PG_DROP if is_postgres(session) else _SQLITE_DROP:
        session.execute(text(ddl))


def _create(session: Session) -> bool:
    """Make sure the index of ``INDEX_VERSION`` exists; ``True`` when it was (re)created empty."""
    if index_version(session) == INDEX_VERSION:
        return False
    if is_postgres(session):
        _lock(session)
        if index_version(session) == INDEX_VERSION:  # another session built it meanwhile
            return False
    _drop(session)
    for ddl in _PG_DDL if is_postgres(session) else _SQLITE_DDL:
        session.execute(text(ddl))
    session.execute(
        text(f"INSERT INTO {META_TABLE} (key, value) VALUES ('version', :v), ('generation', :g)"),  # noqa: S608
        {"v": str(INDEX_VERSION), "g": uuid.uuid4().hex},
    )
    return True


def generation(session: Session) -> str:
    """A token that changes with every write to the index (never repeats, even after a rollback)."""
    found = session.execute(text(f"SELECT value FROM {META_TABLE} WHERE key = 'generation'")).scalar()  # noqa: S608
    if found is None:  # written by a build that had no generation yet
        found = uuid.uuid4().hex
        session.execute(
            text(f"INSERT INTO {META_TABLE} (key, value) VALUES ('generation', :g)"),  # noqa: S608
            {"g": found},
        )
    return str(found)


def ensure_index(session: Session) -> None:
    """Create (or, at another version, rebuild) the index, then index the resources filed after its newest row.

    Three primary-key lookups when nothing is missing. Resources are caught up by id: a resource
    changed without ``index_resource`` is not noticed (``rebuild_index`` repairs that).
    """
    _create(session)
    newest = session.execute(text(f"SELECT max(resource_id) FROM {FACTS_TABLE}")).scalar()  # noqa: S608
    last = session.execute(select(func.max(Resource.id))).scalar()
    if last is None or (newest is not None and newest >= last):
        return
    ids = list(
        session.execute(
            select(Resource.id).where(Resource.id > (newest or 0)).order_by(Resource.id)
        ).scalars()
    )
    _fill(session, ids, fresh=newest is None)


def index_resource(session: Session, resource: Resource) -> None:
    """Refresh ``resource``'s row in the index (call after filing or changing it or its items)."""
    session.flush()
    ensure_index(session)
    _write(session, [resource.id])


def index_resources(session: Session, ids: Sequence[int]) -> None:
    """Write the index rows of many resources at once (a bulk filing), in batches; flushes first."""
    session.flush()
    _create(session)
    _fill(session, list(ids), fresh=False)


def rebuild_index(session: Session) -> int:
    """Drop the index and build it afresh at ``INDEX_VERSION``; returns how many resources it holds."""
    _lock(session)
    _drop(session)
    _create(session)
    ids = list(session.execute(select(Resource.id).order_by(Resource.id)).scalars())
    _fill(session, ids, fresh=True)
    return len(ids)


def _fill(session: Session, ids: list[int], fresh: bool) -> None:
    """Write the index rows of ``ids`` in batches. ``fresh``: into an empty index, whose inverted
    lists (PostgreSQL) are then built in one aggregate each instead of grown batch by batch."""
    for start in range(0, len(ids), _BATCH):
        _write(session, ids[start : start + _BATCH], with_postings=not fresh)
    if not fresh or not is_postgres(session):
        return
    postings.build(session, list(PG_FIELD_TABLES.values()))
    for table in (*PG_FIELD_TABLES.values(), POSTINGS_TABLE, FACTS_TABLE):
        session.execute(text(f"ANALYZE {table}"))


def _write(session: Session, ids: Iterable[int], with_postings: bool = True) -> None:
    """(Re)write the index rows of ``ids`` from the catalog tables, in one statement per kind;
    with ``with_postings`` (PostgreSQL) also the inverted lists of what they gain or lose."""
    wanted = list(ids)
    if not wanted:
        return
    r = Resource
    heads = session.execute(
        select(
            r.id, r.code, r.name, r.summary, r.tags, r.status, r.department_id, r.category, r.share_type,
            r.open_type, r.update_cycle, r.format,
        ).where(r.id.in_(wanted))
    ).all()  # fmt: skip
    item_text: dict[int, list[str]] = {rid: [] for rid in wanted}
    for rid, column, name in session.execute(
        select(Item.resource_id, Item.column, Item.name)
        .where(Item.resource_id.in_(wanted))
        .order_by(Item.resource_id, Item.position)
    ):
        item_text[rid].append(f"{name} {column}")
    pg = is_postgres(session)
    docs, facts = [], []
    vectors: dict[str, list[tuple[int, str]]] = {f: [] for f in FIELDS}  # (resource id, tsvector)
    for rid, code, name, summary, tags, status, *facets in heads:
        fields = {
            "name": tokens(name),
            "items": tokens("\n".join(item_text[rid])),
            "summary": tokens(summary or ""),
            "other": tokens(f"{code} {' '.join(tags or [])}"),
            "initials": initials(name),
        }
        doc: dict[str, object] = {"rid": rid}
        for field, toks in fields.items():
            doc[field] = _pg_vector(toks) if pg else " ".join(toks)
            vectors[field].append((rid, str(doc[field])))
        docs.append(doc)
        facts.append(
            {
                "rid": rid,
                "published": int(status == ResourceStatus.PUBLISHED.value),
                "name_len": len(name),
                "code": code,
            }
            | dict(zip(FACET_COLUMNS, facets, strict=True))
        )
    session.execute(
        text(f"UPDATE {META_TABLE} SET value = :g WHERE key = 'generation'"),  # noqa: S608 - constant
        {"g": uuid.uuid4().hex},
    )
    if pg and with_postings:
        postings.update(session, list(PG_FIELD_TABLES.values()), wanted, [vectors[f] for f in FIELDS])
    for table, col in (*index_tables(session), (FACTS_TABLE, "resource_id")):
        session.execute(
            text(f"DELETE FROM {table} WHERE {col} IN :ids").bindparams(  # noqa: S608 - constants
                bindparam("ids", expanding=True)
            ),
            {"ids": wanted},
        )
    if not docs:
        return
    if pg:
        for field, table in PG_FIELD_TABLES.items():
            session.execute(
                text(f"INSERT INTO {table} (resource_id, tsv) VALUES (:rid, CAST(:tsv AS tsvector))"),  # noqa: S608
                [{"rid": rid, "tsv": vector} for rid, vector in vectors[field]],
            )
    else:
        values = ", ".join(f":{f}" for f in FIELDS)
        session.execute(
            text(f"INSERT INTO {INDEX_TABLE} (rowid, {', '.join(FIELDS)}) VALUES (:rid, {values})"),  # noqa: S608
            docs,
        )
    cols = ("published", *FACET_COLUMNS, "name_len", "code")
    session.execute(
        text(
            f"INSERT INTO {FACTS_TABLE} (resource_id, {', '.join(cols)}) "  # noqa: S608 - constants
            f"VALUES (:rid, {', '.join(':' + c for c in cols)})"
        ),
        facts,
    )


def index_tables(session: Session) -> list[tuple[str, str]]:
    """The full-text table(s) of this backend with their resource-id column (one row per indexed resource)."""
    if is_postgres(session):
        return [(table, "resource_id") for table in PG_FIELD_TABLES.values()]
    return [(INDEX_TABLE, "rowid")]


def _pg_vector(doc: Sequence[str]) -> str:
    """A ``tsvector`` literal with positions (capped at PostgreSQL's 16383), tokens need no quoting."""
    return " ".join(f"'{tok}':{min(pos, 16383)}" for pos, tok in enumerate(doc, start=1))
