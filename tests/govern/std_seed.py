"""A catalogued raw people table as departments deliver it: 15- and 18-digit IDs (lower-case x,
full-width digits), gender as 男/M/1/女, dates in mixed formats, phones with +86 and dashes, one
person twice (as the old and the new ID). For the standardization tests."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from tests.factories import PEOPLE_ITEMS

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.govern import seed_library
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor

CODE = "330100/1010/gaj-std1"
REF = TableRef("raw", "gaj", "hj_rk_std")

ROWS = [  # sfzh, xm, xb, csrq, sjhm
    ("11010519491231002x", "张 三", "女", "1949年12月31日", "+86 138-1234-5678"),
    ("110105491231002", "张三", "2", "1949/12/31", "13812345678"),  # the same person, old ID, loaded later
    ("１３０５０３６７０４０１００１", "李四", "男", "19670401", "139 0000 0000"),
    ("440524188001010014", "王五", "M", "1880-1-1 08:00:00", "010-12345678"),
    ("440304200002290030", "赵六", "1", "2000.02.29", None),
    ("abc", "  ", "未知值", "1999-02-29", "12"),
]


def raw_people() -> pa.Table:
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    return pa.table(
        {
            "rkid": [f"R{i:03d}" for i in range(len(ROWS))],
            "sfzh": [r[0] for r in ROWS],
            "xm": [r[1] for r in ROWS],
            "xb": [r[2] for r in ROWS],
            "csrq": [r[3] for r in ROWS],
            "sjhm": pa.array([r[4] for r in ROWS], pa.string()),
            "_source_row": pa.array(range(1, len(ROWS) + 1), pa.int64()),
            "_ingested_at": pa.array([at] * len(ROWS), pa.timestamp("us", tz="UTC")),
        }
    )


def publish(platform: Platform) -> None:
    """Seed the standards library, write version 0 of the raw table and publish a resource over it."""
    platform.lake.write(REF, raw_people())
    system = Actor.system("test")
    items = [i for i in PEOPLE_ITEMS if i.column in ("rkid", "xm", "sfzh")]
    items += [
        ItemIn(column="xb", name="性别", data_type="字符", length=1, element="gender"),
        ItemIn(column="csrq", name="出生日期", data_type="字符", length=20),
        ItemIn(column="sjhm", name="手机号码", data_type="字符", length=20, masking="mobile", sensitive=True),
    ]
    with platform.unit() as s:
        seed_library(s, platform.audit)
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=CODE,
                name="户籍人口（规范化）",
                department="gaj",
                summary="规范化测试用的户籍人口",
                category="基础",
                format="数据库",
                share_type="有条件共享",
                share_condition="仅限履行法定职责使用",
                open_type="不予开放",
                update_cycle="每日",
                lake_table=REF.key,
                key_column="sfzh",
                items=items,
            ),
        )
        publish_resource(s, platform.audit, system, CODE)
