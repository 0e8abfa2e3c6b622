"""Loading the departments' database tables into SQLite files, PostgreSQL schemas or MariaDB databases.

One ``Target`` per backend: ``create`` (re)creates a table, ``insert`` appends a column batch in
bulk (``executemany``; ``COPY`` on PostgreSQL), ``close`` commits. SQLite gets one file per
department; PostgreSQL one schema ``demo_[<namespace>_]<dept>``; MariaDB one database of that name.
Raises ``TransientError("demo.service_unreachable")`` naming the URL when a server cannot be reached.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from govdata.demo.tables import Col, TableSpec
from govdata.errors import InvalidInput, TransientError
from govdata.ingest import close_source_connections

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MARIADB_URL = "mysql+pymysql://root@127.0.0.1:3306"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def quote(name: str) -> str:
    """Our identifiers are fixed lower-case ascii; refuse anything else rather than escape it."""
    if not _NAME.match(name):
        raise InvalidInput("demo.bad_identifier", name=name)
    return name


def container(dept: str, namespace: str | None) -> str:
    """PostgreSQL schema / MariaDB database of a department."""
    return quote(f"demo_{namespace}_{dept}" if namespace else f"demo_{dept}")


def sql_type(col: Col, dialect: str) -> str:
    if col.dtype == "str" or col.as_text:
        return f"VARCHAR({col.length or 50})"
    if col.dtype == "int":
        return "INTEGER"
    if col.dtype == "num":
        return f"DECIMAL({col.length or 12},{col.scale})"
    if col.dtype == "date":
        return "DATE"
    return "DATETIME" if dialect == "mariadb" else "TIMESTAMP"


def ddl(spec: TableSpec, table: str, dialect: str) -> str:
    columns = ", ".join(f"{quote(c.name)} {sql_type(c, dialect)}" for c in spec.columns)
    return f"CREATE TABLE {table} ({columns}, PRIMARY KEY ({quote(spec.key)}))"


def _rows(spec: TableSpec, columns: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    return list(zip(*(columns[c.name] for c in spec.columns), strict=True))


class Target:
    """A database backend receiving the demo's SQL tables."""

    kind = ""

    def config(self, spec: TableSpec) -> dict[str, Any]:
        raise NotImplementedError

    def create(self, spec: TableSpec) -> None:
        raise NotImplementedError

    def insert(self, spec: TableSpec, columns: dict[str, list[Any]]) -> None:
        raise NotImplementedError

    def close(self, commit: bool = True) -> None:
        """Commit (or, after a failure, roll back) and disconnect."""
        raise NotImplementedError


class SqliteTarget(Target):
    kind = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.connections: dict[str, sqlite3.Connection] = {}

    def path(self, dept: str) -> Path:
        return self.folder / f"{dept}.sqlite"

    def config(self, spec: TableSpec) -> dict[str, Any]:
        return {"url": f"sqlite:///{self.path(spec.dept)}", "table": spec.table, "schema": None}

    def _connection(self, dept: str) -> sqlite3.Connection:
        if dept not in self.connections:
            self.path(dept).unlink(missing_ok=True)
            self.connections[dept] = sqlite3.connect(self.path(dept))
        return self.connections[dept]

    def create(self, spec: TableSpec) -> None:
        self._connection(spec.dept).execute(ddl(spec, quote(spec.table), "sqlite"))

    def insert(self, spec: TableSpec, columns: dict[str, list[Any]]) -> None:
        marks = ", ".join("?" for _ in spec.columns)
        sql = f"INSERT INTO {quote(spec.table)} VALUES ({marks})"  # noqa: S608 - fixed identifiers
        self._connection(spec.dept).executemany(sql, _rows(spec, columns))

    def close(self, commit: bool = True) -> None:
        for con in self.connections.values():
            if commit:
                con.commit()
            con.close()
        self.connections.clear()


class PostgresTarget(Target):
    kind = "postgres"

    def __init__(self, url: str, namespace: str | None) -> None:
        import psycopg

        self.url, self.namespace = url, namespace
        u = make_url(url)
        try:
            self.con = psycopg.connect(
                host=u.host, port=u.port or 5432, user=u.username, password=u.password, dbname=u.database
            )
        except psycopg.OperationalError as exc:
            raise TransientError("demo.service_unreachable", url=url) from exc
        self.schemas: set[str] = set()

    def config(self, spec: TableSpec) -> dict[str, Any]:
        return {"url": self.url, "table": spec.table, "schema": container(spec.dept, self.namespace)}

    def create(self, spec: TableSpec) -> None:
        schema = container(spec.dept, self.namespace)
        if schema not in self.schemas:
            self.con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            self.con.execute(f"CREATE SCHEMA {schema}")
            self.schemas.add(schema)
        self.con.execute(ddl(spec, f"{schema}.{quote(spec.table)}", "postgres"))

    def insert(self, spec: TableSpec, columns: dict[str, list[Any]]) -> None:
        table = f"{container(spec.dept, self.namespace)}.{quote(spec.table)}"
        with self.con.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN") as copy:
            for row in _rows(spec, columns):
                copy.write_row(row)

    def close(self, commit: bool = True) -> None:
        if commit:
            self.con.commit()
        self.con.close()


class MariadbTarget(Target):
    kind = "mariadb"

    def __init__(self, url: str, namespace: str | None) -> None:
        import pymysql

        self.url, self.namespace = url.rstrip("/"), namespace
        u = make_url(url)
        try:
            self.con = pymysql.connect(
                host=u.host,
                port=u.port or 3306,
                user=u.username,
                password=u.password or "",
                charset="utf8mb4",
            )
        except pymysql.err.OperationalError as exc:
            raise TransientError("demo.service_unreachable", url=url) from exc
        self.databases: set[str] = set()

    def config(self, spec: TableSpec) -> dict[str, Any]:
        base = make_url(self.url).set(database=container(spec.dept, self.namespace))
        return {"url": base.render_as_string(hide_password=False), "table": spec.table, "schema": None}

    def create(self, spec: TableSpec) -> None:
        database = container(spec.dept, self.namespace)
        with self.con.cursor() as cur:
            if database not in self.databases:
                close_source_connections()  # a kept connection would sit in the dropped database
                cur.execute(f"DROP DATABASE IF EXISTS `{database}`")
                cur.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
                self.databases.add(database)
            cur.execute(ddl(spec, f"`{database}`.`{quote(spec.table)}`", "mariadb"))

    def insert(self, spec: TableSpec, columns: dict[str, list[Any]]) -> None:
        table = f"`{container(spec.dept, self.namespace)}`.`{quote(spec.table)}`"
        marks = ", ".join("%s" for _ in spec.columns)
        rows = _rows(spec, columns)
        with self.con.cursor() as cur:
            for start in range(0, len(rows), 5000):
                cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[start : start + 5000])  # noqa: S608

    def close(self, commit: bool = True) -> None:
        if commit:
            self.con.commit()
        self.con.close()


def drop(kind: str, url: str, depts: list[str], namespace: str | None) -> None:
    """Remove the demo's schemas (PostgreSQL) or databases (MariaDB) of ``depts``."""
    if kind == "postgres":
        pg = PostgresTarget(url, namespace)
        for dept in depts:
            pg.con.execute(f"DROP SCHEMA IF EXISTS {container(dept, namespace)} CASCADE")
        pg.close()
    elif kind == "mariadb":
        close_source_connections()  # a kept connection would sit in a dropped database
        my = MariadbTarget(url, namespace)
        with my.con.cursor() as cur:
            for dept in depts:
                cur.execute(f"DROP DATABASE IF EXISTS `{container(dept, namespace)}`")
        my.close()
