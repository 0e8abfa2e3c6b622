"""Messages of ingest operations (engineer D): registering sources and tables, runs, scheduling."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.department_unknown": ("部门不存在：{department}", "No such department: {department}"),
    "ingest.department_unknown.hint": (
        "使用部门代码（如 gaj），可在用户与部门管理中查看",
        "Use the department code (e.g. gaj), listed under users and departments",
    ),
    "ingest.source_name_invalid": (
        "数据源名称不能为空且不超过200个字符：{name}",
        "A source name must be 1 to 200 characters: {name}",
    ),
    "ingest.source_name_invalid.hint": ("换一个简短的名称", "Choose a short name"),
    "ingest.source_exists": (
        "本部门已有同名数据源：{name}",
        "The department already has a source named {name}",
    ),
    "ingest.source_exists.hint": (
        "换一个名称，或在已有数据源上添加表",
        "Pick another name, or add tables to that source",
    ),
    "ingest.source_unknown": ("数据源不存在：{source}", "No such source: {source}"),
    "ingest.source_unknown.hint": (
        "用 govdata ingest sources 查看数据源的编号和名称",
        "List source ids and names with govdata ingest sources",
    ),
    "ingest.source_ambiguous": (
        "有{count}个部门的数据源都叫 {source}，请改用编号",
        "{count} departments have a source named {source}; use its id",
    ),
    "ingest.source_ambiguous.hint": (
        "用 govdata ingest sources 查看数据源编号",
        "Find the id with govdata ingest sources",
    ),
    "ingest.table_unknown": ("归集表不存在：{table}", "No such ingest table: {table}"),
    "ingest.table_unknown.hint": (
        "用 govdata ingest status 查看已登记的表",
        "List registered tables with govdata ingest status",
    ),
    "ingest.table_exists": ("该数据源已登记表 {table}", "The source already has table {table}"),
    "ingest.table_exists.hint": (
        "修改已有登记，或选另一张表",
        "Change the existing entry, or pick another table",
    ),
    "ingest.lake_table_taken": (
        "本部门原始库中已有表 {table}，由另一数据源写入",
        "Another source already writes raw table {table} of this department",
    ),
    "ingest.lake_table_taken.hint": ("换一个原始库表名", "Choose another lake table name"),
    "ingest.bad_choice": (
        "{field} 的取值 {value} 无效，可选：{known}",
        "{value} is not a valid {field}; choose one of: {known}",
    ),
    "ingest.bad_choice.hint": ("从列出的取值中选择", "Pick one of the listed values"),
    "ingest.mode_needs_keys": (
        "表 {table} 的 {mode} 方式需要主键列（用于按键合并）",
        "Mode {mode} of {table} needs key columns (rows are merged by key)",
    ),
    "ingest.mode_needs_keys.hint": (
        "填写能唯一标识一行的列，如身份证号或业务编号",
        "Name the columns that identify a row, such as the ID number or record number",
    ),
    "ingest.mode_needs_cursor": (
        "表 {table} 的增量方式需要游标列（如更新时间或自增编号）",
        "Incremental mode of {table} needs a cursor column (an updated-at time or increasing id)",
    ),
    "ingest.mode_needs_cursor.hint": (
        "选择只增不减的列作为游标列，或改用全量方式",
        "Pick a column that only grows as the cursor, or use full mode",
    ),
    "ingest.mode_unsupported": (
        "{connector} 类型的数据源不支持 {mode}",
        "A {connector} source does not support {mode}",
    ),
    "ingest.mode_unsupported.hint": (
        "改用全量方式，或换用支持该方式的连接器",
        "Use full mode, or a connector that supports it",
    ),
    "ingest.bad_schedule": (
        "归集周期须为1到527040之间的分钟数：{minutes}",
        "The schedule must be 1 to 527040 minutes: {minutes}",
    ),
    "ingest.bad_schedule.hint": (
        "留空则按目录的更新周期归集",
        "Leave it empty to follow the catalog's update cycle",
    ),
    "ingest.resource_other_department": (
        "资源 {resource} 不属于该数据源所在部门",
        "Resource {resource} belongs to another department than the source",
    ),
    "ingest.resource_other_department.hint": (
        "选择本部门目录中的资源",
        "Pick a resource of this department's catalog",
    ),
    "ingest.table_busy": (
        "表 {table} 正在归集中（{owner}），请稍后再试",
        "Table {table} is being loaded ({owner}); try again later",
    ),
    "ingest.table_busy.hint": (
        "等待当前归集结束，可在归集页面查看进度",
        "Wait for the running load; its progress is on the ingest page",
    ),
    "ingest.logical_not_run": (
        "表 {table} 为逻辑归集，按需在源端查询，不复制入湖",
        "Table {table} is aggregated logically: queried at the source, never copied",
    ),
    "ingest.logical_not_run.hint": (
        "如需入湖，将归集方式改为全量、增量或合并",
        "To copy it into the lake, change its mode to full, incremental or upsert",
    ),
    "ingest.quarantine_unavailable": (
        "隔离区暂不可用：{detail}",
        "Quarantine is not available: {detail}",
    ),
    "ingest.quarantine_unavailable.hint": (
        "请平台管理员检查归集组件的版本",
        "Ask the platform administrator to check the ingest components",
    ),
}
