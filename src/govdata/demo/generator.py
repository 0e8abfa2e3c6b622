"""``generate``: build the synthetic city 示例市 — source databases, department files, manifest.

People are produced in chunks of ``CHUNK``; every table derived from a chunk is written before the
next chunk is made, so memory stays flat at the large scale. Each (table, chunk) draws from its own
``random.Random`` seeded by a string, so output is byte-identical for a seed.
Raises ``InvalidInput`` (unknown scale, source or bad namespace) and ``TransientError`` when a
requested database server cannot be reached.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govdata.demo import agencies, files, readings, records
from govdata.demo.defects import RATES, DefectLog
from govdata.demo.departments import DEPARTMENT_NAMES, departments
from govdata.demo.manifest import DemoManifest, Source, Truth
from govdata.demo.people import TODAY, make_people
from govdata.demo.progress import ProgressFactory, silent
from govdata.demo.sql import MARIADB_URL, PG_URL, MariadbTarget, PostgresTarget, SqliteTarget, Target
from govdata.demo.tables import (
    CS_YXZM,
    DB_DX,
    FILE_TABLES,
    HJ_RK,
    HY_DJXX,
    JT_LLSJ,
    KQ_JCSJ,
    QY_JBXX,
    SB_CBRY,
    SQL_TABLES,
    TableSpec,
    resource,
)
from govdata.errors import InvalidInput
from govdata.i18n import text

SCALES = {"small": 10_000, "medium": 100_000, "large": 1_000_000}
SOURCE_KINDS = ("sqlite", "postgres", "mariadb")
CHUNK = 100_000
# With both servers requested, departments are spread over them as in a real city.
PREFERRED_SERVER = {
    "gaj": "postgres",
    "scjgj": "postgres",
    "sthjj": "postgres",
    "rsj": "mariadb",
    "jtj": "mariadb",
}
_NAMESPACE = re.compile(r"^[a-z0-9_]{1,24}$")
FILE_NAMES = {"hy_djxx": "mzj_hy_djxx.csv", "cs_yxzm": "wjw_cs_yxzm.xlsx", "db_dx": "mzj_db_dx.json"}


def _check(scale: str, sources: Sequence[str], namespace: str | None) -> None:
    if scale not in SCALES:
        raise InvalidInput("demo.unknown_scale", scale=scale, known=", ".join(SCALES))
    for source in sources:
        if source not in SOURCE_KINDS:
            raise InvalidInput("demo.unknown_source", source=source, known=", ".join(SOURCE_KINDS))
    if namespace is not None and not _NAMESPACE.match(namespace):
        raise InvalidInput("demo.bad_namespace", namespace=namespace)


def _targets(
    out_dir: Path, sources: Sequence[str], namespace: str | None, pg_url: str, my_url: str
) -> list[Target]:
    targets: list[Target] = [SqliteTarget(out_dir / "sources")]
    try:
        if "postgres" in sources:
            targets.append(PostgresTarget(pg_url, namespace))
        if "mariadb" in sources:
            targets.append(MariadbTarget(my_url, namespace))
    except Exception:
        for target in targets:
            target.close(commit=False)
        raise
    return targets


def _manifest_target(dept: str, targets: list[Target]) -> Target:
    servers = {t.kind: t for t in targets if t.kind != "sqlite"}
    if not servers:
        return targets[0]
    return servers.get(PREFERRED_SERVER.get(dept, ""), next(iter(servers.values())))


def generate(
    out_dir: Path,
    scale: str = "small",
    seed: int = 20261123,
    sources: Sequence[str] = ("sqlite",),
    progress: ProgressFactory | None = None,
    namespace: str | None = None,
    pg_url: str = PG_URL,
    mariadb_url: str = MARIADB_URL,
) -> DemoManifest:
    """Generate 示例市 into ``out_dir`` (``sources/``, ``files/``, ``manifest.json``).

    ``sources`` picks the database backends besides the always-written SQLite files; ``namespace``
    suffixes the PostgreSQL schemas / MariaDB databases (``demo_<namespace>_<dept>``) so parallel
    runs do not collide. ``progress(label, total)`` returns an ``advance(n)`` callback.
    """
    _check(scale, sources, namespace)
    out_dir = Path(out_dir).resolve()
    (out_dir / "sources").mkdir(parents=True, exist_ok=True)
    (out_dir / "files").mkdir(parents=True, exist_ok=True)
    start = progress or silent
    people_total = SCALES[scale]
    log = DefectLog()
    counts = {spec.table: 0 for spec in SQL_TABLES + FILE_TABLES}
    gathered: dict[str, dict[str, list[Any]]] = {
        s.table: {c.name: [] for c in s.columns} for s in FILE_TABLES
    }
    hidden: list[str] = []
    targets = _targets(out_dir, sources, namespace, pg_url, mariadb_url)
    ok = False

    def emit(spec: TableSpec, columns: dict[str, list[Any]]) -> None:
        for target in targets:
            target.insert(spec, columns)
        counts[spec.table] += len(columns[spec.key])

    try:
        for spec in SQL_TABLES:
            for target in targets:
                target.create(spec)
        advance = start(text("demo.progress.people"), people_total)
        used: set[int] = set()
        for chunk, first in enumerate(range(0, people_total, CHUNK)):
            n = min(CHUNK, people_total - first)

            def rng(table: str, chunk: int = chunk) -> random.Random:
                return random.Random(f"{seed}/{table}/{chunk}")

            people = make_people(rng("people"), counts["hj_rk"], n, used, log)
            emit(HJ_RK, people.registry)
            emit(SB_CBRY, agencies.insured(rng("sb_cbry"), people, counts["sb_cbry"], log))
            emit(QY_JBXX, agencies.enterprises(rng("qy_jbxx"), people, counts["qy_jbxx"], used, log))
            marriages, pii = records.marriages(rng("hy_djxx"), people, counts["hy_djxx"], log)
            hidden.extend(pii)
            made = {
                "hy_djxx": marriages,
                "cs_yxzm": records.births(rng("cs_yxzm"), people, counts["cs_yxzm"], log),
                "db_dx": records.allowances(rng("db_dx"), people, counts["db_dx"], log),
            }
            for table, columns in made.items():
                for name, values in columns.items():
                    gathered[table][name].extend(values)
                counts[table] += len(columns[next(iter(columns))])
            advance(n)
        for spec, batches, total in (
            (JT_LLSJ, readings.traffic, readings.traffic_rows(people_total)),
            (KQ_JCSJ, readings.air, readings.air_rows(people_total)),
        ):
            advance = start(text(f"demo.progress.{spec.table}"), total)
            for batch in batches(random.Random(f"{seed}/{spec.table}"), people_total, log):
                emit(spec, batch)
                advance(len(batch["jlid"]))
        ok = True
    finally:
        for target in targets:
            target.close(commit=ok)
    truth = _write_files(out_dir, gathered, hidden)
    truth.row_counts = counts
    manifest = DemoManifest(
        seed=seed,
        scale=scale,
        people=people_total,
        namespace=namespace,
        rates=dict(RATES),
        departments=departments(),
        sources=_sources(out_dir, targets),
        defects=log.defects(),
        truth=truth,
    )
    manifest.save(out_dir / "manifest.json")
    return manifest


def _write_files(out_dir: Path, gathered: dict[str, dict[str, list[Any]]], hidden: list[str]) -> Truth:
    folder = out_dir / "files"
    files.write_csv(folder / FILE_NAMES["hy_djxx"], HY_DJXX, gathered["hy_djxx"], encoding="gbk")
    header, data = files.write_births_xlsx(
        folder / FILE_NAMES["cs_yxzm"], CS_YXZM, gathered["cs_yxzm"], DEPARTMENT_NAMES["wjw"], TODAY
    )
    files.write_json(folder / FILE_NAMES["db_dx"], DB_DX, gathered["db_dx"])
    marriages = len(gathered["hy_djxx"]["登记编号"])
    return Truth(
        encodings={"hy_djxx": "gbk", "db_dx": "utf-8"},
        header_rows={"hy_djxx": [1], "cs_yxzm": header},
        data_rows={"hy_djxx": [2, marriages + 1], "cs_yxzm": data},
        hidden_pii={"hy_djxx": {"备注": hidden}},
        canonical_formats={
            "hj_rk": {"csrq": "iso", "xb": "code"},
            "hy_djxx": {"登记日期": "iso"},
            "cs_yxzm": {"新生儿/出生日期": "excel_date", "新生儿/性别": "zh"},
            "db_dx": {"csrq": "compact", "xb": "code"},
        },
    )


def _sources(out_dir: Path, targets: list[Target]) -> list[Source]:
    result = []
    seqs: dict[str, int] = {}
    for spec in SQL_TABLES + FILE_TABLES:
        seqs[spec.dept] = seqs.get(spec.dept, 0) + 1
        path = str(out_dir / "files" / FILE_NAMES.get(spec.table, ""))
        if spec.connector == "sql":
            config = _manifest_target(spec.dept, targets).config(spec)
        elif spec.connector == "excel":
            config = {"path": path, "sheet": "出生登记"}
        else:
            config = {"path": path}
        result.append(
            Source(
                dept=spec.dept,
                name=spec.name,
                connector=spec.connector,
                config=config,
                lake_table=spec.table,
                key=spec.key,
                resource=resource(spec, seqs[spec.dept]),
            )
        )
    return result
