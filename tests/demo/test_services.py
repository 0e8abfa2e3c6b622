"""Loading the SQL sources into the machine's PostgreSQL and MariaDB (real servers, never mocks)."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pymysql
import pytest

from govdata.demo import MARIADB_URL, PG_URL, drop, generate
from govdata.demo.tables import SQL_TABLES

pytestmark = pytest.mark.services


def test_load_into_postgres_and_mariadb(tmp_path: Path) -> None:
    namespace = f"t{uuid.uuid4().hex[:10]}"
    depts = sorted({s.dept for s in SQL_TABLES})
    try:
        manifest = generate(tmp_path, sources=("sqlite", "postgres", "mariadb"), namespace=namespace)
        counts = manifest.truth.row_counts
        kinds = {s.config["url"].split(":")[0] for s in manifest.sources if s.connector == "sql"}
        assert kinds == {"postgresql+psycopg", "mysql+pymysql"}
        try:
            pg = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test")
        except psycopg.OperationalError as exc:
            pytest.fail(f"PostgreSQL at {PG_URL} unreachable: {exc}")
        with pg:
            for spec in SQL_TABLES:
                schema = f"demo_{namespace}_{spec.dept}"
                (n,) = pg.execute(f"SELECT count(*) FROM {schema}.{spec.table}").fetchone()  # noqa: S608
                assert n == counts[spec.table], spec.table
            (name,) = pg.execute(f"SELECT xm FROM demo_{namespace}_gaj.hj_rk LIMIT 1").fetchone()  # noqa: S608
            assert name and not name.isascii()
        try:
            my = pymysql.connect(host="127.0.0.1", port=3306, user="root", charset="utf8mb4")
        except pymysql.err.OperationalError as exc:
            pytest.fail(f"MariaDB at {MARIADB_URL} unreachable: {exc}")
        with my.cursor() as cur:
            for spec in SQL_TABLES:
                cur.execute(f"SELECT count(*) FROM `demo_{namespace}_{spec.dept}`.`{spec.table}`")  # noqa: S608
                assert cur.fetchone()[0] == counts[spec.table], spec.table
        my.close()
        rsj = manifest.source("sb_cbry").config
        assert rsj == {"url": f"{MARIADB_URL}/demo_{namespace}_rsj", "table": "sb_cbry", "schema": None}
        gaj = manifest.source("hj_rk").config
        assert gaj == {"url": PG_URL, "table": "hj_rk", "schema": f"demo_{namespace}_gaj"}
    finally:
        drop("postgres", PG_URL, depts, namespace)
        drop("mariadb", MARIADB_URL, depts, namespace)
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test") as pg:
        left = pg.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE %s",
            (f"demo_{namespace}_%",),
        ).fetchone()
        assert left == (0,)


def test_unreachable_server_names_its_url(tmp_path: Path) -> None:
    from govdata.errors import TransientError

    url = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    with pytest.raises(TransientError) as caught:
        generate(tmp_path, sources=("postgres",), pg_url=url, namespace="unreachable")
    assert url in caught.value.message("en")
