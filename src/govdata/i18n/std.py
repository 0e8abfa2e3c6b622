"""Messages of standardization raw → std (issue #5): spec errors, the spec page, the CLI summary."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "govern.std.unknown_normalizer": (
        "规范化方法 {name} 不存在；可用：{known}",
        "Unknown normalizer {name}; known: {known}",
    ),
    "govern.std.unknown_normalizer.hint": (
        "从列出的规范化方法中选一个，或留空保持原值",
        "Pick a listed normalizer, or none to keep the value",
    ),
    "govern.std.unknown_type": (
        "目标类型 {name} 不存在；可用：{known}",
        "Unknown target type {name}; known: {known}",
    ),
    "govern.std.unknown_type.hint": ("从列出的类型中选一个", "Pick one of the listed types"),
    "govern.std.no_columns": (
        "表 {table} 的规范化配置没有任何列",
        "The standardization spec of {table} has no columns",
    ),
    "govern.std.no_columns.hint": (
        "至少映射一列，或先点击“生成建议”",
        "Map at least one column, or start from the suggestion",
    ),
    "govern.std.missing_column": (
        "第 {row} 列映射的源字段 {column} 不在表 {table} 中；该表的字段：{columns}",
        "Step {row} maps column {column}, which table {table} does not have; its columns: {columns}",
    ),
    "govern.std.missing_column.hint": (
        "改用表中已有的字段；源系统改名后请重新生成建议",
        "Use one of the table's columns; after a rename at the source, suggest the spec again",
    ),
    "govern.std.bad_target": (
        "第 {row} 列的目标字段名 {name} 无效：须以小写字母开头，只含小写字母、数字和下划线，最长63个字符",
        "Step {row}: target name {name} is invalid: start with a lower-case letter, then lower-case letters, "
        "digits and underscores, 63 characters at most",
    ),
    "govern.std.bad_target.hint": ("例如 id_number、birth_date", "For example id_number, birth_date"),
    "govern.std.duplicate_target": (
        "第 {row} 列的目标字段名 {name} 与第 {first} 列重复",
        "Step {row}: target name {name} is already used by step {first}",
    ),
    "govern.std.duplicate_target.hint": ("每个目标字段名只能出现一次", "Give every std column its own name"),
    "govern.std.code_table_required": (
        "第 {row} 列使用代码表规范化，但没有指定代码表",
        "Step {row} normalizes by code table but names none",
    ),
    "govern.std.code_table_required.hint": (
        "选择一个代码表，或换用其他规范化方法",
        "Pick a code table, or another normalizer",
    ),
    "govern.std.unknown_code_table": (
        "第 {row} 列的代码表 {name} 不存在；可用：{known}",
        "Step {row}: unknown code table {name}; known: {known}",
    ),
    "govern.std.unknown_code_table.hint": (
        "从标准库的代码表中选一个，或先在标准库中新建",
        "Pick a code table of the standards library, or create it there first",
    ),
    "govern.std.unknown_dedup_column": (
        "去重字段 {name} 不是规范化后的字段；可用：{known}",
        "Dedup column {name} is not a std column; known: {known}",
    ),
    "govern.std.unknown_dedup_column.hint": (
        "按目标字段名去重（排序字段也可用源字段）",
        "Dedup by target names (the order column may also be a raw column)",
    ),
    "govern.std.no_table": (
        "资源 {resource} 还没有归集到数据湖，无法规范化",
        "Resource {resource} has no lake table yet: nothing to standardize",
    ),
    "govern.std.no_table.hint": (
        "先为该资源配置数据源并完成一次归集",
        "Connect a source to the resource and load it once first",
    ),
    "govern.std.stale_version": (
        "表 {table} 的规范化配置已被他人修改（您基于第 {base} 版，当前为第 {current} 版）",
        "The spec of {table} changed meanwhile (you edited version {base}, it is now version {current})",
    ),
    "govern.std.stale_version.hint": (
        "重新打开页面，在最新版本上修改",
        "Reload the page and edit the current version",
    ),
    # the spec page and the CLI
    "std.title": ("数据规范化", "Standardization"),
    "std.intro": (
        "把原始库 {source} 按以下配置规范化为规范库 {target}（一条 SQL，一次提交）",
        "Standardize raw table {source} into {target} by this spec (one SQL statement, one commit)",
    ),
    "std.saved": ("已保存配置 第 {version} 版", "Saved spec, version {version}"),
    "std.suggested": ("尚未保存：以下为系统建议的配置", "Not saved yet: this is the suggested spec"),
    "std.col.target": ("目标字段", "Std column"),
    "std.col.source": ("源字段", "Raw column"),
    "std.col.type": ("类型", "Type"),
    "std.col.normalizer": ("规范化方法", "Normalizer"),
    "std.col.code_table": ("代码表", "Code table"),
    "std.col.changed": ("改写值数", "Changed"),
    "std.col.unparseable": ("无法规范化", "Unparseable"),
    "std.none": ("（不变）", "(unchanged)"),
    "std.dedup": ("按以下字段去重（保留最新）", "Deduplicate by (keep the latest)"),
    "std.dedup_order": ("最新的判断字段（空：按归集顺序）", "Latest by (empty: load order)"),
    "std.keep_unmapped": ("保留未映射的源字段", "Keep unmapped raw columns"),
    "std.save": ("保存", "Save"),
    "std.suggest": ("生成建议", "Suggest"),
    "std.run": ("立即规范化", "Standardize now"),
    "std.saved_ok": ("已保存，第 {version} 版", "Saved, version {version}"),
    "std.report": ("最近一次运行", "Last run"),
    "std.no_report": ("尚未运行", "Not run yet"),
    "std.report_rows": (
        "读入 {rows_in} 行，写出 {rows_out} 行，去重 {duplicates} 行；规范库第 {version} 版，用时 {seconds} 秒",
        "{rows_in} rows in, {rows_out} out, {duplicates} duplicates removed; std version {version}, {seconds} s",
    ),
    "std.link": ("数据规范化", "Standardization"),
}
