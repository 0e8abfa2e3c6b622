"""Messages of the catalog's DCAT-AP export and statistics (issue #4, items 8 and 9)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "catalog.dcat.title": ("政务数据开放目录", "Open government data catalog"),
    "catalog.dcat.description": (
        "已发布的无条件开放和有条件开放政务数据资源（DCAT-AP 3）",
        "Published government data resources that are open or conditionally open (DCAT-AP 3)",
    ),
    "catalog.dcat.publisher": ("政务数据资源管理平台", "Government data platform"),
    "catalog.dcat.theme_scheme": (
        "政务信息资源分类（基础、主题、部门）",
        "Resource categories (base, topic, department)",
    ),
    "portal.catalog_stats.title": ("目录统计", "Catalog statistics"),
    "portal.catalog_stats.subtitle": (
        "各部门编目、共享开放属性、更新及时性与编目覆盖情况",
        "Per department: resources, sharing and open attributes, timeliness and catalogue coverage",
    ),
    "portal.catalog_stats.resources": ("已发布资源", "Published resources"),
    "portal.catalog_stats.items": ("信息项", "Items"),
    "portal.catalog_stats.late": ("未按周期更新", "Late against cycle"),
    "portal.catalog_stats.coverage": ("编目覆盖率", "Catalogue coverage"),
    "portal.catalog_stats.chart_title": (
        "各部门资源共享属性分布",
        "Resources by sharing attribute per department",
    ),
    "portal.catalog_stats.by_department": ("分部门统计", "By department"),
    "portal.catalog_stats.col_department": ("部门", "Department"),
    "portal.catalog_stats.col_resources": ("资源", "Resources"),
    "portal.catalog_stats.col_drafts": ("草稿", "Drafts"),
    "portal.catalog_stats.col_items": ("信息项", "Items"),
    "portal.catalog_stats.col_share": ("可共享占比", "Shareable"),
    "portal.catalog_stats.col_open": ("可开放占比", "Openable"),
    "portal.catalog_stats.col_late": ("未按时更新", "Late"),
    "portal.catalog_stats.col_coverage": ("编目覆盖率", "Coverage"),
    "portal.catalog_stats.col_tables": ("已编目/数据表", "Catalogued / tables"),
    "portal.catalog_stats.total": ("合计", "Total"),
    "portal.catalog_stats.late_title": (
        "未按更新周期更新的资源",
        "Resources late against their update cycle",
    ),
    "portal.catalog_stats.col_code": ("资源代码", "Code"),
    "portal.catalog_stats.col_name": ("资源名称", "Name"),
    "portal.catalog_stats.col_cycle": ("更新周期", "Update cycle"),
    "portal.catalog_stats.col_last_load": ("最近成功归集", "Last successful load"),
    "portal.catalog_stats.never": ("从未归集", "Never loaded"),
    "portal.catalog_stats.none_late": ("所有资源均按周期更新", "Every resource is up to date"),
    "portal.catalog_stats.matters_note": (
        "事项覆盖率：部门登记的事项清单（政务服务事项、权力事项）中，已有已发布资源支撑的事项所占比例",
        "Matter coverage: the share of a department's registered matters (service matters and power-list "
        "items) served by at least one published resource",
    ),
    "portal.catalog_stats.col_matters": ("已支撑/事项", "Served / matters"),
    "portal.catalog_stats.col_matter_coverage": ("事项覆盖率", "Matter coverage"),
    "portal.catalog_stats.matter_coverage": ("事项覆盖率", "Matter coverage"),
    "portal.catalog_stats.empty": ("暂无目录数据", "No catalog data yet"),
    "portal.catalog_stats.not_applicable": ("—", "—"),
}
