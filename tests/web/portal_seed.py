"""Seed data for the portal tests: an organisation, a published catalog and lake tables.

Used in-process by tests/web and, on its own home, by the browser test's server.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from govdata.catalog import ItemIn, ResourceIn, create_resource, publish_resource
from govdata.lake import TableRef
from govdata.runtime import Platform
from govdata.security.actor import Actor

POPULATION = "1/01/001/000001"
SUBSIDY = "2/02/003/000002"
SECRET_FILE = "3/01/002/000003"
DRAFT = "3/01/002/000004"
POPULATION_ROWS = 12_345
SUBSIDY_ROWS = 2_000


@dataclass
class PortalData:
    """What ``portal_data`` seeded: resource codes and lake record counts."""

    population: str = POPULATION
    subsidy: str = SUBSIDY
    secret_file: str = SECRET_FILE
    draft: str = DRAFT
    records: int = POPULATION_ROWS + SUBSIDY_ROWS


def _numbered(prefix: str, n: int) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(range(n), pa.int64()), pa.string()), "")


def seed_portal(platform: Platform) -> PortalData:
    """Three published resources (conditional / unconditional+open / not shared), a draft, two lake tables."""
    system = Actor.system("test")
    platform.lake.write(
        TableRef("raw", "gaj", "population"),
        pa.table(
            {
                "xm": _numbered("居民", POPULATION_ROWS),
                "sfzh": _numbered("1101051949", POPULATION_ROWS),
                "xb": pa.array(["1", "2"] * (POPULATION_ROWS // 2) + ["1"]),
            }
        ),
    )
    platform.lake.write(
        TableRef("raw", "mzj", "subsidy"),
        pa.table({"hzxm": _numbered("户主", SUBSIDY_ROWS), "je": pa.array(range(SUBSIDY_ROWS), pa.int64())}),
    )
    resources = [
        ResourceIn(
            code=POPULATION,
            name="人口基本信息",
            department="gaj",
            summary="全市户籍人口的基本信息",
            category="基础",
            format="数据库",
            share_type="有条件共享",
            share_condition="仅用于政务服务身份核验",
            open_type="不予开放",
            update_cycle="每日",
            lake_table="raw.gaj.population",
            key_column="sfzh",
            items=[
                ItemIn(column="xm", name="姓名", length=50, masking="name", sensitive=True),
                ItemIn(column="sfzh", name="公民身份号码", length=18, masking="id_number", sensitive=True),
                ItemIn(column="xb", name="性别", length=1),
            ],
        ),
        ResourceIn(
            code=SUBSIDY,
            name="低保救助对象名单",
            department="mzj",
            summary="最低生活保障救助对象与金额",
            category="主题",
            format="电子表格",
            share_type="无条件共享",
            open_type="无条件开放",
            update_cycle="每月",
            lake_table="raw.mzj.subsidy",
            key_column="hzxm",
            items=[
                ItemIn(column="hzxm", name="户主姓名", length=50, masking="name"),
                ItemIn(column="je", name="救助金额", data_type="数值"),
            ],
        ),
        ResourceIn(
            code=SECRET_FILE,
            name="案件侦查卷宗目录",
            department="gaj",
            summary="不予共享的案件材料目录",
            category="部门",
            format="电子文件",
            share_type="不予共享",
            share_basis="《中华人民共和国保守国家秘密法》",
            open_type="不予开放",
            update_cycle="其他",
            items=[ItemIn(column="ajbh", name="案件编号")],
        ),
    ]
    draft = ResourceIn(
        code=DRAFT,
        name="草稿资源不应出现",
        department="gaj",
        summary="未发布",
        category="部门",
        format="数据库",
        share_type="无条件共享",
        open_type="无条件开放",
        update_cycle="每年",
        items=[ItemIn(column="a", name="甲")],
    )
    with platform.unit() as s:
        for res in resources:
            create_resource(s, platform.audit, system, res)
            publish_resource(s, platform.audit, system, res.code)
        create_resource(s, platform.audit, system, draft)
    return PortalData()


ORG_PASSWORD = "Demo#Passw0rd"
ORG_DEPARTMENTS = [("gaj", "示例市公安局", "11330100MB0000001"), ("mzj", "示例市民政局", "11330100MB0000002")]
ORG_USERS = [
    ("mzj_user", "民政局数据使用人员", "data_user", "mzj"),
    ("gaj_officer", "公安局数据专员", "data_officer", "gaj"),
    ("auditor", "审计员", "auditor", None),
]


def seed_org(platform: Platform) -> None:
    """Two departments and three accounts on a fresh platform (for a server outside the ``org`` fixture)."""
    from govdata.govern.standards import uscc_check_char
    from govdata.security.org import create_department, create_user, ensure_region

    system = Actor.system("test")
    with platform.unit() as s:
        ensure_region(s, "330000", "浙江省", "province", None)
        ensure_region(s, "330100", "示例市", "city", "330000")
        for code, name, prefix in ORG_DEPARTMENTS:
            create_department(
                s,
                platform.audit,
                system,
                code=code,
                name=name,
                uscc=prefix + uscc_check_char(prefix),
                region_code="330100",
            )
        for username, display, role, dept in ORG_USERS:
            create_user(
                s,
                platform.audit,
                system,
                username=username,
                display_name=display,
                password=ORG_PASSWORD,
                role=role,
                department_code=dept,
            )
        # the data bureau (数据资源管理局), which reviews and publishes catalog entries
        bureau_uscc = "11330100MB0000003"
        create_department(
            s,
            platform.audit,
            system,
            code="sjj",
            name="示例市数据资源管理局",
            uscc=bureau_uscc + uscc_check_char(bureau_uscc),
            region_code="330100",
            is_bureau=True,
        )
        create_user(
            s,
            platform.audit,
            system,
            username="sjj_admin",
            display_name="数据局管理员",
            password=ORG_PASSWORD,
            role="dept_admin",
            department_code="sjj",
        )
