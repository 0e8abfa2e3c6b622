"""Catalog search at the issue's scale: 150,000 resources and 1.5M items, on SQLite and PostgreSQL.

``python -m benchmarks.catalog_search [--backend sqlite|postgresql|both] [--resources N] [--runs N] [--workdir DIR]``

Generates a synthetic catalog (bulk insert: ``executemany`` on SQLite, ``COPY`` on PostgreSQL), builds
the search index, then times ``govdata.catalog.search.search`` per query: one page of 50 with its total
("search"), the six facet counts alone ("facets") and both, as ``GET /api/v1/catalog/resources``
asks ("both"), ``--runs`` times each, after one untimed first search (reported: it reads the
index's facts into memory). Prints one table per
backend; the numbers go to docs/benchmarks.md, "Catalog search". With ``--workdir`` the generated
catalog is kept (SQLite: ``DIR/catalog.db``; PostgreSQL: the database ``govdata_bench_catalog``) and
reused by the next run with the same ``--resources``, its search index rebuilt only when its
version is not the code's (or with ``--reindex``); ``benchmarks.catalog_excel`` builds its export
catalog in the same PostgreSQL database and drops it first. It also counts the full garbage
collections that land in the timed searches; ``--gc-freeze`` calls ``gc.freeze()`` first (as a
server could once started), which takes the objects alive then out of those collections.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from govdata.catalog.search import SearchFilters, search
from govdata.catalog.search_index import INDEX_VERSION, index_version, rebuild_index
from govdata.db.base import make_engine, make_sessionmaker, migrate
from govdata.security.actor import Actor

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PG_DB = "govdata_bench_catalog"

SUBJECTS = (
    "婚姻登记 户籍人口 居民身份证 空气质量 社会保险 企业登记 不动产登记 不动产抵押 医疗机构 学校学籍 交通违法 "
    "公积金缴存 低保救助 殡葬服务 出生医学证明 死亡登记 残疾人 退役军人 养老服务 就业登记 失业保险 工伤认定 "
    "食品经营许可 药品零售 特种设备 安全生产 建设工程 房屋交易 水质监测 噪声监测 污染源 排污许可 林地资源 "
    "耕地保护 公交线路 出租车营运 道路运输 港口货运 旅游景区 文物保护 体育场馆 图书借阅 科技项目 专利授权 "
    "商标注册 税务登记 发票开具 财政预算 政府采购 招标投标 信用评价 行政处罚 行政许可 法人单位 社会组织 "
    "志愿服务 社区网格 城市部件 路灯设施 燃气管网 供水管网 电力用户 气象观测 地震监测 应急物资 避难场所 "
    "消防检查 危化品 校车 疫苗接种 传染病报告 医保结算 药品追溯 价格监测 市场主体 个体工商户 农民合作社"
).split()
KINDS = "基本信息 变更信息 统计数据 监测数据 名录 台账 明细 汇总 档案 目录".split()
ITEMS = (
    "姓名 公民身份号码 性别 出生日期 民族 婚姻状况 联系电话 户籍地址 居住地址 登记日期 登记机关 证件号码 "
    "统一社会信用代码 单位名称 法定代表人 注册资本 经营范围 成立日期 核准日期 所属行业 监测站点 监测时间 "
    "监测值 计量单位 经度 纬度 行政区划代码 街道 社区 金额 数量 状态 备注 更新时间 审批结果 有效期限 "
    "许可证编号 车牌号码 驾驶证号 病种 就诊日期 医疗机构名称 学校名称 年级 班级 缴存基数 缴存比例"
).split()
CYCLES = ("realtime", "daily", "weekly", "monthly", "quarterly", "semiannual", "yearly", "other")
FORMATS = ("数据库", "电子表格", "电子文件", "图形图像", "流媒体")
QUERIES: list[tuple[str, str, dict[str, str]]] = [
    ("2 chars", "婚姻", {}),
    ("2 chars", "户籍", {}),
    ("3 chars", "身份证", {}),
    ("4 chars", "空气质量", {}),
    ("1 char", "婚", {}),
    ("broad 2 chars", "信息", {}),
    ("2 words", "不动产 抵押", {}),
    ("item only", "驾驶证号", {}),
    ("pinyin initials", "hydj", {}),
    ("+ department", "婚姻", {"department": "d007"}),
    ("no text, filter", "", {"share_type": "unconditional"}),
    ("no text", "", {}),
]


def _catalog(
    n: int, depts: int, items_per: int, seed: int = 4
) -> Iterator[tuple[tuple[object, ...], list[str]]]:
    """(resource row, item names) for ``n`` resources; about ``items_per`` items each."""
    rnd = random.Random(seed)
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for i in range(1, n + 1):
        subject, kind = rnd.choice(SUBJECTS), rnd.choice(KINDS)
        dept = 1 + i % depts
        share = rnd.choice(("unconditional", "conditional", "conditional", "none"))
        row = (
            i, f"330100/{dept:03d}/{i:06d}", f"{subject}{kind}", dept,
            f"示例市第{dept}部门{subject}的{kind}，含{rnd.choice(ITEMS)}等信息项，{rnd.choice(SUBJECTS)}业务使用",
            rnd.choice(("base", "topic", "department")), rnd.choice(FORMATS), share,
            "仅限履行法定职责" if share == "conditional" else None, "依据法规" if share == "none" else None,
            rnd.choice(("open", "conditional", "closed", "closed")), rnd.choice(CYCLES), "published", now, now, now, "[]", 1,
        )  # fmt: skip
        yield row, rnd.sample(ITEMS, k=max(1, items_per + rnd.randint(-3, 3)))


RES_COLS = (
    "id, code, name, department_id, summary, category, format, share_type, share_condition, share_basis, "
    "open_type, update_cycle, status, published_at, created_at, updated_at, tags, version"
)
ITEM_COLS = 'id, resource_id, position, "column", name, data_type, length, sensitive, required'


def _seed_departments(engine: sa.Engine, depts: int) -> None:
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO regions (code, name, level) VALUES ('330100', '示例市', 'city')"))
        conn.execute(
            sa.text(
                "INSERT INTO departments (id, code, name, uscc, region_code, is_bureau, created_at) "
                "VALUES (:id, :code, :name, :uscc, '330100', false, :now)"
            ),
            [
                {"id": d, "code": f"d{d:03d}", "name": f"示例市第{d}部门", "uscc": f"U{d:017d}", "now": now}
                for d in range(1, depts + 1)
            ],
        )


def _load(engine: sa.Engine, n: int, depts: int, items_per: int) -> int:
    """Bulk-insert the catalog; returns the number of items."""
    _seed_departments(engine, depts)
    item_id = 0
    res_rows: list[tuple[object, ...]] = []
    item_rows: list[tuple[object, ...]] = []
    for row, names in _catalog(n, depts, items_per):
        res_rows.append(row)
        for pos, name in enumerate(names):
            item_id += 1
            item_rows.append((item_id, row[0], pos, f"c{pos}", name, "字符", 50, False, False))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "postgresql":
            for table, cols, rows in (
                ("catalog_resources", RES_COLS, res_rows),
                ("catalog_items", ITEM_COLS, item_rows),
            ):
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                    for r in rows:
                        copy.write_row(r)
        else:
            fmt = "%Y-%m-%d %H:%M:%S.%f"
            res_rows = [(*r[:13], *(v.strftime(fmt) for v in r[13:16]), *r[16:]) for r in res_rows]  # type: ignore[attr-defined]
            cur.executemany(
                f"INSERT INTO catalog_resources ({RES_COLS}) VALUES ({', '.join('?' * 18)})",  # noqa: S608 - constants
                res_rows,
            )
            cur.executemany(
                f"INSERT INTO catalog_items ({ITEM_COLS}) VALUES ({', '.join('?' * 9)})",  # noqa: S608 - constants
                item_rows,
            )
        raw.commit()
    finally:
        raw.close()
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    return item_id


def _engine(backend: str, workdir: Path, keep: bool = False) -> sa.Engine:
    """An empty database for the catalog, or with ``keep`` the one a previous run left (if any)."""
    if backend == "sqlite":
        path = workdir / "catalog.db"
        if not keep:
            path.unlink(missing_ok=True)
        return make_engine(f"sqlite:///{path}")
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DB}).scalar()
        if not keep or not found:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DB}"'))
    admin.dispose()
    return make_engine(sa.make_url(PG_ADMIN).set(database=PG_DB).render_as_string(hide_password=False))


def _kept(engine: sa.Engine, n: int) -> int | None:
    """The number of items of a catalog of ``n`` resources a previous run left, else ``None``."""
    with engine.connect() as conn:
        try:
            count = conn.execute(sa.text("SELECT count(*) FROM catalog_resources")).scalar()
        except sa.exc.DBAPIError:
            return None
        if count != n:
            return None
        return int(conn.execute(sa.text("SELECT count(*) FROM catalog_items")).scalar() or 0)


def _time(fn: object, runs: int) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


class _FullCollections:
    """Counts the interpreter's full (generation 2) garbage collections and their pauses: one landing
    in a timed search is what puts most p95s ~50-100 ms above their p50."""

    def __init__(self) -> None:
        self.count, self.ms, self._start = 0, 0.0, 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.count += 1
            self.ms += (time.perf_counter() - self._start) * 1000

    def close(self) -> str:
        gc.callbacks.remove(self._seen)
        average = self.ms / self.count if self.count else 0.0
        return f"full garbage collections during the timed searches: {self.count}, {average:.0f} ms each"


def run(
    backend: str, n: int, items_per: int, runs: int, workdir: Path | None, reindex: bool, freeze: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = _engine(backend, workdir or Path(tmp), keep=workdir is not None)
        kept = _kept(engine, n) if workdir else None
        if kept is None and workdir:  # another size or a half-built catalog: start again
            engine.dispose()
            engine = _engine(backend, workdir, keep=False)
        migrate(engine)
        start = time.perf_counter()
        items = kept if kept is not None else _load(engine, n, depts=40, items_per=items_per)
        loaded = time.perf_counter() - start
        sessions = make_sessionmaker(engine)
        start = time.perf_counter()
        with sessions() as s:
            if kept is None or reindex or index_version(s) != INDEX_VERSION:
                rebuild_index(s)
                s.commit()
        indexed = time.perf_counter() - start
        print(
            f"\n{backend}: {n:,} resources, {items:,} items; load {loaded:.1f} s, index build {indexed:.1f} s"
            + (" (catalog kept from an earlier run)" if kept is not None else "")
        )
        print(
            f"| {backend} | query | kind | hits | search p50 ms | search p95 ms | facets p50 ms | facets p95 ms "
            "| both p50 ms | both p95 ms |"
        )
        print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        reader = Actor(username="bench", role="data_user", department_id=None)
        all_search, all_facets, all_both = [], [], []
        with sessions() as s:
            start = time.perf_counter()
            search(s, reader, "婚姻")  # the first search after a change reads the index's facts into memory
            print(
                f"first search after the build (reads the facts): {(time.perf_counter() - start) * 1000:.0f} ms"
            )

        if freeze:  # what a server could do once started: the objects alive now leave full collections
            gc.collect()
            gc.freeze()
        collections = _FullCollections()

        # every timed search opens a session of its own, as each API request does: a page's
        # resources are loaded anew, not found in the identity map of an earlier run
        def fresh(**kw: object) -> object:
            with sessions() as s:
                return search(s, reader, **kw)  # type: ignore[arg-type]

        for kind, q, flt in QUERIES:
            filters = SearchFilters(**flt)
            s50, s95, page = _time(lambda: fresh(q=q, filters=filters, with_facets=False), runs)  # noqa: B023
            f50, f95, _ = _time(lambda: fresh(q=q, filters=filters, with_items=False), runs)  # noqa: B023
            b50, b95, _ = _time(lambda: fresh(q=q, filters=filters), runs)  # noqa: B023
            all_search.append(s95)
            all_facets.append(f95)
            all_both.append(b95)
            print(
                f"| {backend} | `{q or '—'}` {flt or ''} | {kind} | {page.total:,} | {s50:.0f} | {s95:.0f} "  # type: ignore[attr-defined]
                f"| {f50:.0f} | {f95:.0f} | {b50:.0f} | {b95:.0f} |"
            )
        print(
            f"worst p95: search {max(all_search):.0f} ms, facets {max(all_facets):.0f} ms, "
            f"both {max(all_both):.0f} ms"
        )
        print(collections.close())
        if freeze:
            gc.unfreeze()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--resources", type=int, default=150_000)
    parser.add_argument("--items-per", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--workdir", type=Path, help="keep the generated catalog here and reuse it")
    parser.add_argument("--reindex", action="store_true", help="rebuild the search index of a kept catalog")
    parser.add_argument(
        "--gc-freeze", action="store_true", help="gc.freeze() the objects alive before the timed searches"
    )
    args = parser.parse_args()
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.resources, args.items_per, args.runs, args.workdir, args.reindex, args.gc_freeze)


if __name__ == "__main__":
    main()
