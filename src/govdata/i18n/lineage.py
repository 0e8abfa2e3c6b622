"""Messages of lineage (血缘): recording, queries, OpenLineage, the lineage page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "govern.lineage.bad_job_kind": (
        "未知的血缘作业类型：{kind}（可选：{known}）",
        "Unknown lineage job kind: {kind} (known: {known})",
    ),
    "govern.lineage.bad_job_kind.hint": (
        "作业类型为 ingest（归集）、standardize（标准化）、merge（融合）或 service（服务）",
        "A job is ingest, standardize, merge or service",
    ),
    "govern.lineage.bad_name": (
        "血缘记录中的 {field} 名称为空或超过 {limit} 个字符：{value}",
        "The lineage {field} name is empty or longer than {limit} characters: {value}",
    ),
    "govern.lineage.bad_name.hint": (
        "数据集名称用湖表键（raw.gaj.hj_rk）、source:<来源>/<表> 或 service:<服务>",
        "Name a dataset by its lake key (raw.gaj.hj_rk), source:<source>/<table> or service:<name>",
    ),
    "govern.lineage.cycle": (
        "血缘 {source} → {target} 会形成环路：{path}",
        "Lineage {source} → {target} would make a cycle: {path}",
    ),
    "govern.lineage.cycle.hint": (
        "数据集不能成为自己的上游；同一作业读写同一张表（增量合并）请把该表同时列为输入和输出，记为新版本",
        "A dataset cannot be its own ancestor; a job that reads and writes one table (an incremental merge) "
        "lists it as both input and output and is kept as a new version",
    ),
    "govern.lineage.unknown_dataset": ("血缘中没有数据集 {dataset}", "Lineage knows no dataset {dataset}"),
    "govern.lineage.unknown_dataset.hint": (
        "在“数据血缘”页面或 GET /api/v1/lineage/datasets 查找数据集名称（如 raw.gaj.hj_rk）",
        "Find the dataset's name on the Lineage page or with GET /api/v1/lineage/datasets (e.g. raw.gaj.hj_rk)",
    ),
    "govern.lineage.unknown_column": (
        "数据集 {dataset} 的字段 {column} 没有血缘",
        "Column {column} of dataset {dataset} has no lineage",
    ),
    "govern.lineage.unknown_column.hint": (
        "检查字段名（区分大小写）；字段血缘在下一次归集或标准化后记录",
        "Check the column name (case matters); column lineage is recorded by the next load or standardization",
    ),
    "govern.lineage.bad_direction": (
        "未知的血缘方向：{direction}（可选：{known}）",
        "Unknown lineage direction: {direction} (known: {known})",
    ),
    "govern.lineage.bad_direction.hint": (
        "upstream 看来源，downstream 看去向，both 两者都看",
        "upstream shows where it comes from, downstream where it goes, both shows both",
    ),
    "govern.lineage.columns_hidden": (
        "无权查看数据集 {dataset} 的字段级血缘",
        "You may not see the column-level lineage of dataset {dataset}",
    ),
    "govern.lineage.columns_hidden.hint": (
        "字段级血缘对数据所属部门、数据资源管理局开放，资源发布后对所有可查目录的人开放；表级血缘仍可查看",
        "Column lineage is open to the owning department and the data bureau, and to every catalog reader "
        "once the resource is published; table-level lineage stays visible",
    ),
    "govern.lineage.delivery_failed": (
        "向血缘服务器 {url} 发送 OpenLineage 事件失败：{reason}",
        "Sending OpenLineage events to the lineage server {url} failed: {reason}",
    ),
    "govern.lineage.delivery_failed.hint": (
        "检查 lineage.openlineage_url 与服务器状态；未送达的事件会在下次发送时按顺序补发",
        "Check lineage.openlineage_url and the server; undelivered events are sent, in order, next time",
    ),
    "govern.lineage.no_dataset": ("请指定数据集", "Name a dataset"),
    "govern.lineage.no_dataset.hint": (
        "例如 govdata govern lineage raw.gaj.hj_rk --column sfzh；或使用 --rebuild / --deliver",
        "For example govdata govern lineage raw.gaj.hj_rk --column sfzh; or use --rebuild / --deliver",
    ),
    "govern.lineage.no_openlineage_url": (
        "未配置 OpenLineage 服务器地址",
        "No OpenLineage server is configured",
    ),
    "govern.lineage.no_openlineage_url.hint": (
        "设置 GOVDATA_LINEAGE__OPENLINEAGE_URL（如 Marquez 的 http://host:5000/api/v1/lineage）",
        "Set GOVDATA_LINEAGE__OPENLINEAGE_URL (e.g. Marquez's http://host:5000/api/v1/lineage)",
    ),
    # portal
    "portal.nav.lineage": ("数据血缘", "Lineage"),
    "portal.lineage.title": ("数据血缘", "Lineage"),
    "portal.lineage.subtitle": (
        "从源系统字段经原始库、规范库到共享与开放服务，追溯每张表、每个字段的来龙去脉",
        "Follow every table and column from the source system through the lake layers to the services that expose it",
    ),
    "portal.lineage.dataset": ("数据集", "Dataset"),
    "portal.lineage.column": ("字段", "Column"),
    "portal.lineage.table_level": ("（表级血缘）", "(table level)"),
    "portal.lineage.direction": ("方向", "Direction"),
    "portal.lineage.direction.both": ("上下游", "Both"),
    "portal.lineage.direction.upstream": ("上游", "Upstream"),
    "portal.lineage.direction.downstream": ("下游", "Downstream"),
    "portal.lineage.show": ("查看", "Show"),
    "portal.lineage.counts": ("{nodes} 个节点，{edges} 条边", "{nodes} nodes, {edges} edges"),
    "portal.lineage.click_node": ("点击节点以其为中心重新展开", "Click a node to centre the graph on it"),
    "portal.lineage.kind.source": ("源系统", "Source system"),
    "portal.lineage.kind.lake": ("数据湖表", "Lake table"),
    "portal.lineage.kind.service": ("共享/开放服务", "Service"),
    "portal.lineage.job": ("作业", "Job"),
    "portal.lineage.transform": ("转换", "Transform"),
    "portal.lineage.from": ("来源", "From"),
    "portal.lineage.to": ("去向", "To"),
    "portal.lineage.datasets": ("数据集", "Datasets"),
    "portal.lineage.empty": (
        "还没有血缘记录：归集一次数据后即可看到",
        "No lineage yet: it appears after the first load",
    ),
    "portal.lineage.link": ("数据血缘", "Lineage"),
}
