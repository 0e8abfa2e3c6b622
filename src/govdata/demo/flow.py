"""``govdata demo``: build the demo city and run the whole platform over it.

generate sources → organisation and demo accounts → catalog (filed and published) → full loads
into the raw layer, each governed (quality checked) → rules across departments bound and their
tables checked again → a granted and a pending sharing application. Every step goes
through the same pillar services the portal and API use, as the platform's own actor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from govdata.catalog import ItemIn, ResourceIn, create_resource, get_resource, publish_resource
from govdata.demo.departments import BUREAU
from govdata.demo.generator import generate
from govdata.demo.manifest import DemoManifest
from govdata.demo.progress import ProgressFactory, silent
from govdata.errors import GovdataError
from govdata.govern.standards.regions import regions
from govdata.ingest.models import Source, SourceTable
from govdata.ingest.runner import run_table, store_config
from govdata.runtime import Platform
from govdata.security.actor import Actor
from govdata.security.auth import actor_for
from govdata.security.models import User
from govdata.security.org import create_department, create_user, ensure_region
from govdata.share import apply, decide

# Demo accounts, one per role. Known passwords are acceptable only because the demo environment
# refuses to start outside ``environment = "demo"`` with the built-in secret (config.check_secrets).
DEMO_PASSWORD = "Govdata#2026"
DEMO_ACCOUNTS: list[tuple[str, str, str, str | None]] = [
    # username, display name, role, department
    ("admin", "系统管理员", "system_admin", None),
    ("security", "安全管理员", "security_admin", None),
    ("auditor", "安全审计员", "auditor", None),
    ("sjj_admin", "数据局管理员", "dept_admin", "sjj"),
    ("gaj_officer", "公安局数据专员", "data_officer", "gaj"),
    ("rsj_officer", "人社局数据专员", "data_officer", "rsj"),
    ("mzj_user", "民政局数据使用人", "data_user", "mzj"),
]
CITY_CODE, CITY_NAME = "330100", "示例市"
# How the demo keeps its tables fresh, to show each load mode: sensor readings arrive continuously
# (incremental by reading time), the household registry changes in place and loses people
# (upsert with delete detection), the departments' files are sent whole (full snapshots).
DEMO_MODES: dict[str, tuple[str, str | None, bool]] = {
    "jt_llsj": ("incremental", "cjsj", False),
    "kq_jcsj": ("incremental", "jcsj", False),
    "hj_rk": ("upsert", None, True),
    "qy_jbxx": ("upsert", None, True),
}  # the demo city borrows a real city's division codes
# Rules the bureau binds once the tables are in the lake: an enterprise's legal representative must
# be in the household registry. It spans two departments, so no data element brings it.
DEMO_RULES: list[tuple[str, str, list[str], dict[str, str]]] = [
    # lake table, rule, columns, params
    ("qy_jbxx", "referential", ["fddbrsfzh"], {"table": "raw.gaj.hj_rk", "column": "sfzh"}),
]


@dataclass
class DemoResult:
    manifest: DemoManifest
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, department
    loaded: int = 0
    failed: list[str] = field(default_factory=list)


def build_demo(
    platform: Platform,
    scale: str = "small",
    sources: Sequence[str] = ("sqlite",),
    progress: ProgressFactory = silent,
    say: Callable[[str], None] = lambda _: None,
) -> DemoResult:
    """Generate the demo city into ``$GOVDATA_HOME/demo`` and run every pillar over it."""
    system = Actor.system("demo")
    say("生成示例市数据源 / generating the demo city's sources")
    manifest = generate(
        Path(platform.settings.home) / "demo", scale=scale, sources=sources, progress=progress
    )
    result = DemoResult(manifest=manifest)
    with platform.unit() as s:
        _organisation(s, platform, system, manifest, result)
    say("编目 / cataloguing")
    with platform.unit() as s:
        for src in manifest.sources:
            _catalog(s, platform, system, src)
    say("归集 / aggregating into the lake; each load is governed (lineage, std, quality, profile)")
    secret = platform.settings.secret_key.get_secret_value()
    advance = progress("归集 ingest", len(manifest.sources))
    for src in manifest.sources:
        with platform.unit() as s:
            table = _register_source(s, platform, src, secret)
        with platform.sessions() as s:
            table = s.get(SourceTable, table.id)
            try:
                run_table(
                    s, platform.lake, platform.audit, system, table, secret_key=secret, dept_code=src.dept
                )
                result.loaded += 1
            except GovdataError as exc:  # recorded on the source and its run; the demo goes on
                result.failed.append(
                    f"{src.dept}.{src.lake_table}: {exc.message('zh')} / {exc.message('en')}"
                )
        advance(1)
    say("质量规则 / quality rules across departments")
    _rules(platform, system, manifest, result)
    say("共享 / sharing")
    with platform.unit() as s:
        _sharing(s, platform, manifest)
    return result


def _organisation(s, platform: Platform, system: Actor, manifest: DemoManifest, result: DemoResult) -> None:  # type: ignore[no-untyped-def]
    table = regions()
    province = table[CITY_CODE[:2] + "0000"]
    ensure_region(s, province.code, province.name, province.level, None)
    ensure_region(s, CITY_CODE, CITY_NAME, "city", province.code)
    for r in table.values():
        if r.parent == CITY_CODE and r.in_force():
            ensure_region(s, r.code, r.name, r.level, CITY_CODE)
    for dept in manifest.departments:
        create_department(
            s,
            platform.audit,
            system,
            code=dept.code,
            name=dept.name,
            uscc=dept.uscc,
            region_code=dept.region,
            is_bureau=dept.code == BUREAU,
        )
    known = {d.code for d in manifest.departments}
    for username, display, role, dept in DEMO_ACCOUNTS:
        if dept is not None and dept not in known:
            continue
        create_user(
            s,
            platform.audit,
            system,
            username=username,
            display_name=display,
            password=DEMO_PASSWORD,
            role=role,
            department_code=dept,
        )
        result.accounts.append((username, role, dept or ""))


def _catalog(s, platform: Platform, system: Actor, src) -> None:  # type: ignore[no-untyped-def]
    from govdata.govern import element_for_column

    r = src.resource
    key = src.key if isinstance(src.key, str) else src.key[0]
    # the code's middle segment is the compact classification (101 = 类 1 / 项 01)
    compact = r["code"].split("/")[1]
    create_resource(
        s,
        platform.audit,
        system,
        ResourceIn(
            code=r["code"],
            name=r["name"],
            department=src.dept,
            summary=r["summary"],
            category=r["category"],
            format=r["format"],
            share_type=r["share_type"],
            share_condition=r.get("share_condition"),
            share_basis=r.get("legal_basis"),
            open_type=r["open_type"],
            update_cycle=r["update_cycle"],
            lake_table=f"raw.{src.dept}.{src.lake_table}",
            key_column=key,
            classification=f"{compact[0]}/{compact[1:3]}",
            sharing_method=r["share_method"],
            items=[
                ItemIn(
                    column=i["column"],
                    name=i["name"],
                    data_type=i["data_type"],
                    length=i.get("length"),
                    masking=i.get("masking"),
                    sensitive=bool(i.get("sensitive")),
                    required=bool(i.get("required")),
                    element=_element(s, element_for_column, i),
                )
                for i in r["items"]
            ],
        ),
    )
    publish_resource(s, platform.audit, system, r["code"])


def _element(s, find, item: dict[str, object]) -> str | None:  # type: ignore[no-untyped-def]
    """The data element the item binds: found by its column name, else by its Chinese name."""
    found = find(s, str(item["column"])) or find(s, str(item["name"]))
    return found.identifier if found is not None else None


def _register_source(s, platform: Platform, src, secret: str) -> SourceTable:  # type: ignore[no-untyped-def]
    from govdata.security.org import department_by_code

    dept = department_by_code(s, src.dept)
    source = Source(department_id=dept.id, name=src.name, connector=src.connector)
    store_config(source, src.config, secret)
    res = get_resource(s, src.resource["code"])
    keys = [src.key] if isinstance(src.key, str) else list(src.key)
    mode, cursor, deletes = DEMO_MODES.get(src.lake_table, ("full", None, False))
    table = SourceTable(
        source_table=str(src.config.get("table") or src.config.get("path")),
        lake_table=src.lake_table,
        resource_id=res.id,
        key_columns=keys,
        mode=mode,
        cursor_column=cursor,
        delete_detection=deletes,
    )
    source.tables.append(table)
    s.add(source)
    s.flush()
    return table


def _rules(platform: Platform, system: Actor, manifest: DemoManifest, result: DemoResult) -> None:
    """Bind ``DEMO_RULES`` and check each table again at once, so their issues open now."""
    from govdata.govern import BindingIn, add_binding, recheck_resource

    days = platform.settings.quality.issue_deadline_days
    for table, rule, columns, params in DEMO_RULES:
        code = manifest.source(table).resource["code"]
        try:
            with platform.unit() as s:
                data = BindingIn(rule=rule, columns=columns, params=params)
                add_binding(s, platform.lake, platform.audit, system, code, data)
                recheck_resource(s, platform.lake, platform.audit, system, get_resource(s, code), days)
        except GovdataError as exc:  # a table that did not load: reported like a failed load
            result.failed.append(f"{table} {rule}: {exc.message('zh')} / {exc.message('en')}")


def _sharing(s, platform: Platform, manifest: DemoManifest) -> None:  # type: ignore[no-untyped-def]
    """民政 asks 公安 for the household registry (approved) and 人社 for insured persons (pending)."""
    users = {u.username: u for u in s.execute(select(User)).scalars()}
    consumer = actor_for(users["mzj_user"])
    wanted = {"gaj": True, "rsj": False}
    for src in manifest.sources:
        if src.dept not in wanted or src.resource["share_type"] != "有条件共享":
            continue
        items = [i["column"] for i in src.resource["items"]][:4]
        app = apply(
            s, platform.audit, consumer, src.resource["code"], items, "婚姻登记当事人身份核验", days=365
        )
        if wanted.pop(src.dept):
            officer = actor_for(users["gaj_officer"])
            decide(s, platform.audit, officer, app.id, True, "同意，仅限婚姻登记身份核验使用")
