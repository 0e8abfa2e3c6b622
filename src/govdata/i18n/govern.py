"""Messages of the govern pillar (standards, quality) and of masking."""

MESSAGES: dict[str, tuple[str, str]] = {
    # quality errors
    "govern.quality.unknown_rule": (
        "未知的质量规则：{name}（可选：{known}）",
        "Unknown quality rule: {name} (known: {known})",
    ),
    "govern.quality.unknown_rule.hint": (
        "从列出的规则中选择，或安装提供该规则的插件",
        "Pick one of the listed rules, or install the plug-in that provides it",
    ),
    "govern.quality.bad_params": (
        "质量规则 {rule} 的参数不正确：{detail}",
        "Invalid parameters for quality rule {rule}: {detail}",
    ),
    "govern.quality.bad_params.hint": (
        "按规则说明修改参数后重试",
        "Fix the parameters as the rule describes and try again",
    ),
    "govern.quality.bad_columns": (
        "质量规则 {rule} 需要 {expected} 个字段，实际给了 {got} 个",
        "Quality rule {rule} takes {expected} columns, got {got}",
    ),
    "govern.quality.bad_columns.hint": (
        "调整规则绑定的字段数量",
        "Change the number of columns bound to the rule",
    ),
    "govern.quality.unknown_column": (
        "表 {table} 中没有字段 {column}（现有字段：{known}）",
        "Table {table} has no column {column} (columns: {known})",
    ),
    "govern.quality.unknown_column.hint": (
        "检查字段名拼写，或先刷新表结构",
        "Check the column name, or refresh the table's schema first",
    ),
    "govern.quality.no_key_columns": (
        "检查表 {table} 需要至少一个主键字段",
        "Checking table {table} needs at least one key column",
    ),
    "govern.quality.no_key_columns.hint": (
        "指定能唯一标识一行的字段，例如记录编号",
        "Name the columns that identify a row, e.g. the record id",
    ),
    "govern.quality.bad_weight": (
        "未知的质量维度：{dimension}（可选：{known}）",
        "Unknown quality dimension: {dimension} (known: {known})",
    ),
    "govern.quality.bad_weight.hint": (
        "只为列出的维度设置权重",
        "Set weights only for the listed dimensions",
    ),
    # quality labels
    "quality.dimension.completeness": ("完整性", "Completeness"),
    "quality.dimension.validity": ("有效性", "Validity"),
    "quality.dimension.uniqueness": ("唯一性", "Uniqueness"),
    "quality.dimension.consistency": ("一致性", "Consistency"),
    "quality.dimension.timeliness": ("及时性", "Timeliness"),
    "quality.rule.not_null": ("非空", "Not null"),
    "quality.rule.uniqueness": ("唯一", "Unique"),
    "quality.rule.id_number": ("公民身份号码校验", "Resident identity number"),
    "quality.rule.uscc": ("统一社会信用代码校验", "Unified social credit code"),
    "quality.rule.phone": ("手机号码格式", "Mobile number format"),
    "quality.rule.pattern": ("正则格式", "Pattern"),
    "quality.rule.code_set": ("代码值域", "Code set"),
    "quality.reason.blank": ("为空", "Blank"),
    "quality.reason.duplicate": ("重复", "Duplicate"),
    "quality.reason.id15": ("15位旧身份证号", "Old 15-digit identity number"),
    "quality.reason.length": ("长度不正确", "Wrong length"),
    "quality.reason.pattern": ("格式不正确", "Wrong format"),
    "quality.reason.alphabet": ("含有不允许的字符", "Characters outside the alphabet"),
    "quality.reason.province": ("省份代码不存在", "Unknown province code"),
    "quality.reason.birth_date": ("出生日期无效", "Invalid birth date"),
    "quality.reason.check_char": ("校验码错误", "Wrong check character"),
    "quality.reason.not_in_set": ("不在代码表中", "Not in the code table"),
    # masking
    "masking.unknown_masker": (
        "未知的脱敏方式：{name}（可选：{known}）",
        "Unknown masker: {name} (known: {known})",
    ),
    "masking.unknown_masker.hint": ("从列出的脱敏方式中选择", "Pick one of the listed maskers"),
    "masking.unknown_column": (
        "数据中没有字段 {column}（现有字段：{known}）",
        "The data has no column {column} (columns: {known})",
    ),
    "masking.unknown_column.hint": ("检查脱敏策略中的字段名", "Check the column names in the masking policy"),
    "masker.name": ("姓名（保留姓氏）", "Name (keep surname)"),
    "masker.id_number": ("证件号码（保留前6后4位）", "ID number (keep first 6, last 4)"),
    "masker.mobile": ("手机号码（保留前3后4位）", "Mobile (keep first 3, last 4)"),
    "masker.bank_card": ("银行卡号（保留前6后4位）", "Bank card (keep first 6, last 4)"),
    "masker.address": ("地址（保留到区县）", "Address (keep up to the county)"),
    "masker.email": ("电子邮箱（保留首字符和域名）", "E-mail (keep first character and domain)"),
    "masker.full": ("全部遮盖", "Fully masked"),
}
