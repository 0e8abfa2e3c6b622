"""PostgreSQL's inverted lists for the catalog search: per token and field, who holds it and where.

``catalog_search_postings(token, field, ids, places)``: for one token (``catalog.search_text``) in
one field (its number in ``FIELDS``), ``ids`` — the resources holding it, each once — and ``places``
— each occurrence as ``resource_id << 20 | position``, positions as the field's ``tsvector`` keeps
them (capped at 16,383, the first 256 per token). A word of one or two Chinese characters (or a
prefix) is then one list of ids however many resources hold it, and a phrase (three or more: bigrams
that must be adjacent) the intersection of its bigrams' places shifted by their rank — no text read
(``catalog.search_hits``). The token column sorts by byte (``"C"``), so the tokens starting with a
prefix are one range of the primary key.

The lists are derived from the per-field ``tsvector`` rows of ``catalog.search_index``: ``build``
makes them from all rows, one aggregate per field (a fresh index); ``update`` changes only the lists
of the occurrences the rewritten resources gain or lose, comparing what they hold now with what their
``tsvector`` rows held before; ``forget`` is the delete trigger's statement taking a resource out of
its lists. Raises nothing of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

POSTINGS_TABLE = "catalog_search_postings"
SHIFT = 20  # a place is resource_id << SHIFT | position; positions stay below 2**14
DDL = (
    f'CREATE TABLE IF NOT EXISTS {POSTINGS_TABLE} (token text COLLATE "C" NOT NULL, field smallint NOT NULL, '
    "ids integer[] NOT NULL, places bigint[] NOT NULL, PRIMARY KEY (token, field))"
)


def _occurrences(tables: Sequence[str], where: str) -> str:
    """(field, resource_id, token, position) of the ``tsvector`` rows matching ``where``, all fields."""
    return " UNION ALL ".join(
        f"SELECT CAST({n} AS smallint), t.resource_id, u.lexeme, p FROM {table} t, unnest(t.tsv) u, "  # noqa: S608
        f"unnest(u.positions) p WHERE {where}"
        for n, table in enumerate(tables)
    )


def forget(tables: Sequence[str]) -> str:
    """The delete trigger's statement: ``OLD.id`` out of the lists of every token it holds."""
    held = " UNION ALL ".join(
        f"SELECT CAST({n} AS smallint) AS field, unnest(tsvector_to_array(tsv)) AS token "  # noqa: S608
        f"FROM {table} WHERE resource_id = OLD.id"
        for n, table in enumerate(tables)
    )
    return (
        f"UPDATE {POSTINGS_TABLE} p SET ids = array_remove(p.ids, OLD.id), "  # noqa: S608 - constants
        f"places = ARRAY(SELECT x FROM unnest(p.places) x WHERE x >> {SHIFT} <> OLD.id) "
        f"FROM ({held}) o WHERE p.token = o.token AND p.field = o.field; "
    )


def build(session: Session, tables: Sequence[str]) -> None:
    """Make every list afresh from the ``tsvector`` rows of ``tables`` (the fields, in order)."""
    # the aggregate holds a field's lists in memory: room for them instead of spilling to disk
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(text(f"DELETE FROM {POSTINGS_TABLE}"))  # noqa: S608 - constant
    for n, table in enumerate(tables):
        session.execute(
            text(
                f"INSERT INTO {POSTINGS_TABLE} (token, field, ids, places) "  # noqa: S608 - constants
                f"SELECT u.lexeme, {n}, array_agg(t.resource_id) FILTER (WHERE o.i = 1), "
                f"array_agg(CAST(t.resource_id AS bigint) << {SHIFT} | o.p) "
                f"FROM {table} t, unnest(t.tsv) u, unnest(u.positions) WITH ORDINALITY o(p, i) GROUP BY u.lexeme"
            )
        )
    session.execute(text("RESET work_mem"))


def update(
    session: Session, tables: Sequence[str], ids: list[int], now: Sequence[Sequence[tuple[int, str]]]
) -> None:
    """Bring the lists of ``ids`` to what they hold now — ``now[n]``: (resource id, ``tsvector``
    literal) of field ``n`` — before their rows in ``tables`` are rewritten: those tell what they
    held before. Only the lists of the occurrences that come or go change, in two statements."""
    new = " UNION ALL ".join(
        f"SELECT CAST({n} AS smallint) AS f, x.r, u.lexeme AS t, p FROM unnest(CAST(:r{n} AS integer[]), "  # noqa: S608
        f"CAST(:v{n} AS tsvector[])) AS x(r, tsv), unnest(x.tsv) u, unnest(u.positions) p"
        for n in range(len(tables))
    )
    old = _occurrences(tables, "t.resource_id = ANY(CAST(:ids AS integer[]))")
    params: dict[str, object] = {"ids": ids}
    for n, field in enumerate(now):
        params[f"r{n}"] = [rid for rid, _ in field]
        params[f"v{n}"] = [vector for _, vector in field]

    def changes(before: str, after: str) -> str:
        """Per list: the resource ids that leave (or join) it and the places they leave (join)."""
        return (
            f"WITH new AS ({new}), old (f, r, t, p) AS ({old}) "  # noqa: S608 - constants
            f"SELECT f, t, array_agg(r) FILTER (WHERE p IS NULL) AS rids, "
            f"array_agg(CAST(r AS bigint) << {SHIFT} | p) FILTER (WHERE p IS NOT NULL) AS keys FROM ("
            f"(SELECT f, r, t, CAST(NULL AS integer) AS p FROM {before} EXCEPT SELECT f, r, t, NULL FROM {after}) "
            f"UNION ALL (SELECT f, r, t, p FROM {before} EXCEPT SELECT f, r, t, p FROM {after})) AS c GROUP BY f, t"
        )

    session.execute(
        text(
            f"UPDATE {POSTINGS_TABLE} p SET "  # noqa: S608 - constants
            "ids = CASE WHEN d.rids IS NULL THEN p.ids ELSE ARRAY(SELECT unnest(p.ids) EXCEPT SELECT unnest(d.rids)) END, "
            "places = CASE WHEN d.keys IS NULL THEN p.places "
            "ELSE ARRAY(SELECT unnest(p.places) EXCEPT SELECT unnest(d.keys)) END "
            f"FROM ({changes('old', 'new')}) d WHERE p.token = d.t AND p.field = d.f"
        ),
        params,
    )
    session.execute(
        text(
            f"INSERT INTO {POSTINGS_TABLE} AS p (token, field, ids, places) "  # noqa: S608 - constants
            f"SELECT t, f, coalesce(rids, '{{}}'), coalesce(keys, '{{}}') FROM ({changes('new', 'old')}) d "
            "ORDER BY t, f ON CONFLICT (token, field) DO UPDATE SET ids = p.ids || EXCLUDED.ids, "
            "places = p.places || EXCLUDED.places"
        ),
        params,
    )
