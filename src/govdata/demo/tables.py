"""The demo's source tables: their columns (as the departments name them) and catalog metadata.

One ``TableSpec`` per (department, table) drives the SQL DDL, the file layouts and the catalog
resource written into the manifest. Column names are the departments' own (pinyin abbreviations in
their databases, Chinese headers in their files): they are data, not code. Raises nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govdata.demo.vocab import CITY_CODE


@dataclass(frozen=True)
class Col:
    name: str
    label: str  # Chinese item name for the catalog
    dtype: str = "str"  # str | int | num | date | datetime
    length: int | None = None
    scale: int = 0
    masking: str | None = None  # id_number | name | phone | address | bank_card | email
    sensitive: bool = False
    required: bool = True
    as_text: bool = False  # stored as VARCHAR although the item is a date (legacy systems do)


@dataclass(frozen=True)
class TableSpec:
    dept: str
    table: str  # source table / lake table name
    connector: str  # sql | csv | excel | json
    key: str
    columns: tuple[Col, ...]
    name: str
    summary: str
    category: str  # 基础 | 主题 | 部门
    classification: str
    class_code: str
    format: str
    share_type: str
    update_cycle: str
    share_condition: str | None = None
    legal_basis: str | None = None
    open_type: str = "不予开放"
    open_condition: str | None = None
    share_method: str = "接口"

    def col(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)


DATA_TYPES = {"str": "字符", "int": "数值", "num": "数值", "date": "日期", "datetime": "日期时间"}
DEFAULT_LENGTHS = {"int": 10, "num": 12, "date": 10, "datetime": 19}

_ID = {"dtype": "str", "length": 18, "masking": "id_number", "sensitive": True}
_NAME = {"dtype": "str", "length": 30, "masking": "name", "sensitive": True}
_PHONE = {"dtype": "str", "length": 20, "masking": "mobile", "sensitive": True, "required": False}
_ADDRESS = {"dtype": "str", "length": 200, "masking": "address", "sensitive": True}

HJ_RK = TableSpec(
    dept="gaj",
    table="hj_rk",
    connector="sql",
    key="rkid",
    columns=(
        Col("rkid", "人口编号", length=12),
        Col("xm", "姓名", **_NAME),
        Col("sfzh", "公民身份号码", **_ID),
        Col("xb", "性别", length=2),
        Col("csrq", "出生日期", "date", length=20, as_text=True),
        Col("mz", "民族", length=2),
        Col("hyzk", "婚姻状况", length=2),
        Col("hjdz", "户籍地址", **_ADDRESS),
        Col("hh", "户号", length=16),
        Col("lxdh", "联系电话", **_PHONE),
        Col("djrq", "登记日期", "date"),
    ),
    name="户籍人口基本信息",
    summary="示例市公安局户籍管理系统中的常住户籍人口基本信息，含身份号码、姓名、性别、出生日期、民族、户籍地址等。",
    category="基础",
    classification="基础/人口",
    class_code="101",
    format="数据库",
    share_type="有条件共享",
    share_condition="仅向履行法定职责的政务部门共享，用于身份核验和人口统计，按最小必要原则提供字段",
    update_cycle="每日",
)

SB_CBRY = TableSpec(
    dept="rsj",
    table="sb_cbry",
    connector="sql",
    key="grbh",
    columns=(
        Col("grbh", "个人编号", length=16),
        Col("sfzh", "公民身份号码", **_ID),
        Col("xm", "姓名", **_NAME),
        Col("xb", "性别", length=2),
        Col("xzlx", "险种类型", length=3),
        Col("cbrq", "参保日期", "date"),
        Col("jfjs", "缴费基数", "num", length=12, scale=2),
        Col("cbzt", "参保状态", length=1),
        Col("dwmc", "参保单位名称", length=100, required=False),
        Col("lxdh", "联系电话", **_PHONE),
    ),
    name="社会保险参保人员信息",
    summary="示例市企业职工基本养老保险、医疗保险等险种的参保人员登记和缴费基数信息。",
    category="主题",
    classification="主题/社会保障",
    class_code="203",
    format="数据库",
    share_type="有条件共享",
    share_condition="仅用于社会保障待遇核查、就业补贴和救助对象审核",
    update_cycle="每月",
)

QY_JBXX = TableSpec(
    dept="scjgj",
    table="qy_jbxx",
    connector="sql",
    key="qyid",
    columns=(
        Col("qyid", "主体身份代码", length=20),
        Col("shxydm", "统一社会信用代码", length=18),
        Col("qymc", "企业名称", length=100),
        Col("fddbr", "法定代表人", **_NAME),
        Col("fddbrsfzh", "法定代表人身份证号", **_ID),
        Col("zczb", "注册资本（万元）", "num", length=14, scale=2),
        Col("zs", "住所", length=200),
        Col("clrq", "成立日期", "date"),
        Col("djzt", "登记状态", length=10),
    ),
    name="企业登记基本信息",
    summary="示例市市场主体登记中的企业基本信息，含统一社会信用代码、名称、法定代表人、注册资本、住所、成立日期和登记状态。",
    category="基础",
    classification="基础/法人单位",
    class_code="102",
    format="数据库",
    share_type="无条件共享",
    open_type="有条件开放",
    open_condition="法定代表人身份证号不开放，其余字段经申请后开放",
    update_cycle="每日",
)

JT_LLSJ = TableSpec(
    dept="jtj",
    table="jt_llsj",
    connector="sql",
    key="jlid",
    columns=(
        Col("jlid", "记录编号", "int"),
        Col("sbbh", "设备编号", length=12),
        Col("dlmc", "道路名称", length=50),
        Col("fx", "方向", length=4),
        Col("cjsj", "采集时间", "datetime"),
        Col("cll", "车流量（辆）", "int"),
        Col("pjsd", "平均车速（千米/小时）", "num", length=5, scale=1),
        Col("zyl", "车道占有率（%）", "num", length=5, scale=1),
    ),
    name="道路交通流量监测数据",
    summary="示例市主要道路交通流量检测器每5分钟上报的车流量、平均车速和车道占有率。",
    category="部门",
    classification="部门/交通运输",
    class_code="301",
    format="数据库",
    share_type="无条件共享",
    open_type="无条件开放",
    update_cycle="实时",
)

KQ_JCSJ = TableSpec(
    dept="sthjj",
    table="kq_jcsj",
    connector="sql",
    key="jlid",
    columns=(
        Col("jlid", "记录编号", "int"),
        Col("zdbh", "站点编号", length=10),
        Col("zdmc", "站点名称", length=30),
        Col("jcsj", "监测时间", "datetime"),
        Col("aqi", "空气质量指数", "int"),
        Col("pm25", "细颗粒物（微克/立方米）", "num", length=6, scale=1),
        Col("pm10", "可吸入颗粒物（微克/立方米）", "num", length=6, scale=1),
        Col("so2", "二氧化硫（微克/立方米）", "num", length=6, scale=1),
        Col("no2", "二氧化氮（微克/立方米）", "num", length=6, scale=1),
        Col("o3", "臭氧（微克/立方米）", "num", length=6, scale=1),
        Col("co", "一氧化碳（毫克/立方米）", "num", length=5, scale=2),
        Col("sywrw", "首要污染物", length=10, required=False),
    ),
    name="环境空气质量小时监测数据",
    summary="示例市国控、省控空气质量自动监测站逐小时监测的空气质量指数和主要污染物浓度。",
    category="主题",
    classification="主题/生态环保",
    class_code="211",
    format="数据库",
    share_type="无条件共享",
    open_type="无条件开放",
    update_cycle="实时",
)

HY_DJXX = TableSpec(
    dept="mzj",
    table="hy_djxx",
    connector="csv",
    key="登记编号",
    columns=(
        Col("登记编号", "登记编号", length=20),
        Col("男方姓名", "男方姓名", **_NAME),
        Col("男方身份证号", "男方身份证号", **_ID),
        Col("女方姓名", "女方姓名", **_NAME),
        Col("女方身份证号", "女方身份证号", **_ID),
        Col("登记日期", "登记日期", "date"),
        Col("登记机关", "登记机关", length=50),
        Col("备注", "备注", length=200, required=False),
    ),
    name="婚姻登记信息",
    summary="示例市各婚姻登记机关办理的结婚登记信息，由民政局按周导出报送。",
    category="主题",
    classification="主题/公共服务",
    class_code="201",
    format="电子表格",
    share_type="有条件共享",
    share_condition="仅用于婚姻状况核验和住房、户籍等事项办理",
    share_method="文件",
    update_cycle="每周",
)

BIRTH_GROUPS = ("新生儿", "母亲", "父亲")
CS_YXZM = TableSpec(
    dept="wjw",
    table="cs_yxzm",
    connector="excel",
    key="出生医学证明编号",
    columns=(
        Col("序号", "序号", "int"),
        Col("出生医学证明编号", "出生医学证明编号", length=10),
        Col("新生儿/姓名", "新生儿姓名", **_NAME),
        Col("新生儿/性别", "新生儿性别", length=2),
        Col("新生儿/出生日期", "新生儿出生日期", "date"),
        Col("母亲/姓名", "母亲姓名", **_NAME),
        Col("母亲/身份证号", "母亲身份证号", **_ID),
        Col("父亲/姓名", "父亲姓名", **_NAME),
        Col("父亲/身份证号", "父亲身份证号", **_ID),
        Col("出生医院", "出生医院", length=50),
        Col("签发日期", "签发日期", "date"),
    ),
    name="出生医学证明登记信息",
    summary="示例市助产机构签发出生医学证明的登记信息，含新生儿及父母身份信息，由卫生健康委按月汇总上报。",
    category="主题",
    classification="主题/健康保障",
    class_code="202",
    format="电子表格",
    share_type="有条件共享",
    share_condition="仅用于出生登记、医保参保和入学资格核验",
    share_method="文件",
    update_cycle="每月",
)

DB_DX = TableSpec(
    dept="mzj",
    table="db_dx",
    connector="json",
    key="dbzh",
    columns=(
        Col("dbzh", "低保证号", length=16),
        Col("sfzh", "公民身份号码", **_ID),
        Col("xm", "姓名", **_NAME),
        Col("xb", "性别", length=2),
        Col("csrq", "出生日期", "date", length=8, as_text=True),
        Col("jtrk", "家庭人口", "int"),
        Col("bzje", "保障金额（元/月）", "num", length=10, scale=2),
        Col("jzdz", "居住地址", **_ADDRESS),
        Col("lxdh", "联系电话", **_PHONE),
        Col("bz", "备注", length=200, required=False),
    ),
    name="最低生活保障对象信息",
    summary="示例市城乡最低生活保障对象的身份、家庭人口和保障金额信息，由民政局救助系统导出。",
    category="主题",
    classification="主题/社会保障",
    class_code="203",
    format="电子文件",
    share_type="不予共享",
    legal_basis="《中华人民共和国个人信息保护法》第二十八条：低保对象家庭经济状况属于敏感个人信息，仅在法定职责范围内使用",
    share_method="文件",
    update_cycle="每月",
)

SQL_TABLES = (HJ_RK, SB_CBRY, QY_JBXX, JT_LLSJ, KQ_JCSJ)
FILE_TABLES = (HY_DJXX, CS_YXZM, DB_DX)
ALL_TABLES = SQL_TABLES + FILE_TABLES


def resource(spec: TableSpec, seq: int) -> dict[str, Any]:
    """The catalog resource (信息资源) describing ``spec``, with one item per column."""
    items = [
        {
            "column": c.name,
            "name": c.label,
            "data_type": DATA_TYPES[c.dtype],
            "length": c.length or DEFAULT_LENGTHS.get(c.dtype, 50),
            "masking": c.masking,
            "sensitive": c.sensitive,
            "required": c.required,
        }
        for c in spec.columns
    ]
    return {
        "code": f"{CITY_CODE}/{spec.class_code}/{spec.dept}-{seq:03d}",
        "name": spec.name,
        "summary": spec.summary,
        "category": spec.category,
        "classification": spec.classification,
        "format": spec.format,
        "share_type": spec.share_type,
        "share_condition": spec.share_condition,
        "share_method": spec.share_method,
        "legal_basis": spec.legal_basis,
        "open_type": spec.open_type,
        "open_condition": spec.open_condition,
        "update_cycle": spec.update_cycle,
        "items": items,
    }
