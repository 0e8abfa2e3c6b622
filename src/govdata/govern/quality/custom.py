"""Custom SQL rules: a bureau's own row check as a DuckDB scalar expression over the table's columns.

``params["expression"]`` is a boolean expression a good row satisfies (the row fails when it is
FALSE; NULL is no verdict, like a blank for validity rules), or ``params["reason"]`` a full reason
expression (VARCHAR reason code for a failing row, NULL for a passing one). ``params["name"]``
names the rule in messages. The text is spliced into the one-scan statement, so it is validated
first: parsed by DuckDB as exactly one scalar expression (no statements, comments, subqueries —
which is where ``read_csv``/``read_parquet`` and other file readers would go —, window functions,
or functions that reach outside the data), then bound against an empty table of the checked
table's schema (unknown columns, type errors, aggregates). Raises ``InvalidInput``
(``govern.quality.bad_sql``) naming the rule and DuckDB's message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa

from govdata.errors import InvalidInput
from govdata.govern.quality.rules import Columns, Dimension, Rule
from govdata.govern.quality.sql import SqlContext

# scalar functions that read the environment, files or settings rather than the row
_DENIED_FUNCTIONS = frozenset(
    {
        "getenv",
        "current_setting",
        "read_blob",
        "read_text",
        "glob",
        "query",
        "query_table",
        "sql_auto_complete",
    }
)
_DENIED_CLASSES = frozenset({"SUBQUERY", "WINDOW"})
_DENIED_TEXT = ("--", "/*", ";")


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


class CustomSqlRule(Rule):
    """A validated DuckDB expression; reason ``custom`` (boolean form) or the expression's own codes."""

    name = "custom_sql"
    dimension = Dimension.VALIDITY
    label = "quality.rule.custom_sql"
    min_columns = 0
    max_columns = None

    @property
    def title(self) -> str:
        return str(self.params.get("name") or self.name)

    @property
    def text(self) -> str:
        return str(self.params.get("expression") or self.params.get("reason") or "")

    def validate_params(self) -> None:
        given = [k for k in ("expression", "reason") if self.params.get(k) is not None]
        if len(given) != 1 or not isinstance(self.params[given[0]], str) or not self.params[given[0]].strip():
            raise self.bad_params("exactly one of expression (boolean) or reason (text) is required")
        self._parse()

    def _error(self, detail: str) -> InvalidInput:
        return InvalidInput("govern.quality.bad_sql", rule=self.title, detail=detail)

    def _parse(self) -> None:
        """One scalar expression, nothing that reads beyond the row (DuckDB's parser, no binding)."""
        import duckdb

        for bad in _DENIED_TEXT:
            if bad in self.text:
                raise self._error(f"{bad!r} is not allowed: give one expression, without comments")
        con = duckdb.connect()
        try:
            raw = con.execute(
                "SELECT json_serialize_sql($1)",
                [f"SELECT ({self.text}) AS v FROM t"],  # noqa: S608 - parsed, never run
            ).fetchone()
        finally:
            con.close()
        tree = json.loads(raw[0]) if raw else {"error": True, "error_message": "no parse"}
        if tree.get("error"):
            raise self._error(str(tree.get("error_message", "syntax error")))
        statements = tree.get("statements", [])
        node = statements[0]["node"] if len(statements) == 1 else {}
        if (
            node.get("type") != "SELECT_NODE"
            or len(node.get("select_list", [])) != 1
            or node.get("where_clause") is not None
            or node.get("group_expressions")
            or node.get("modifiers")
        ):
            raise self._error("not a single scalar expression")
        for sub in _nodes(node["select_list"][0]):
            if sub.get("class") in _DENIED_CLASSES:
                raise self._error(f"{str(sub['class']).lower()} expressions are not allowed")
            if (
                sub.get("class") == "FUNCTION"
                and str(sub.get("function_name", "")).lower() in _DENIED_FUNCTIONS
            ):
                raise self._error(f"function {sub['function_name']} is not allowed")

    def check_schema(self, schema: pa.Schema, columns: Sequence[str]) -> None:
        """Bind the expression against an empty table of ``schema``: columns, types, no aggregates."""
        import duckdb

        con = duckdb.connect()
        try:
            con.register("empty_source", schema.empty_table())
            con.execute("CREATE TABLE t AS SELECT * FROM empty_source")
            con.unregister("empty_source")
            con.execute("SET enable_external_access = false")
            # ``rowid`` beside the expression makes an aggregate fail to bind (it is not grouped)
            described = con.execute(f"DESCRIBE SELECT ({self.text}) AS v, rowid FROM t").fetchall()  # noqa: S608 - parsed above
        except duckdb.Error as exc:
            raise self._error(str(exc).splitlines()[0]) from exc
        finally:
            con.close()
        kind = str(described[0][1])
        wanted = "BOOLEAN" if self.params.get("expression") is not None else "VARCHAR"
        if kind != wanted:
            raise self._error(f"the expression gives {kind}, expected {wanted}")

    def reason(self, columns: Columns, ctx: SqlContext) -> str:
        if self.params.get("expression") is not None:
            return f"CASE WHEN ({self.text}) = false THEN 'custom' END"
        return f"CAST(({self.text}) AS VARCHAR)"
