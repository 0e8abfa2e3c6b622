"""Seeded test data: people with valid ID numbers, and a published resource over them in the lake."""

from __future__ import annotations

import random

import pyarrow as pa

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.govern.standards import id_check_char
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰涛明超"


def people(n: int, seed: int = 7) -> pa.Table:
    rnd = random.Random(seed)
    ids, names, phones, addrs = [], [], [], []
    for i in range(n):
        body = (
            f"330106{rnd.randint(1950, 2005)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}{i % 1000:03d}"
        )
        ids.append(body + id_check_char(body))
        names.append(rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2))))
        phones.append(f"13{rnd.randint(0, 9)}{rnd.randint(0, 99999999):08d}")
        addrs.append(f"浙江省示例市西湖区文三路{rnd.randint(1, 500)}号")
    return pa.table(
        {
            "rkid": pa.array([f"R{i:06d}" for i in range(n)]),
            "xm": names,
            "sfzh": ids,
            "lxdh": phones,
            "hjdz": addrs,
        }
    )


PEOPLE_ITEMS = [
    ItemIn(column="rkid", name="人口编号", data_type="字符", length=7),
    ItemIn(column="xm", name="姓名", data_type="字符", length=50, masking="name", sensitive=True),
    ItemIn(
        column="sfzh", name="公民身份号码", data_type="字符", length=18, masking="id_number", sensitive=True
    ),
    ItemIn(column="lxdh", name="联系电话", data_type="字符", length=11, masking="mobile", sensitive=True),
    ItemIn(column="hjdz", name="户籍地址", data_type="字符", length=200, masking="address", sensitive=True),
]


def publish_people(
    platform: Platform,
    code: str = "330100/1010/gaj-0001",
    share_type: str = "有条件共享",
    open_type: str = "不予开放",
    rows: int = 50,
    dept: str = "gaj",
) -> pa.Table:
    """Write a people table to raw/<dept>/hj_rk and publish a catalog resource over it."""
    table = people(rows)
    platform.lake.write(TableRef("raw", dept, "hj_rk"), table)
    system = Actor.system("test")
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=code,
                name="户籍人口基本信息",
                department=dept,
                summary="示例市户籍人口的基本信息",
                category="基础",
                format="数据库",
                share_type=share_type,
                share_condition="仅限履行法定职责使用" if share_type == "有条件共享" else None,
                share_basis="《中华人民共和国户口登记条例》" if share_type == "不予共享" else None,
                open_type=open_type,
                update_cycle="每日",
                lake_table=f"raw.{dept}.hj_rk",
                key_column="sfzh",
                items=PEOPLE_ITEMS,
            ),
        )
        publish_resource(s, platform.audit, system, code)
    return table
