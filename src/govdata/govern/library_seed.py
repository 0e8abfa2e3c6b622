"""The standards library every install starts with: common code tables and data elements (STANDARDS.md §1–5).

``seed_library`` inserts what is missing — a code table by its code, an element by its identifier —
and never touches what exists, so a bureau's edits survive every upgrade; a seeded alias that another
element already has is left out, and a seed element whose name another element carries is skipped. ``Platform.open`` calls it after migrating. Each inserted entry gets
its version 1 in the history; one audit record (``standards.library_seeded``) lists what was added.

Regions (GB/T 2260) are not copied into a code table: the ``region_code`` element checks its format
and normalises, and the division list lives in ``govern.standards.regions`` / the ``regions`` table.

Raises nothing on a fresh or an edited library; an invalid seed entry (a bug) raises ``InvalidInput``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from govdata.govern.library import code_table_snapshot, element_snapshot, forget_cache
from govdata.govern.library_schemas import CodeTableIn, CodeValueIn, ElementIn, SeedResult
from govdata.govern.library_validate import check_code_table, check_element
from govdata.govern.models import CodeTable, CodeValue, DataElement, LibraryHistory
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

if TYPE_CHECKING:
    from govdata.runtime import Platform

GENDER = "GB/T 2261.1-2003"
MARITAL = "GB/T 2261.2-2003"
ETHNICITY = "GB/T 3304-1991"
EDUCATION = "GB/T 4658-2006"
DOCUMENT_TYPE = "GA-DOC-TYPE"  # 公安常用证件代码; source unverified (STANDARDS.md §5)

# GB/T 3304-1991, codes 01–56 in the standard's order; 97/98 as STANDARDS.md notes them (unverified).
ETHNICITIES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()


def _v(code: str, label: str, *synonyms: str) -> CodeValueIn:
    return CodeValueIn(code=code, label=label, synonyms=list(synonyms))


def _ethnicity_values() -> list[CodeValueIn]:
    values = [
        # "汉" and "1" as well as "汉族": short names, and codes whose leading zero a spreadsheet dropped
        _v(f"{i:02d}", f"{name}族", name, str(i))
        for i, name in enumerate(ETHNICITIES, start=1)
    ]
    return [*values, _v("97", "其他"), _v("98", "外国血统中国籍人士", "外国血统")]


CODE_TABLES: list[CodeTableIn] = [
    CodeTableIn(
        code=GENDER,
        name="人的性别代码",
        values=[
            _v("0", "未知的性别", "未知", "unknown"),
            _v("1", "男性", "男", "M", "male"),
            _v("2", "女性", "女", "F", "female"),
            _v("9", "未说明的性别", "未说明", "unspecified"),
        ],
    ),
    CodeTableIn(
        code=MARITAL,
        name="婚姻状况代码",
        values=[
            _v("10", "未婚", "single", "unmarried"),
            _v("20", "已婚", "married"),
            _v("21", "初婚"),
            _v("22", "再婚", "remarried"),
            _v("23", "复婚"),
            _v("30", "丧偶", "widowed"),
            _v("40", "离婚", "divorced"),
            _v("90", "未说明的婚姻状况", "未说明"),
        ],
    ),
    CodeTableIn(code=ETHNICITY, name="中国各民族名称代码", values=_ethnicity_values()),
    CodeTableIn(
        code=EDUCATION,
        name="学历代码",
        values=[
            _v("10", "研究生教育", "研究生"),
            _v("11", "博士研究生毕业", "博士"),
            _v("14", "硕士研究生毕业", "硕士"),
            _v("17", "研究生班毕业"),
            _v("20", "大学本科教育", "本科"),
            _v("21", "大学本科毕业"),
            _v("30", "大学专科教育", "专科", "大专"),
            _v("31", "大学专科毕业"),
            _v("40", "中等职业教育", "中专", "中职"),
            _v("60", "普通高级中学教育", "高中"),
            _v("61", "普通高中毕业"),
            _v("70", "初级中学教育", "初中"),
            _v("71", "初中毕业"),
            _v("80", "小学教育", "小学"),
            _v("81", "小学毕业"),
            _v("90", "其他"),
        ],
    ),
    CodeTableIn(
        code=DOCUMENT_TYPE,
        name="常用证件代码",
        values=[
            _v("111", "居民身份证", "身份证"),
            _v("113", "户口簿", "户口本"),
            _v("414", "普通护照", "护照", "passport"),
            _v("990", "其他证件", "其他"),
        ],
    ),
]


def _e(identifier: str, name: str, data_type: str, fmt: str | None, **kw: object) -> ElementIn:
    return ElementIn(identifier=identifier, name=name, data_type=data_type, format=fmt, **kw)  # type: ignore[arg-type]


ELEMENTS: list[ElementIn] = [
    _e(
        "id_number",
        "公民身份号码",
        "字符",
        "c18",
        standard="GB 11643-1999",
        normalizer="id_number_18",
        rules=["id_number"],
        aliases=[
            "sfzh",
            "sfzhm",
            "gmsfhm",
            "zjhm",
            "fddbrsfzh",
            "id_number",
            "idcard",
            "id_card",
            "id_no",
            "身份证号",
            "身份证号码",
            "居民身份证号码",
        ],
        description="18位，末位校验码 0-9 或 X（ISO 7064 MOD 11-2）；15位旧号码升级为18位",
    ),
    _e(
        "uscc",
        "统一社会信用代码",
        "字符",
        "c18",
        standard="GB 32100-2015",
        normalizer="uscc",
        rules=["uscc"],
        aliases=[
            "tyshxydm",
            "shxydm",
            "uscc",
            "credit_code",
            "social_credit_code",
            "社会信用代码",
            "信用代码",
        ],
    ),
    _e(
        "org_code",
        "组织机构代码",
        "字符",
        "c10",
        standard="GB 11714-1997",
        normalizer="org_code",
        aliases=["zzjgdm", "jgdm", "org_code", "organization_code", "机构代码"],
        description="8位本体代码 + 1位校验码，印刷形式 XXXXXXXX-X",
    ),
    _e(
        "person_name",
        "姓名",
        "字符",
        "c..50",
        normalizer="person_name",
        rules=["not_null"],
        aliases=["xm", "name", "full_name", "person_name"],
    ),
    _e(
        "gender",
        "性别",
        "字符",
        "n1",
        standard=GENDER,
        code_table=GENDER,
        normalizer="code_table",
        rules=["code_set", "id_gender"],
        aliases=["xb", "gender", "sex", "性别代码"],
    ),
    _e(
        "ethnicity",
        "民族",
        "字符",
        "n2",
        standard=ETHNICITY,
        code_table=ETHNICITY,
        normalizer="code_table",
        rules=["code_set"],
        aliases=["mz", "ethnicity", "ethnic_group", "民族代码"],
    ),
    _e(
        "marital_status",
        "婚姻状况",
        "字符",
        "n2",
        standard=MARITAL,
        code_table=MARITAL,
        normalizer="code_table",
        rules=["code_set"],
        aliases=["hyzk", "marital_status", "婚姻状态"],
    ),
    _e(
        "education",
        "学历",
        "字符",
        "n2",
        standard=EDUCATION,
        code_table=EDUCATION,
        normalizer="code_table",
        rules=["code_set"],
        aliases=["xl", "whcd", "education", "文化程度"],
    ),
    _e(
        "birth_date",
        "出生日期",
        "日期",
        "n8(YYYYMMDD)",
        normalizer="date",
        rules=["pattern", "id_birth_date"],
        aliases=["csrq", "birth_date", "birthday", "date_of_birth", "出生年月日"],
    ),
    _e(
        "date",
        "日期",
        "日期",
        "n8(YYYYMMDD)",
        normalizer="date",
        rules=["pattern"],
        aliases=["rq", "date"],
    ),
    _e(
        "phone",
        "联系电话",
        "字符",
        "c..20",
        normalizer="phone",
        aliases=["lxdh", "dh", "lxfs", "tel", "telephone", "contact_phone", "电话", "联系方式"],
        description="手机或固定电话；手机号码另见数据元 mobile（带 phone 校验规则）",
    ),
    _e(
        "mobile",
        "手机号码",
        "字符",
        "n11",
        normalizer="phone",
        rules=["phone"],
        aliases=["sjhm", "sjh", "mobile", "mobile_phone", "cellphone", "手机号", "手机"],
    ),
    _e(
        "region_code",
        "行政区划代码",
        "字符",
        "n6",
        standard="GB/T 2260",
        normalizer="region_code",
        rules=["pattern"],
        aliases=["xzqhdm", "xzqh", "qhdm", "region_code", "division_code", "区划代码"],
        description="6位县级及以上代码；代码清单见平台区划表（不复制为代码表）",
    ),
    _e(
        "address",
        "地址",
        "字符",
        "c..200",
        normalizer="trim",
        aliases=[
            "dz",
            "zz",
            "zs",
            "hjdz",
            "jzdz",
            "address",
            "住址",
            "住所",
            "户籍地址",
            "居住地址",
            "详细地址",
        ],
    ),
    _e(
        "bank_card",
        "银行卡号",
        "字符",
        "n16..19",
        normalizer="bank_card",
        rules=["pattern"],
        aliases=["yhkh", "bank_card", "bank_card_no", "银行卡号码"],
        description="16–19位，Luhn 校验（不通过仅警告）",
    ),
    _e(
        "document_type",
        "证件类型",
        "字符",
        "n3",
        standard=DOCUMENT_TYPE,
        code_table=DOCUMENT_TYPE,
        normalizer="code_table",
        rules=["code_set"],
        aliases=["zjlx", "document_type", "id_type", "证件种类"],
    ),
    _e(
        "legal_representative",
        "法定代表人",
        "字符",
        "c..50",
        normalizer="person_name",
        rules=["not_null"],
        aliases=["fddbr", "fddbrxm", "legal_representative", "legal_person", "法人代表"],
    ),
]


def seed_library(session: Session, audit: AuditLog, actor: Actor | None = None) -> SeedResult:
    """Insert the seed code tables and elements that are missing; never change existing ones."""
    actor = actor or Actor.system("standards")
    result = SeedResult()
    have_tables = set(session.execute(select(CodeTable.code)).scalars())
    for spec in CODE_TABLES:
        if spec.code in have_tables:
            continue
        checked = check_code_table(spec)
        if checked.problems:
            raise checked.problems[0]
        table = CodeTable(code=spec.code, name=spec.name, version=1, updated_by=actor.username)
        table.values = [CodeValue(position=i, **v) for i, v in enumerate(checked.values["values"], start=1)]
        session.add(table)
        session.flush()
        _history(session, "code_table", table.id, code_table_snapshot(table), actor)
        result.code_tables.append(spec.code)
    have_elements = set(session.execute(select(DataElement.identifier)).scalars())
    for spec in ELEMENTS:
        if spec.identifier in have_elements:
            continue
        checked = check_element(session, spec, spec.identifier, None)
        codes = {p.code for p in checked.problems}
        if "govern.library.name_taken" in codes:
            continue  # the bureau keeps this element under an identifier of its own
        taken = {
            str(p.params["alias"]) for p in checked.problems if p.code == "govern.library.alias_conflict"
        }
        problems = [p for p in checked.problems if p.code != "govern.library.alias_conflict"]
        if problems:
            raise problems[0]
        checked.values["aliases"] = [a for a in checked.values["aliases"] if a not in taken]
        element = DataElement(
            identifier=spec.identifier, version=1, updated_by=actor.username, **checked.values
        )
        session.add(element)
        session.flush()
        _history(session, "element", element.id, element_snapshot(element), actor)
        result.elements.append(spec.identifier)
    if result.code_tables or result.elements:
        forget_cache(session)
        audit.record(
            session,
            actor,
            "standards.library_seeded",
            target="standards:library",
            rows=len(result.code_tables) + len(result.elements),
            detail=result.model_dump(),
        )
    return result


def seed_on_open(platform: Platform) -> SeedResult:
    """Seed in a unit of work of its own. Two processes opening a fresh store at once may both try:
    the loser's insert hits a unique constraint, and it finds the library seeded by the winner."""
    try:
        with platform.unit() as session:
            return seed_library(session, platform.audit)
    except IntegrityError:
        with platform.unit() as session:
            return seed_library(session, platform.audit)


def _history(session: Session, kind: str, ref_id: int, snapshot: dict[str, object], actor: Actor) -> None:
    session.add(
        LibraryHistory(kind=kind, ref_id=ref_id, version=1, snapshot=snapshot, changed_by=actor.username)
    )
