"""A catalogued people table with planted defects, for the quality-issue and score tests."""

from __future__ import annotations

import pyarrow as pa
from tests.factories import PEOPLE_ITEMS, people

from govdata.catalog import ResourceIn, create_resource, publish_resource
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor

CODE = "330100/1010/gaj-q001"
REF = TableRef("raw", "gaj", "hj_rk_q")


def people_with_defects(rows: int, bad_ids: int, blank_names: int = 0) -> pa.Table:
    """``rows`` people, the first ``bad_ids`` with a wrong ID check character, the last
    ``blank_names`` without a name; ``_source_row`` numbers them from 1."""
    table = people(rows)
    ids = table.column("sfzh").to_pylist()
    for i in range(bad_ids):  # flip the check character: never valid
        ids[i] = ids[i][:17] + ("0" if ids[i][17] != "0" else "1")
    names = table.column("xm").to_pylist()
    for i in range(rows - blank_names, rows):
        names[i] = None
    return pa.table(
        {
            "_source_row": pa.array(range(1, rows + 1), pa.int64()),
            "rkid": table.column("rkid"),
            "xm": pa.array(names, pa.string()),
            "sfzh": pa.array(ids, pa.string()),
            "lxdh": table.column("lxdh"),
        }
    )


def publish(platform: Platform, table: pa.Table, lake_table: str = REF.key) -> None:
    """Write ``table`` as version 0 of ``raw.gaj.hj_rk_q`` and publish the resource over it."""
    if lake_table == REF.key:
        platform.lake.write(REF, table)
    system = Actor.system("test")
    items = [i.model_copy(update={"required": i.column == "xm"}) for i in PEOPLE_ITEMS if i.column != "hjdz"]
    with platform.unit() as s:
        create_resource(
            s,
            platform.audit,
            system,
            ResourceIn(
                code=CODE,
                name="户籍人口（质量）",
                department="gaj",
                summary="质量问题测试用的户籍人口",
                category="基础",
                format="数据库",
                share_type="有条件共享",
                share_condition="仅限履行法定职责使用",
                open_type="不予开放",
                update_cycle="每日",
                lake_table=lake_table,
                key_column="sfzh",
                items=items,
            ),
        )
        publish_resource(s, platform.audit, system, CODE)


def publish_with_mobile(platform: Platform) -> None:
    """gaj's people table (4 bad IDs, 3 blank names), its phone column bound to the mobile element."""
    import sqlalchemy as sa

    from govdata.catalog.models import Item
    from govdata.govern import seed_library

    publish(platform, people_with_defects(50, bad_ids=4, blank_names=3))
    with platform.unit() as s:
        seed_library(s, platform.audit)
        s.execute(sa.update(Item).where(Item.column == "lxdh").values(element="mobile"))
