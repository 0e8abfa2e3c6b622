"""Messages of load modes, drift, rejected rows and time travel (ingest runner and lake merge)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "ingest.mode_needs_keys": (
        "表 {table} 的采集方式 {mode} 需要主键列",
        "Table {table}: load mode {mode} needs key columns",
    ),
    "ingest.mode_needs_keys.hint": (
        "在采集设置中填写能唯一标识一行的主键列，或改为全量采集",
        "Set the key columns that identify a row, or switch the table to a full load",
    ),
    "ingest.mode_needs_cursor": (
        "表 {table} 的增量采集需要游标列（如更新时间或自增编号）",
        "Table {table}: an incremental load needs a cursor column (updated_at or an increasing id)",
    ),
    "ingest.mode_needs_cursor.hint": (
        "填写随每次修改递增的列作为游标列，或改为按主键合并（upsert）",
        "Set a column that grows with every change as the cursor, or use upsert by key",
    ),
    "ingest.bad_mode": (
        "表 {table} 的采集方式 {mode} 无效（可选：{known}）",
        "Table {table}: unknown load mode {mode} (known: {known})",
    ),
    "ingest.bad_mode.hint": (
        "在采集设置中选择全量、增量、合并或逻辑归集",
        "Pick full, incremental, upsert or logical in the table's settings",
    ),
    "ingest.unknown_column": (
        "表 {table} 中没有列：{column}",
        "Table {table} has no column: {column}",
    ),
    "ingest.unknown_column.hint": (
        "核对主键列、游标列或查询列的名称与数据源一致",
        "Check that key, cursor and queried column names match the source",
    ),
    "ingest.drift_rejected": (
        "表 {table} 的数据源结构发生变化，按策略拒绝本次采集：{changes}",
        "The source of {table} changed shape and its policy rejects the run: {changes}",
    ),
    "ingest.drift_rejected.hint": (
        "确认结构变化后，将结构变化策略改为“跟随”或“冻结”再重新采集",
        "Review the changes, then set the drift policy to evolve or freeze and run again",
    ),
    "ingest.rows_rejected": (
        "表 {table} 有 {count} 行无法解析，按策略整批拒绝，数据湖未变更",
        "{count} rows of {table} could not be parsed; the policy rejects the whole run, lake unchanged",
    ),
    "ingest.rows_rejected.hint": (
        "在问题数据中查看行号与原因，修正数据源后重新采集，或改为“提交正确行”策略",
        "See the rejected rows (row and reason), fix the source and run again, or commit the good rows",
    ),
    "ingest.lookup_unsupported": (
        "数据源 {connector} 不支持按条件就地查询（表 {table}）",
        "Connector {connector} cannot be queried in place (table {table})",
    ),
    "ingest.lookup_unsupported.hint": (
        "逻辑归集需要数据库类数据源；文件类数据源请改为物理归集",
        "Logical aggregation needs a database source; load file sources into the lake instead",
    ),
    "lake.merge_keys": (
        "合并 {table} 需要存在于数据中的主键列：{keys}",
        "Merging into {table} needs key columns present in the data: {keys}",
    ),
    "lake.merge_keys.hint": (
        "检查主键列名称与数据列一致",
        "Check that the key column names match the data's columns",
    ),
    "lake.no_version_at": (
        "{when} 时 {table} 尚不存在",
        "{table} did not exist yet at {when}",
    ),
    "lake.no_version_at.hint": (
        "选择该表首次采集之后的时间点",
        "Pick a time after the table was first loaded",
    ),
    # reasons of rejected rows (quarantine ``reason`` column)
    "ingest.reject.cast": (
        "列 {column} 的值无法转换为数据湖中的类型",
        "The value of column {column} does not convert to the lake's type",
    ),
    "ingest.reject.null_key": (
        "主键列 {column} 为空，无法合并",
        "Key column {column} is empty; the row cannot be merged",
    ),
    "ingest.reject.csv_fields": (
        "字段个数不符：应为 {expected} 个，实际 {actual} 个",
        "Wrong number of fields: expected {expected}, found {actual}",
    ),
    "ingest.reject.json_not_object": (
        "记录不是 JSON 对象",
        "The record is not a JSON object",
    ),
    "ingest.reject.excel_error": (
        "单元格 {column} 含有错误值",
        "Cell {column} holds an error value",
    ),
}
