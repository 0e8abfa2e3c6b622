"""Messages of the quality rules added for issue #5: consistency, range, length, referential,
custom SQL and timeliness rules, stored rule bindings and blocking rules before load."""

MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "govern.quality.bad_sql": (
        "自定义SQL规则 {rule} 无效：{detail}",
        "Custom SQL rule {rule} is invalid: {detail}",
    ),
    "govern.quality.bad_sql.hint": (
        "只写一个针对当前行的表达式（如 age BETWEEN 0 AND 150），不含语句、子查询、注释或读取文件的函数",
        "Write one expression over the row's columns (e.g. age BETWEEN 0 AND 150): no statements, "
        "subqueries, comments or functions that read files",
    ),
    "govern.rules.binding_not_found": (
        "资源 {resource} 没有编号为 {binding} 的规则绑定",
        "Resource {resource} has no rule binding {binding}",
    ),
    "govern.rules.binding_not_found.hint": (
        "先列出该资源的规则绑定，使用其中的编号",
        "List the resource's rule bindings and use one of their ids",
    ),
    "govern.rules.no_table": (
        "资源 {resource} 还没有归集到数据湖，无法绑定或校验规则",
        "Resource {resource} has no lake table yet: rules cannot be bound or validated",
    ),
    "govern.rules.no_table.hint": (
        "先为该资源配置数据源并完成一次归集",
        "Connect a source to the resource and load it once first",
    ),
    "govern.rules.not_blocking": (
        "规则 {rule} 不能设为阻断：它需要整张表才能判断（如唯一性、及时性）",
        "Rule {rule} cannot block loads: it needs the whole table to judge a row (e.g. uniqueness, timeliness)",
    ),
    "govern.rules.not_blocking.hint": (
        "取消“阻断”，该规则仍会在每次归集后检查",
        "Clear 'blocking': the rule is still checked after every load",
    ),
    "govern.rules.duplicate": (
        "资源 {resource} 已有规则 {rule}（字段 {columns}）的绑定",
        "Resource {resource} already binds rule {rule} to {columns}",
    ),
    "govern.rules.duplicate.hint": (
        "修改已有的绑定，而不是再添加一个",
        "Edit the existing binding instead of adding another",
    ),
    "govern.quality.blocked": (
        "阻断规则 {rule}（字段 {column}）未通过：{reason}",
        "Blocking rule {rule} ({column}) failed: {reason}",
    ),
    "govern.quality.blocked.hint": (
        "在源系统更正该行后重新归集",
        "Correct the row in the source system and load again",
    ),
    # rule labels and reasons
    "quality.rule.id_birth_date": ("出生日期与身份证号一致", "Birth date agrees with the ID number"),
    "quality.rule.id_gender": ("性别与身份证号一致", "Gender agrees with the ID number"),
    "quality.rule.range": ("取值范围", "Range"),
    "quality.rule.length": ("长度", "Length"),
    "quality.rule.referential": ("引用完整性", "Referential integrity"),
    "quality.rule.custom_sql": ("自定义SQL", "Custom SQL"),
    "quality.rule.timeliness": ("及时性（更新周期）", "Timeliness (update cycle)"),
    "quality.reason.mismatch": ("与身份证号不一致", "Disagrees with the ID number"),
    "quality.reason.bad_date": ("日期无法识别", "Not a date"),
    "quality.reason.below_min": ("小于下限", "Below the minimum"),
    "quality.reason.above_max": ("大于上限", "Above the maximum"),
    "quality.reason.not_number": ("不是数值", "Not a number"),
    "quality.reason.not_date": ("不是日期", "Not a date"),
    "quality.reason.too_short": ("长度不足", "Too short"),
    "quality.reason.too_long": ("长度超出", "Too long"),
    "quality.reason.dangling": ("引用的记录不存在", "Referenced record does not exist"),
    "quality.reason.custom": ("不满足自定义条件", "Fails the custom condition"),
    "quality.reason.stale": ("超过更新周期未更新", "Not updated within its update cycle"),
}
