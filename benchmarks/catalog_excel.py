"""Catalog Excel round trip at the issue's scale: import 10,000 resources, export 150,000 (1.5M items).

``python -m benchmarks.catalog_excel [--backend sqlite|postgresql|both] [--import-rows N] [--export-rows N]``

Import: a workbook of ``--import-rows`` resources with 10 items each (every entry field filled) is
imported into an empty catalog by ``import_workbook`` (checks, bulk filing, search index, audit);
the baseline is openpyxl's read-only reader merely reading the same two sheets. Export: the synthetic
catalog of ``benchmarks.catalog_search`` (``--export-rows`` resources, about 10 items each) is
exported whole by ``export_workbook``; the baseline is openpyxl's write-only writer writing the same
rows, already in memory. Prints one table per backend; the numbers go to docs/benchmarks.md,
"Catalog Excel".
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl

from benchmarks.catalog_search import _engine, _load
from govdata.catalog.excel import RESOURCE_COLUMNS, export_workbook, import_workbook
from govdata.catalog.excel import _workbook as write_rows
from govdata.db.base import make_sessionmaker, migrate
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

SYSTEM = Actor.system("bench")
ITEM_NAMES = "姓名 公民身份号码 性别 出生日期 民族 婚姻状况 联系电话 户籍地址 登记日期 登记机关".split()


def _import_file(n: int, depts: int) -> bytes:
    resources, items, previous = [], [], None
    for i in range(1, n + 1):
        dept = f"d{1 + i % depts:03d}"
        code = f"330100/101001/{dept}-{i:06d}"
        row: dict[str, Any] = {
            "code": code, "name": f"示例资源{i}", "department": dept, "summary": f"第{i}个示例资源的摘要",
            "category": "基础", "format": "数据库", "share_type": "有条件共享", "share_condition": "仅限履行法定职责",
            "open_type": "不予开放", "update_cycle": "每日", "lake_table": f"raw.{dept}.t{i}", "key_column": "c0",
            "classification": "1/01/001", "sharing_method": "库表", "source_system": f"{dept}业务系统",
            "matters": f"FW-{i % 500:04d}:服务事项{i % 500}", "powers": f"QL-{i % 300:04d}:权力事项{i % 300}",
            "tags": "人口；登记", "related": previous if i % 10 == 0 else None,
        }  # fmt: skip
        resources.append([row.get(c.key) for c in RESOURCE_COLUMNS])
        previous = code
        for pos, name in enumerate(ITEM_NAMES):
            items.append([code, pos + 1, name, f"c{pos}", "字符", 50, None, "否", "否", None])
    return write_rows(resources, items)


def _baseline_read(data: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = sum(1 for sheet in ("资源", "信息项") for _ in book[sheet].iter_rows(min_row=3, values_only=True))
    book.close()
    return n


def _baseline_write(resources: list[list[Any]], items: list[list[Any]]) -> int:
    book = openpyxl.Workbook(write_only=True)
    for rows in (resources, items):
        ws = book.create_sheet()
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return len(out.getvalue())


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(backend: str, import_rows: int, export_rows: int, baseline: bool) -> None:
    print(f"\n| {backend} | rows | govdata s | baseline s | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        engine = _engine(backend, Path(tmp))
        migrate(engine)
        _load(engine, 0, depts=40, items_per=10)  # the 40 departments only
        sessions = make_sessionmaker(engine)
        audit = AuditLog("bench-secret-" + "x" * 32)
        data = _import_file(import_rows, 40)
        took, report = _timed(lambda: _import(sessions, audit, data))
        base = _timed(lambda: _baseline_read(data))[0] if baseline else float("nan")
        print(
            f"| import | {report.resources:,} resources, {report.items:,} items ({len(data) / 1e6:.1f} MB) "
            f"| {took:.1f} | {base:.1f} | {took / base:.2f} |"
        )
        engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        engine = _engine(backend, Path(tmp))
        migrate(engine)
        items = _load(engine, export_rows, depts=40, items_per=10)
        sessions = make_sessionmaker(engine)
        with sessions() as s:
            took, book = _timed(lambda: export_workbook(s, SYSTEM))
        base = float("nan")
        if baseline:
            parsed = openpyxl.load_workbook(io.BytesIO(book), read_only=True)
            rows = [
                [list(r) for r in parsed[sheet].iter_rows(min_row=3, values_only=True)]
                for sheet in ("资源", "信息项")
            ]
            parsed.close()
            base = _timed(lambda: _baseline_write(rows[0], rows[1]))[0]
        print(
            f"| export | {export_rows:,} resources, {items:,} items ({len(book) / 1e6:.1f} MB) "
            f"| {took:.1f} | {base:.1f} | {took / base:.2f} |"
        )
        engine.dispose()


def _import(sessions: Any, audit: AuditLog, data: bytes) -> Any:
    with sessions() as s:
        report = import_workbook(s, audit, SYSTEM, data, "bench.xlsx")
        s.commit()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--export-rows", type=int, default=150_000)
    parser.add_argument("--no-baseline", action="store_true", help="skip the openpyxl baselines (slow)")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.import_rows, args.export_rows, not args.no_baseline)


if __name__ == "__main__":
    main()
