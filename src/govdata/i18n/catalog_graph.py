"""Drafts from sources, coverage, the resource graph and drift reaching the catalog: key → (zh_CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "catalog.source_not_found": ("没有这个数据源：{source}", "No such source: {source}"),
    "catalog.source_not_found.hint": (
        "在“数据归集”页面查看本部门已登记的数据源编号",
        "See your department's registered sources and their ids on the Aggregation page",
    ),
    "catalog.draft_not_found": (
        "表“{table}”没有待编目的草稿（已编目、已不存在或尚未扫描）",
        "No draft for table {table} (already catalogued, gone, or not scanned yet)",
    ),
    "catalog.draft_not_found.hint": (
        "先扫描数据源，再从待编目列表中选择表",
        "Scan the source first, then pick a table from the drafts list",
    ),
    # text the services write
    "catalog.draft.summary": (
        "{department}数据源“{source}”中的表 {table}（{items} 个信息项），由平台根据源表结构生成，请补充资源摘要。",
        "Table {table} of {department}'s source {source} ({items} items), drafted from the source's "
        "structure; please describe the resource.",
    ),
    "catalog.draft.condition": (
        "【待编辑】仅向履行法定职责的政务部门共享，经提供方审核同意（请按实际填写共享条件）",
        "[TO EDIT] Shared only with departments that need it for their statutory duties, on the "
        "provider's approval (write the real condition)",
    ),
    "catalog.drift.note": (
        "数据源结构变化，目录信息项已随源端调整：{changes}。请核对后提交。",
        "The source's columns changed and the items follow them: {changes}. Check and submit.",
    ),
    "catalog.drift.table_dropped": (
        "数据源中的表 {table} 已不存在（{changes}）。请核实，如不再提供请停用该资源。",
        "Table {table} no longer exists at the source ({changes}). Check it; retire the resource "
        "if it is no longer provided.",
    ),
    # portal: drafts from sources
    "portal.nav.graph": ("数据资源图谱", "Resource graph"),
    "portal.drafts.title": ("待编目", "Drafts from sources"),
    "portal.drafts.subtitle": (
        "本部门数据源中尚未编目的表，平台已按表结构拟好信息项；修改名称和摘要后即可提交为草稿（应编尽编）",
        "Tables of your department's sources not yet in the catalog, with items drafted from their "
        "structure; edit the name and summary and file them as drafts",
    ),
    "portal.drafts.scan": ("扫描数据源", "Scan source"),
    "portal.drafts.scanned": ("扫描完成：发现 {tables} 张表", "Scanned: {tables} tables found"),
    "portal.drafts.accepted": ("已编目为草稿：{code}", "Filed as a draft: {code}"),
    "portal.drafts.counts": (
        "源表 {tables} 张，已编目 {catalogued} 张",
        "{tables} source tables, {catalogued} catalogued",
    ),
    "portal.drafts.gone": ("源端已删除", "Gone at the source"),
    "portal.drafts.element": ("数据元", "Data element"),
    "portal.drafts.cautious": (
        "默认为有条件共享、不予开放，共享条件需按实际修改后再提交审核",
        "Defaults: conditional sharing, not open; rewrite the sharing condition before submitting",
    ),
    "portal.drafts.accept": ("编目为草稿", "File as draft"),
    "portal.drafts.none": ("没有待编目的表（请先扫描）", "Nothing left to catalogue (scan first)"),
    "portal.drafts.no_sources": (
        "本部门还没有登记数据源",
        "Your department has no registered sources yet",
    ),
    # portal: coverage
    "portal.coverage.title": ("编目覆盖率（数据源表）", "Catalogue coverage (source tables)"),
    "portal.coverage.tables": ("源表数", "Source tables"),
    "portal.coverage.catalogued": ("已编目", "Catalogued"),
    "portal.coverage.percent": ("覆盖率", "Coverage"),
    "portal.coverage.note": (
        "按最近一次扫描统计；源端已删除的表不计入",
        "As of each source's last scan; tables gone at the source are not counted",
    ),
    # portal: graph
    "portal.graph.title": ("数据资源图谱", "Resource graph"),
    "portal.graph.subtitle": (
        "部门、信息系统、信息资源与事项的关系；红色虚线为可能重复采集的资源",
        "Departments, systems, resources and matters; red dashed links are possible duplicate collection",
    ),
    "portal.graph.department": ("部门", "Department"),
    "portal.graph.all": ("全部", "All"),
    "portal.graph.focus": ("聚焦资源代码", "Focus resource code"),
    "portal.graph.apply": ("查看", "Show"),
    "portal.graph.empty": ("没有已发布的资源", "No published resources"),
    "portal.graph.duplicates": ("可能重复采集", "Possible duplicate collection"),
    "portal.graph.duplicates_rule": (
        "不同部门的资源共有至少 2 个数据元，且占较少一方已绑定数据元的一半以上",
        "Resources of different departments sharing at least 2 data elements, at least half of the "
        "smaller one's bound elements",
    ),
    "portal.graph.no_duplicates": ("未发现可能重复采集的资源", "No possible duplicates found"),
    "portal.graph.resource_a": ("资源", "Resource"),
    "portal.graph.resource_b": ("另一部门的资源", "Other department's resource"),
    "portal.graph.shared": ("共有数据元", "Shared data elements"),
    "portal.graph.node.department": ("部门", "Department"),
    "portal.graph.node.system": ("信息系统", "System"),
    "portal.graph.node.resource": ("信息资源", "Resource"),
    "portal.graph.node.matter": ("事项", "Matter"),
    "portal.graph.edge.provides": ("提供", "provides"),
    "portal.graph.edge.from_system": ("来源系统", "from system"),
    "portal.graph.edge.serves": ("支撑事项", "serves"),
    "portal.graph.edge.related": ("关联资源", "related"),
    "portal.graph.edge.possible_duplicate": ("可能重复采集", "possible duplicate"),
}
